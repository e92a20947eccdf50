package dev.parley.irc;

import dev.parley.config.IrcNetworkConfig;
import dev.parley.config.IrcOptions;
import dev.parley.config.Secret;
import dev.parley.core.Cancellable;
import dev.parley.core.Scheduler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.pircbotx.Configuration;
import org.pircbotx.InputParser;
import org.pircbotx.PircBotX;
import org.pircbotx.cap.EnableCapHandler;
import org.pircbotx.cap.SASLCapHandler;
import org.pircbotx.exception.IrcException;
import org.pircbotx.hooks.CoreHooks;
import org.pircbotx.hooks.events.ConnectAttemptFailedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One identity (the control nick or a seat's nick) on one IRC network, joined to one channel, kept alive.
 *
 * <p>PircBotX does registration, CAP/SASL and the socket; this class works around what it gets wrong (see
 * shared/TEST-SERVERS.md): every received line is parsed by us on PircBotX's input thread, in server order,
 * through an {@link InputParser} subclass; outgoing lines go through our {@link SendQueue} and
 * {@code rawLineNow} with PircBotX's message delay set to 0; reconnecting is ours too: each attempt is a fresh
 * PircBotX (its own auto-reconnect forgets channels), spaced by capped exponential backoff with jitter.
 */
final class IrcConnection {
    private static final Logger log = LoggerFactory.getLogger(IrcConnection.class);

    /** What the room hears from a connection. Calls come on the connection's input thread, in order. */
    interface Events {
        /** The identity is in the channel and can speak. */
        void joined(IrcConnection connection);

        /** The identity left the channel (disconnect, kick); it will come back on its own. */
        void left(IrcConnection connection, String why);

        /** Every line the server sent, after this connection's own bookkeeping. */
        void line(IrcConnection connection, IrcLine line);

        /** Something a user must fix or know (bad password, banned, cannot join). */
        void problem(IrcConnection connection, String problem);
    }

    private final String label;
    private final String wantedNick;
    private final List<String> fallbackNicks;
    private final Optional<Secret> password;
    private final boolean accountCaps;
    private final IrcNetworkConfig network;
    private final String channel;
    private final Optional<Secret> channelKey;
    private final Scheduler scheduler;
    private final Events events;
    private final IrcOptions options;
    private final Backoff backoff;
    private final SendQueue queue;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    private volatile PircBotX bot;
    private volatile String nick;
    private volatile String user;
    private volatile String host;
    private volatile boolean registered;
    private volatile boolean joined;
    private volatile boolean closing;
    private volatile boolean started;
    private volatile Instant lastLineAt;
    private volatile boolean saslSucceeded;
    private volatile boolean tlsProblemReported;
    private volatile boolean joinProblemReported;
    private int fallbackIndex;
    private Cancellable nickRetry = Cancellable.NONE;
    private Cancellable liveness = Cancellable.NONE;

    IrcConnection(String label, String wantedNick, Optional<Secret> password, boolean accountCaps,
                  IrcNetworkConfig network, String channel, Optional<Secret> channelKey,
                  Scheduler scheduler, Events events) {
        this.label = label;
        this.wantedNick = wantedNick;
        this.fallbackNicks = List.of(wantedNick + "_", wantedNick + "-", wantedNick + "__");
        this.password = password.filter(p -> !p.isBlank());
        this.accountCaps = accountCaps;
        this.network = network;
        this.channel = channel;
        this.channelKey = channelKey.filter(k -> !k.isBlank());
        this.scheduler = scheduler;
        this.events = events;
        this.options = network.options();
        this.backoff = new Backoff(options.reconnectMin(), options.reconnectMax(),
                () -> ThreadLocalRandom.current().nextDouble());
        this.queue = new SendQueue(scheduler, new SendQueue.Sink() {
            @Override
            public boolean ready() {
                return joined;
            }

            @Override
            public boolean write(String line) {
                return writeNow(line);
            }
        }, options.lineDelay(), options.burst());
        this.nick = wantedNick;
    }

    String label() {
        return label;
    }

    String wantedNick() {
        return wantedNick;
    }

    /** The nick the server knows us by right now. */
    String nick() {
        return nick;
    }

    boolean isJoined() {
        return joined;
    }

    int queued() {
        return queue.size();
    }

    /** Completes once the connection was closed for good and its last session ended. */
    CompletableFuture<Void> stopped() {
        return stopped;
    }

    void start() {
        started = true;
        connectAttempt();
    }

    /** Queues complete IRC lines (already laid out and sanitized) to go out in order, paced. */
    void send(List<String> lines) {
        queue.addAll(lines);
    }

    /**
     * The bytes a PRIVMSG or NOTICE text may take so that the server's relay to others fits in 512 bytes:
     * computed with the longest nick this identity may have and, until the server told us, worst-case
     * user and host lengths.
     */
    int textBudget() {
        int longestNick = IrcText.utf8Length(nick);
        longestNick = Math.max(longestNick, IrcText.utf8Length(wantedNick));
        for (String f : fallbackNicks) {
            longestNick = Math.max(longestNick, IrcText.utf8Length(f));
        }
        String u = user;
        String h = host;
        int userBytes = u == null ? IrcText.WORST_USER : IrcText.utf8Length(u);
        int hostBytes = h == null ? IrcText.WORST_HOST : IrcText.utf8Length(h);
        return IrcText.privmsgBudget("x".repeat(longestNick), userBytes, hostBytes, channel);
    }

    /**
     * Sends what is queued (within {@code grace}), then QUITs and disconnects. Never reconnects afterwards.
     */
    void close(Duration grace) {
        Instant deadline = scheduler.now().plus(grace);
        closing = true;
        nickRetry.cancel();
        if (!started) {
            queue.close();
            stopped.complete(null);
            return;
        }
        finishWhenDrained(deadline);
    }

    private void finishWhenDrained(Instant deadline) {
        if (queue.size() > 0 && joined && scheduler.now().isBefore(deadline)) {
            scheduler.schedule(Duration.ofMillis(20), () -> finishWhenDrained(deadline));
            return;
        }
        queue.close();
        liveness.cancel();
        PircBotX b = bot;
        if (b != null && b.isConnected()) {
            try {
                b.sendRaw().rawLineNow("QUIT :parley is leaving");
            } catch (RuntimeException e) {
                log.debug("{}: QUIT not sent: {}", label, e.toString());
            }
            // The server closes the connection after QUIT; close our side too in case it does not.
            scheduler.schedule(Duration.ofMillis(500), () -> closeSocket(b));
        } else {
            stopped.complete(null);
        }
    }

    private void connectAttempt() {
        if (closing) {
            stopped.complete(null);
            return;
        }
        PircBotX b;
        try {
            b = new PircBotX(configuration());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            events.problem(this, "cannot set up the connection of " + wantedNick + ": " + e.getMessage());
            scheduleReconnect();
            return;
        }
        registered = false;
        saslSucceeded = false;
        fallbackIndex = 0;
        nick = wantedNick;
        bot = b;
        // A server that accepts the connection but never welcomes us must not hold the identity forever.
        scheduler.schedule(options.pingInterval().multipliedBy(2), () -> {
            if (bot == b && !registered && !closing) {
                log.info("{} ({}): no welcome from the server, reconnecting", label, wantedNick);
                closeSocket(b);
            }
        });
        Thread t = new Thread(() -> runSession(b), "irc-" + network.name() + "-" + label);
        t.setDaemon(true);
        t.start();
    }

    private void runSession(PircBotX b) {
        try {
            b.startBot();
        } catch (IrcException e) {
            if (!closing) {
                events.problem(this, wantedNick + " was refused by the server: " + e.getMessage());
            }
        } catch (IOException | RuntimeException e) {
            log.info("{} ({}): connection failed: {}", label, wantedNick, e.toString());
        } finally {
            sessionEnded(b);
        }
    }

    private void sessionEnded(PircBotX b) {
        if (b != bot) {
            return;
        }
        nickRetry.cancel();
        liveness.cancel();
        registered = false;
        boolean wasJoined = joined;
        joined = false;
        if (wasJoined) {
            events.left(this, "disconnected");
        }
        if (closing) {
            stopped.complete(null);
            return;
        }
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        Duration delay = backoff.next();
        log.info("{} ({}): reconnecting in {} ms", label, wantedNick, delay.toMillis());
        scheduler.schedule(delay, this::connectAttempt);
    }

    private Configuration configuration() throws IOException, GeneralSecurityException {
        InOrderListenerManager listeners = new InOrderListenerManager();
        listeners.addListener(new CoreHooks());
        listeners.addListener(event -> {
            if (event instanceof ConnectAttemptFailedEvent failed) {
                connectFailed(failed.getConnectExceptions().values());
            }
        });
        Configuration.Builder b = new Configuration.Builder()
                .setName(wantedNick)
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
                        return new Parser(forBot);
                    }
                });
        network.serverPassword().filter(p -> !p.isBlank()).ifPresent(p -> b.setServerPassword(p.reveal()));
        password.ifPresent(p -> b.addCapHandler(new SASLCapHandler(wantedNick, p.reveal(), true)));
        if (accountCaps) {
            for (String cap : List.of("account-notify", "extended-join", "account-tag")) {
                b.addCapHandler(new EnableCapHandler(cap, true));
            }
        }
        if (channelKey.isPresent()) {
            b.addAutoJoinChannel(channel, channelKey.get().reveal());
        } else {
            b.addAutoJoinChannel(channel);
        }
        return b.buildConfiguration();
    }

    /**
     * A TLS failure is something the user must fix (wrong host name, untrusted certificate): say so once per
     * streak of failures rather than retrying silently. Other failures (refused, timed out) are just retried.
     */
    private void connectFailed(java.util.Collection<Exception> causes) {
        for (Exception e : causes) {
            Throwable t = e;
            while (t != null && !(t instanceof javax.net.ssl.SSLException)) {
                t = t.getCause();
            }
            if (t != null && !tlsProblemReported) {
                tlsProblemReported = true;
                events.problem(this, "TLS connection to " + network.host() + ":" + network.port()
                        + " refused: " + t.getMessage() + " (check the host name, or set trusted-certificate)");
            }
        }
    }

    private boolean writeNow(String line) {
        PircBotX b = bot;
        if (b == null || !b.isConnected()) {
            return false;
        }
        try {
            b.sendRaw().rawLineNow(line);
            return true;
        } catch (RuntimeException e) {
            log.info("{}: line not sent, will retry after reconnect: {}", label, e.toString());
            return false;
        }
    }

    private void sendControl(String line) {
        writeNow(line);
    }

    private static void closeSocket(PircBotX b) {
        try {
            b.close();
        } catch (RuntimeException e) {
            log.debug("closing socket: {}", e.toString());
        }
    }

    /** Our bookkeeping for one server line; runs on the input thread after PircBotX's own. */
    private void onLine(IrcLine line) {
        lastLineAt = scheduler.now();
        switch (line.command()) {
            case "001" -> onRegistered(line.param(0));
            case "433" -> {
                if (!registered) {
                    String next = fallbackIndex < fallbackNicks.size()
                            ? fallbackNicks.get(fallbackIndex)
                            : wantedNick + ThreadLocalRandom.current().nextInt(100, 1000);
                    fallbackIndex++;
                    nick = next;
                    sendControl("NICK " + next);
                }
            }
            case "903" -> saslSucceeded = true;
            case "NICK" -> {
                if (line.nick().equalsIgnoreCase(nick)) {
                    nick = line.param(0);
                    log.info("{}: now known as {}", label, nick);
                }
            }
            case "JOIN" -> {
                if (line.nick().equalsIgnoreCase(nick) && line.param(0).equalsIgnoreCase(channel)) {
                    user = line.user();
                    host = line.host();
                    backoff.reset();
                    tlsProblemReported = false;
                    joinProblemReported = false;
                    if (!joined) {
                        joined = true;
                        events.joined(this);
                    }
                    queue.kick();
                }
            }
            case "396" -> {
                if (!line.param(1).isEmpty()) {
                    host = line.param(1);
                }
            }
            case "CHGHOST" -> {
                if (line.nick().equalsIgnoreCase(nick)) {
                    user = line.param(0);
                    host = line.param(1);
                }
            }
            case "KICK" -> {
                if (line.param(0).equalsIgnoreCase(channel) && line.param(1).equalsIgnoreCase(nick)) {
                    leftChannel("kicked by " + line.nick() + ": " + line.param(2));
                }
            }
            case "PART" -> {
                if (line.nick().equalsIgnoreCase(nick) && line.param(0).equalsIgnoreCase(channel) && !closing) {
                    leftChannel("parted");
                }
            }
            case "471", "473", "474", "475", "477", "403", "405" -> {
                if (line.param(1).equalsIgnoreCase(channel)) {
                    // Said once per streak (the operator must act), retried quietly with backoff meanwhile.
                    if (!joinProblemReported) {
                        joinProblemReported = true;
                        events.problem(this, wantedNick + " cannot join " + channel + ": " + line.param(2));
                    }
                    scheduleRejoin(backoff.next());
                }
            }
            case "464", "465" -> events.problem(this, wantedNick + " refused: " + line.param(1));
            default -> { }
        }
        events.line(this, line);
    }

    private void onRegistered(String ourNick) {
        registered = true;
        nick = ourNick;
        if (!ourNick.equalsIgnoreCase(wantedNick)) {
            log.info("{}: {} is taken, using {} and retrying every {} s", label, wantedNick, ourNick,
                    options.nickRetry().toSeconds());
            scheduleNickRetry();
        }
        lastLineAt = scheduler.now();
        scheduleLiveness();
    }

    /**
     * SASL was not offered or failed: identify with NickServ instead (the account is the wanted nick). Runs
     * before PircBotX sees the welcome and joins, so that the seat is identified when it enters the channel.
     */
    private void identifyWithServices(String ourNick) {
        if (password.isPresent() && !saslSucceeded) {
            String secret = password.get().reveal();
            sendControl("PRIVMSG NickServ :IDENTIFY " + (ourNick.equalsIgnoreCase(wantedNick) ? "" : wantedNick + " ")
                    + secret);
        }
    }

    private void scheduleNickRetry() {
        nickRetry.cancel();
        nickRetry = scheduler.schedule(options.nickRetry(), () -> {
            if (closing || !registered || nick.equalsIgnoreCase(wantedNick)) {
                return;
            }
            sendControl("NICK " + wantedNick);
            scheduleNickRetry();
        });
    }

    /** Probes a silent connection with PING and drops it when even that gets no answer. */
    private void scheduleLiveness() {
        liveness.cancel();
        Duration interval = options.pingInterval();
        liveness = scheduler.schedule(interval, () -> {
            PircBotX b = bot;
            if (closing || b == null || !registered) {
                return;
            }
            Duration silent = Duration.between(lastLineAt, scheduler.now());
            if (silent.compareTo(interval.multipliedBy(2)) >= 0) {
                log.info("{}: no answer from the server for {} s, reconnecting", label, silent.toSeconds());
                closeSocket(b);
                return;
            }
            if (silent.compareTo(interval) >= 0) {
                sendControl("PING :parley");
            }
            scheduleLiveness();
        });
    }

    private void leftChannel(String why) {
        if (joined) {
            joined = false;
            events.left(this, why);
        }
        scheduleRejoin(options.reconnectMin());
    }

    private void scheduleRejoin(Duration delay) {
        scheduler.schedule(delay, () -> {
            if (!closing && registered && !joined) {
                sendControl("JOIN " + channel + channelKey.map(k -> " " + k.reveal()).orElse(""));
            }
        });
    }

    /** PircBotX's parser with ours run on every raw line, on the input thread, in server order. */
    private final class Parser extends InputParser {
        Parser(PircBotX forBot) {
            super(forBot);
        }

        @Override
        public void handleLine(String rawLine) throws IOException, IrcException {
            IrcLine line = IrcLine.parse(rawLine);
            if (line.command().equals("001")) {
                identifyWithServices(line.param(0));
            }
            try {
                super.handleLine(rawLine);
            } finally {
                try {
                    onLine(line);
                } catch (RuntimeException e) {
                    log.error("{}: handling {} failed", label, line.command(), e);
                }
            }
        }
    }
}
