package dev.parley.irc;

import dev.parley.config.IrcNetworkConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Collection;
import java.util.List;
import org.pircbotx.Configuration;
import org.pircbotx.InputParser;
import org.pircbotx.PircBotX;
import org.pircbotx.cap.EnableCapHandler;
import org.pircbotx.exception.IrcException;
import org.pircbotx.hooks.CoreHooks;
import org.pircbotx.hooks.events.ConnectAttemptFailedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one identity's PircBotX 2.1 is set up for one connection attempt: what PircBotX does (registration,
 * CAP/SASL, the socket) and what we turned off because it gets it wrong (see "PircBotX 2.1" in docs/irc.md):
 * its message delay (pacing is ours), auto-reconnect (it forgets channels), nick change, message splitting (by
 * chars, not bytes), join-time WHO, and its out-of-order listener manager. Every line it receives is handed to
 * us on its input thread, in server order, through a parser subclass.
 */
final class PircBotXSetup {
    private static final Logger log = LoggerFactory.getLogger(PircBotXSetup.class);

    /** What the connection sees of each server line, around PircBotX's own handling of it. */
    interface Tap {
        /** Before PircBotX handles the line (the welcome: identify before anything is joined). */
        void before(IrcLine line);

        /** After PircBotX handled the line. */
        void after(IrcLine line);

        /** PircBotX could not connect (all addresses tried). */
        void connectFailed(Collection<Exception> causes);
    }

    private PircBotXSetup() {
    }

    /**
     * @param accountCaps ask for the IRCv3 account capabilities (the control identity, which judges operators)
     * @param login       adds SASL when the identity has a password
     */
    static Configuration configuration(String nick, IrcNetworkConfig network, boolean accountCaps,
                                       ServicesLogin login, Tap tap) throws IOException, GeneralSecurityException {
        InOrderListenerManager listeners = new InOrderListenerManager();
        listeners.addListener(new CoreHooks());
        listeners.addListener(event -> {
            if (event instanceof ConnectAttemptFailedEvent failed) {
                tap.connectFailed(failed.getConnectExceptions().values());
            }
        });
        Configuration.Builder b = new Configuration.Builder()
                .setName(nick)
                .setLogin("parley")
                .setRealName(network.realname().isBlank() ? "parley" : network.realname())
                .addServer(network.host(), network.port())
                .setSocketFactory(network.tls()
                        ? IrcSockets.tls(network.host(), network.trustedCertificate().map(Path::of).orElse(null))
                        : IrcSockets.plain(network.host()))
                .setEncoding(StandardCharsets.UTF_8)
                // Pacing is ours (SendQueue); PircBotX's delay would block its writer and WHO/MODE after join.
                .setMessageDelay(0)
                .setAutoReconnect(false)
                .setAutoNickChange(false)
                .setAutoSplitMessage(false)
                .setOnJoinWhoEnabled(false)
                .setShutdownHookEnabled(false)
                .setSnapshotsEnabled(false)
                .setListenerManager(listeners)
                .setCapEnabled(true)
                .setBotFactory(new Configuration.BotFactory() {
                    @Override
                    public InputParser createInputParser(PircBotX forBot) {
                        return new Parser(forBot, nick, tap);
                    }

                    @Override
                    public org.pircbotx.output.OutputRaw createOutputRaw(PircBotX forBot) {
                        return new RedactingOutputRaw(forBot);
                    }
                });
        network.serverPassword().filter(p -> !p.isBlank()).ifPresent(p -> b.setServerPassword(p.reveal()));
        login.configure(b);
        if (accountCaps) {
            for (String cap : List.of("account-notify", "extended-join", "account-tag")) {
                b.addCapHandler(new EnableCapHandler(cap, true));
            }
        }
        // For "is typing" notifications; servers without client tags simply do not grant it.
        b.addCapHandler(new EnableCapHandler("message-tags", true));
        // No PircBotX auto-join: we join on the welcome ourselves, after identifying, every channel wanted then.
        return b.buildConfiguration();
    }

    /**
     * A message or notice that is not CTCP: parley reads it from the raw line, and PircBotX's own handling of it
     * (its user and channel records, a MessageEvent dispatched by reflection) served nothing but cost every
     * connection tens of microseconds for each line anyone said. CTCP (VERSION, PING, TIME) still goes to
     * PircBotX, which answers it.
     */
    static boolean talk(IrcLine line) {
        String command = line.command();
        if (!command.equals("PRIVMSG") && !command.equals("NOTICE")) {
            return false;
        }
        String text = line.params().isEmpty() ? "" : line.params().get(line.params().size() - 1);
        return !text.startsWith("\u0001");
    }

    /** PircBotX's parser with ours run on every raw line, on the input thread, in server order. */
    private static final class Parser extends InputParser {
        private final String nick;
        private final Tap tap;

        Parser(PircBotX forBot, String nick, Tap tap) {
            super(forBot);
            this.nick = nick;
            this.tap = tap;
        }

        @Override
        public void handleLine(String rawLine) throws IOException, IrcException {
            IrcLine line = IrcLine.parse(rawLine);
            tap.before(line);
            try {
                if (!talk(line)) {
                    super.handleLine(rawLine);
                }
            } finally {
                try {
                    tap.after(line);
                } catch (RuntimeException e) {
                    log.error("{}: handling {} failed", nick, line.command(), e);
                }
            }
        }
    }
}
