package dev.parley.irc;

import dev.parley.config.IrcNetworkConfig;
import dev.parley.config.IrcOptions;
import dev.parley.config.Secret;
import dev.parley.core.Cancellable;
import dev.parley.core.Scheduler;
import dev.parley.core.Telemetry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLException;
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
 * One identity (the control nick or a seat's nick) on one IRC network, in one or more channels, kept alive.
 * Rooms use it through a {@link Member} each: a room's view of the connection in its channel.
 *
 * <p>PircBotX does registration, CAP/SASL and the socket; this class works around what it gets wrong (see
 * shared/TEST-SERVERS.md): every received line is parsed by us on PircBotX's input thread, in server order,
 * through an {@link InputParser} subclass; outgoing lines go through our per-channel {@link SendQueue}s, paced by
 * one {@link LineBudget}, and {@code rawLineNow} with PircBotX's message delay set to 0; joining and reconnecting
 * are ours too: each attempt is a fresh PircBotX (its own auto-reconnect forgets channels), spaced by capped
 * exponential backoff with jitter, and joins every channel its members want.
 */
final class IrcConnection {
    private static final Logger log = LoggerFactory.getLogger(IrcConnection.class);

    /** What a member hears from the connection. Calls come on the connection's input thread, in order. */
    interface Events {
        /** The identity is in the member's channel and can speak there. */
        void joined(Member member);

        /** The identity left the member's channel (disconnect, kick); it will come back on its own. */
        void left(Member member, String why);

        /** Every line the server sent, after the connection's own bookkeeping. */
        void line(Member member, IrcLine line);

        /** Something a user must fix or know (bad password, banned, cannot join). */
        void problem(Member member, String problem);
    }

    /** One room's use of this connection: its channel, and where its events go. */
    final class Member implements RoomSequencer.Outlet {
        private final Channel channel;
        private final Events events;
        private final String label;
        private volatile boolean open;
        private volatile boolean released;

        private Member(Channel channel, Events events, String label) {
            this.channel = channel;
            this.events = events;
            this.label = label;
        }

        IrcConnection connection() {
            return IrcConnection.this;
        }

        /** The seat id or "control": for the room's bookkeeping and logs. */
        String label() {
            return label;
        }

        String nick() {
            return nick;
        }

        /** Whether other rooms (in other channels) use this connection too. */
        boolean shared() {
            return roomCount() > 1;
        }

        @Override
        public boolean joined() {
            return channel.joined;
        }

        /**
         * Queues complete IRC lines (laid out and sanitized) for this channel, to go out in order, paced;
         * {@code whenWritten} is told true once they were written, {@code whenAcknowledged} once the server
         * answered a PING sent after them; false if the queue dropped them.
         */
        @Override
        public void send(List<String> lines, Consumer<Boolean> whenWritten, Consumer<Boolean> whenAcknowledged) {
            channel.queue.addAll(lines, whenWritten, whenAcknowledged);
        }

        /** Whether the server announced {@code token} (e.g. "WHOX") in its ISUPPORT (005) lines. */
        boolean serverSupports(String token) {
            return isupport.contains(token.toUpperCase(Locale.ROOT));
        }

        /**
         * Queues queries (WHO, WHOIS) straight into this channel's paced queue, outside the room's ordering of
         * messages: they show nothing in the channel.
         */
        void query(List<String> lines) {
            channel.queue.addAll(lines);
        }

        /** Bytes a PRIVMSG or NOTICE text to this channel may take; see {@link IrcConnection#textBudget}. */
        int textBudget() {
            return IrcConnection.this.textBudget(channel.name);
        }

        /**
         * The line that shows or hides "is typing" (IRCv3 {@code +typing} client tag) where the server relays
         * client tags; none otherwise. Sent like messages, so a "done" never overtakes the message it precedes.
         */
        List<String> typingLines(boolean active) {
            return hasCapability("message-tags")
                    ? List.of("@+typing=" + (active ? "active" : "done") + " TAGMSG " + channel.name)
                    : List.of();
        }

        /** The room opened: join the channel (connect first if needed). */
        void open() {
            IrcConnection.this.open(this);
        }

        boolean isOpen() {
            return open;
        }

        /** Released by its room: it will never join again (a room that wants the identity back makes a new one). */
        boolean isReleased() {
            return released;
        }

        /** This room is done with the connection: what it queued goes out first (within {@code grace}). */
        CompletableFuture<Void> release(Duration grace) {
            return IrcConnection.this.release(this, grace);
        }
    }

    /** A channel this identity is (or wants to be) in; its queue holds lines until it is joined. */
    private final class Channel {
        final String name;
        final Optional<Secret> key;
        final SendQueue queue;
        final List<Member> members = new CopyOnWriteArrayList<>();
        volatile boolean joined;
        volatile boolean problemReported;

        Channel(String name, Optional<Secret> key) {
            this.name = name;
            this.key = key.filter(k -> !k.isBlank());
            this.queue = new SendQueue(scheduler, new SendQueue.Sink() {
                @Override
                public boolean ready() {
                    return joined;
                }

                @Override
                public boolean write(String line) {
                    return writeNow(line);
                }

                @Override
                public boolean acknowledges() {
                    return true;
                }

                @Override
                public boolean ping(String token) {
                    return writeNow("PING :" + token);
                }
            }, budget);
        }

        /** Some room showing this channel is open: the identity should be in it. */
        boolean wanted() {
            return members.stream().anyMatch(m -> m.open);
        }

        String joinCommand() {
            return "JOIN " + name + key.map(k -> " " + k.reveal()).orElse("");
        }
    }

    private final String wantedNick;
    private final List<String> fallbackNicks;
    private final Optional<Secret> password;
    private final boolean accountCaps;
    private final IrcNetworkConfig network;
    private final Scheduler scheduler;
    private final IrcOptions options;
    private final ReconnectDelays backoff;
    private final LineBudget budget;
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    /** The ISUPPORT tokens (upper case, without values) of the current session. */
    private final java.util.Set<String> isupport = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final Runnable onStopped;

    private volatile PircBotX bot;
    private volatile String nick;
    private volatile String user;
    private volatile String host;
    private volatile boolean registered;
    private volatile boolean closing;
    private volatile boolean started;
    private volatile Instant lastLineAt;
    private volatile boolean saslSucceeded;
    private volatile boolean tlsProblemReported;
    private int fallbackIndex;
    private Cancellable nickRetry = Cancellable.NONE;
    private Cancellable liveness = Cancellable.NONE;
    /** Where connection state and reconnects are reported (the web view's metrics), set by the network. */
    private volatile Telemetry telemetry = Telemetry.NOOP;

    /**
     * @param accountCaps ask for the IRCv3 account capabilities (the control identity, which judges operators)
     * @param onStopped   runs once the connection is closed for good (the network forgets it)
     */
    IrcConnection(String wantedNick, Optional<Secret> password, boolean accountCaps, IrcNetworkConfig network,
                  Scheduler scheduler, Runnable onStopped) {
        this.wantedNick = wantedNick;
        this.fallbackNicks = List.of(wantedNick + "_", wantedNick + "-", wantedNick + "__");
        this.password = password.filter(p -> !p.isBlank());
        this.accountCaps = accountCaps;
        this.network = network;
        this.scheduler = scheduler;
        this.options = network.options();
        this.onStopped = onStopped;
        this.backoff = new ReconnectDelays(options.reconnectMin(), options.reconnectMax(),
                () -> ThreadLocalRandom.current().nextDouble());
        this.budget = new LineBudget(scheduler, options.lineDelay(), options.burst());
        this.nick = wantedNick;
    }

    String wantedNick() {
        return wantedNick;
    }

    void telemetry(Telemetry t) {
        this.telemetry = t;
    }

    /** The nick the server knows us by right now. */
    String nick() {
        return nick;
    }

    /** Completes once the connection was closed for good and its last session ended. */
    CompletableFuture<Void> stopped() {
        return stopped;
    }

    /** Adds a room's use of this identity in {@code channel}; nothing happens until {@link Member#open}. */
    synchronized Member member(String channelName, Optional<Secret> key, String label, Events events) {
        if (closing) {
            throw new IllegalStateException(wantedNick + " is closing");
        }
        Channel ch = channels.computeIfAbsent(channelName.toLowerCase(Locale.ROOT), k -> new Channel(channelName, key));
        Member m = new Member(ch, events, label);
        ch.members.add(m);
        return m;
    }

    /** The member's room opened: join its channel (connecting first if needed), or report that we are in. */
    private synchronized void open(Member m) {
        if (closing) {
            return;
        }
        m.open = true;
        if (m.channel.joined) {
            scheduler.execute(() -> m.events.joined(m));
        } else if (registered) {
            writeNow(m.channel.joinCommand());
        }
        start();
    }

    /** Whether the server granted {@code cap} on the current connection. */
    boolean hasCapability(String cap) {
        PircBotX b = bot;
        return b != null && registered && b.getEnabledCapabilities().contains(cap);
    }

    boolean isClosing() {
        return closing;
    }

    /** Closes regardless of members: the network is shutting down. */
    void closeNow(Duration grace) {
        close(scheduler.now().plus(grace));
    }

    /** Connects, if not yet done; idempotent. */
    synchronized void start() {
        if (started || closing) {
            return;
        }
        started = true;
        connectAttempt();
    }

    /**
     * The bytes a PRIVMSG or NOTICE text may take so that the server's relay to others fits in 512 bytes:
     * computed with the longest nick this identity may have and, until the server told us, worst-case
     * user and host lengths.
     */
    int textBudget(String target) {
        int longestNick = IrcText.utf8Length(nick);
        longestNick = Math.max(longestNick, IrcText.utf8Length(wantedNick));
        for (String f : fallbackNicks) {
            longestNick = Math.max(longestNick, IrcText.utf8Length(f));
        }
        String u = user;
        String h = host;
        int userBytes = u == null ? IrcText.WORST_USER : IrcText.utf8Length(u);
        int hostBytes = h == null ? IrcText.WORST_HOST : IrcText.utf8Length(h);
        return IrcText.privmsgBudget("x".repeat(longestNick), userBytes, hostBytes, target);
    }

    private CompletableFuture<Void> release(Member m, Duration grace) {
        Channel ch = m.channel;
        boolean lastInChannel;
        boolean lastOfAll;
        synchronized (this) {
            m.released = true;
            ch.members.remove(m);
            lastInChannel = ch.members.isEmpty();
            lastOfAll = channels.values().stream().allMatch(c -> c.members.isEmpty());
        }
        Instant deadline = scheduler.now().plus(grace);
        if (lastOfAll) {
            close(deadline);
            return stopped;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (lastInChannel) {
            whenDrained(ch, deadline, () -> {
                synchronized (this) {
                    if (ch.members.isEmpty()) {
                        channels.remove(ch.name.toLowerCase(Locale.ROOT));
                        ch.queue.close();
                        // Also when our JOIN is not answered yet: the server would put us in after all.
                        if (ch.joined || registered) {
                            writeNow("PART " + ch.name);
                        }
                    }
                }
                done.complete(null);
            });
        } else {
            done.complete(null);
        }
        return done;
    }

    /** Sends what is queued (until {@code deadline}), then QUITs and disconnects. Never reconnects afterwards. */
    private void close(Instant deadline) {
        synchronized (this) {
            closing = true;
        }
        nickRetry.cancel();
        if (!started) {
            channels.values().forEach(c -> c.queue.close());
            finished();
            return;
        }
        whenAllDrained(deadline, this::quit);
    }

    private void whenAllDrained(Instant deadline, Runnable then) {
        List<Channel> all = new ArrayList<>(channels.values());
        boolean waiting = all.stream().anyMatch(c -> c.queue.size() > 0 && c.joined);
        if (waiting && scheduler.now().isBefore(deadline)) {
            scheduler.schedule(Duration.ofMillis(20), () -> whenAllDrained(deadline, then));
            return;
        }
        then.run();
    }

    private void whenDrained(Channel ch, Instant deadline, Runnable then) {
        if (ch.queue.size() > 0 && ch.joined && scheduler.now().isBefore(deadline)) {
            scheduler.schedule(Duration.ofMillis(20), () -> whenDrained(ch, deadline, then));
            return;
        }
        then.run();
    }

    private void quit() {
        channels.values().forEach(c -> c.queue.close());
        liveness.cancel();
        PircBotX b = bot;
        if (b != null && b.isConnected()) {
            try {
                b.sendRaw().rawLineNow("QUIT :parley is leaving");
            } catch (RuntimeException e) {
                log.debug("{}: QUIT not sent: {}", wantedNick, e.toString());
            }
            // The server closes the connection after QUIT; close our side too in case it does not.
            scheduler.schedule(Duration.ofMillis(500), () -> closeSocket(b));
        } else {
            finished();
        }
    }

    private void finished() {
        if (stopped.complete(null)) {
            onStopped.run();
        }
    }

    private void connectAttempt() {
        if (closing) {
            finished();
            return;
        }
        PircBotX b;
        try {
            b = new PircBotX(configuration());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            problemForAll("cannot set up the connection of " + wantedNick + ": " + e.getMessage());
            scheduleReconnect();
            return;
        }
        registered = false;
        saslSucceeded = false;
        isupport.clear();
        fallbackIndex = 0;
        nick = wantedNick;
        bot = b;
        // A server that accepts the connection but never welcomes us must not hold the identity forever.
        scheduler.schedule(options.pingInterval().multipliedBy(2), () -> {
            if (bot == b && !registered && !closing) {
                log.info("{}: no welcome from the server, reconnecting", wantedNick);
                closeSocket(b);
            }
        });
        Thread t = new Thread(() -> runSession(b), "irc-" + network.name() + "-" + wantedNick);
        t.setDaemon(true);
        t.start();
    }

    private void runSession(PircBotX b) {
        try {
            b.startBot();
        } catch (IrcException e) {
            if (!closing) {
                problemForAll(wantedNick + " was refused by the server: " + e.getMessage());
            }
        } catch (IOException | RuntimeException e) {
            log.info("{}: connection failed: {}", wantedNick, e.toString());
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
        telemetry.ircConnection(network.name(), wantedNick, false);
        for (Channel ch : channels.values()) {
            leftChannel(ch, "disconnected", false);
            ch.queue.connectionLost();
        }
        if (closing) {
            finished();
            return;
        }
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        Duration delay = backoff.next();
        telemetry.ircReconnect(network.name(), wantedNick);
        log.info("{}: reconnecting in {} ms", wantedNick, delay.toMillis());
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

                    @Override
                    public org.pircbotx.output.OutputRaw createOutputRaw(PircBotX forBot) {
                        return new RedactingOutputRaw(forBot);
                    }
                });
        network.serverPassword().filter(p -> !p.isBlank()).ifPresent(p -> b.setServerPassword(p.reveal()));
        password.ifPresent(p -> b.addCapHandler(new SASLCapHandler(wantedNick, p.reveal(), true)));
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
     * A TLS failure is something the user must fix (wrong host name, untrusted certificate): say so once per
     * streak of failures rather than retrying silently. Other failures (refused, timed out) are just retried.
     */
    private void connectFailed(Collection<Exception> causes) {
        for (Exception e : causes) {
            Throwable t = e;
            while (t != null && !(t instanceof SSLException)) {
                t = t.getCause();
            }
            if (t != null && !tlsProblemReported) {
                tlsProblemReported = true;
                problemForAll("TLS connection to " + network.host() + ":" + network.port() + " refused: "
                        + t.getMessage() + " (check the host name, or set trusted-certificate)");
            }
        }
    }

    private void problemForAll(String problem) {
        for (Channel ch : channels.values()) {
            for (Member m : ch.members) {
                m.events.problem(m, problem);
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
            log.info("{}: line not sent, will retry after reconnect: {}", wantedNick, e.toString());
            return false;
        }
    }

    private static void closeSocket(PircBotX b) {
        try {
            b.close();
        } catch (RuntimeException e) {
            log.debug("closing socket: {}", e.toString());
        }
    }

    private Channel channel(String name) {
        return channels.get(name.toLowerCase(Locale.ROOT));
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
                    writeNow("NICK " + next);
                }
            }
            case "903" -> saslSucceeded = true;
            case "005" -> {
                // 005 me TOKEN[=value] ... :are supported by this server
                for (int i = 1; i < line.params().size() - 1; i++) {
                    String token = line.param(i);
                    int eq = token.indexOf('=');
                    isupport.add((eq < 0 ? token : token.substring(0, eq)).toUpperCase(Locale.ROOT));
                }
            }
            case "PRIVMSG" -> refuseUnaddressedDirectMessage(line);
            case "PONG" -> {
                // The answer to a PING a send queue wrote after its lines: the server has read them.
                String token = line.params().isEmpty() ? "" : line.param(line.params().size() - 1);
                channels.values().forEach(c -> c.queue.acknowledged(token));
            }
            case "NICK" -> {
                if (line.nick().equalsIgnoreCase(nick)) {
                    nick = line.param(0);
                    log.info("{}: now known as {}", wantedNick, nick);
                }
            }
            case "JOIN" -> {
                Channel ch = channel(line.param(0));
                if (ch != null && line.nick().equalsIgnoreCase(nick)) {
                    user = line.user();
                    host = line.host();
                    backoff.reset();
                    tlsProblemReported = false;
                    ch.problemReported = false;
                    if (!ch.joined) {
                        ch.joined = true;
                        ch.members.forEach(m -> m.events.joined(m));
                    }
                    ch.queue.kick();
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
                Channel ch = channel(line.param(0));
                if (ch != null && line.param(1).equalsIgnoreCase(nick)) {
                    leftChannel(ch, "kicked by " + line.nick() + ": " + line.param(2), true);
                }
            }
            case "PART" -> {
                Channel ch = channel(line.param(0));
                if (ch != null && line.nick().equalsIgnoreCase(nick) && ch.wanted() && !closing) {
                    leftChannel(ch, "parted", true);
                }
            }
            case "471", "473", "474", "475", "477", "403", "405" -> {
                Channel ch = channel(line.param(1));
                if (ch != null) {
                    // Said once per streak (the operator must act), retried quietly with backoff meanwhile.
                    if (!ch.problemReported) {
                        ch.problemReported = true;
                        for (Member m : ch.members) {
                            m.events.problem(m, wantedNick + " cannot join " + ch.name + ": " + line.param(2));
                        }
                    }
                    scheduleRejoin(ch, backoff.next());
                }
            }
            case "464", "465" -> problemForAll(wantedNick + " refused: " + line.param(1));
            default -> { }
        }
        for (Channel ch : channels.values()) {
            for (Member m : ch.members) {
                m.events.line(m, line);
            }
        }
    }

    private int roomCount() {
        return channels.values().stream().mapToInt(c -> c.members.size()).sum();
    }

    /**
     * The first word of a private message to this identity that names one of its channels ("#chan !stop"), or
     * empty. With several rooms on one connection, that is how a direct message says which conversation it is for.
     */
    static Optional<String> addressedChannel(String text) {
        int space = text.indexOf(' ');
        String first = space < 0 ? text : text.substring(0, space);
        return first.isEmpty() || "#&+!".indexOf(first.charAt(0)) < 0 ? Optional.empty() : Optional.of(first);
    }

    /**
     * A direct message to a control identity shared by several rooms that names none of them reaches no room
     * (one private "!stop" must not stop every conversation); the sender is told how to name one. Answered once
     * per connection here rather than by each room, and only within the line budget, so that a flood of private
     * messages cannot make us flood the server.
     */
    private void refuseUnaddressedDirectMessage(IrcLine line) {
        String text = line.param(1);
        if (!accountCaps || !options.directMessages() || !line.param(0).equalsIgnoreCase(nick)
                || line.nick().isEmpty() || line.user().isEmpty() || text.startsWith("\u0001") || roomCount() < 2) {
            return;
        }
        boolean named = addressedChannel(text).map(this::channel).map(c -> !c.members.isEmpty()).orElse(false);
        if (named || !budget.take().isZero()) {
            return;
        }
        String served = channels.values().stream().filter(c -> !c.members.isEmpty()).map(c -> c.name).sorted()
                .reduce((x, y) -> x + " " + y).orElse("");
        String example = served.isEmpty() ? "#channel" : served.split(" ")[0];
        writeNow("NOTICE " + line.nick() + " :I serve several channels (" + served + "); start a private command"
                + " with the channel, e.g. \"" + example + " !stop\". Replies appear in that channel.");
    }

    private void onRegistered(String ourNick) {
        registered = true;
        telemetry.ircConnection(network.name(), wantedNick, true);
        nick = ourNick;
        if (!ourNick.equalsIgnoreCase(wantedNick)) {
            log.info("{} is taken, using {} and retrying every {} s", wantedNick, ourNick,
                    options.nickRetry().toSeconds());
            scheduleNickRetry();
        }
        for (Channel ch : channels.values()) {
            if (ch.wanted()) {
                writeNow(ch.joinCommand());
            }
        }
        lastLineAt = scheduler.now();
        scheduleLiveness();
    }

    /**
     * SASL was not offered or failed: identify with NickServ instead (the account is the wanted nick). Runs
     * before the welcome is handled and the channels joined, so that the identity is identified when it enters.
     */
    private void identifyWithServices(String ourNick) {
        if (password.isPresent() && !saslSucceeded) {
            String secret = password.get().reveal();
            writeNow("PRIVMSG NickServ :IDENTIFY " + (ourNick.equalsIgnoreCase(wantedNick) ? "" : wantedNick + " ")
                    + secret);
        }
    }

    private void scheduleNickRetry() {
        nickRetry.cancel();
        nickRetry = scheduler.schedule(options.nickRetry(), () -> {
            if (closing || !registered || nick.equalsIgnoreCase(wantedNick)) {
                return;
            }
            writeNow("NICK " + wantedNick);
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
                log.info("{}: no answer from the server for {} s, reconnecting", wantedNick, silent.toSeconds());
                closeSocket(b);
                return;
            }
            if (silent.compareTo(interval) >= 0) {
                writeNow("PING :parley");
            }
            scheduleLiveness();
        });
    }

    private void leftChannel(Channel ch, String why, boolean rejoin) {
        if (ch.joined) {
            ch.joined = false;
            ch.members.forEach(m -> m.events.left(m, why));
        }
        if (rejoin) {
            scheduleRejoin(ch, options.reconnectMin());
        }
    }

    private void scheduleRejoin(Channel ch, Duration delay) {
        scheduler.schedule(delay, () -> {
            if (!closing && registered && !ch.joined && ch.wanted()) {
                writeNow(ch.joinCommand());
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
                    log.error("{}: handling {} failed", wantedNick, line.command(), e);
                }
            }
        }
    }
}
