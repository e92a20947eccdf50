package dev.parley.irc;

import dev.parley.config.IrcNetworkConfig;
import dev.parley.config.IrcOptions;
import dev.parley.config.Secret;
import dev.parley.core.Scheduler;
import dev.parley.core.Telemetry;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.pircbotx.PircBotX;
import org.pircbotx.exception.IrcException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One identity (the control nick or a seat's nick) on one IRC network, in one or more channels, kept alive.
 * Rooms use it through a {@link Member} each: a room's view of the connection in its channel.
 *
 * <p>This class is the connection's life: each attempt is a fresh PircBotX (its own auto-reconnect forgets
 * channels; see {@link PircBotXSetup} for what else of PircBotX 2.1 we turn off), spaced by capped exponential
 * backoff with jitter; connected on the welcome, disconnected when the session ends, closed for good when its
 * last room leaves. The rest is done by parts with one job each, which the handlers in the constructor feed with
 * the server's lines, on PircBotX's input thread, in server order: {@link NickKeeper} (the nick and its
 * fallbacks), {@link ChannelMembership} (channels, joins, rejoins and their paced {@link SendQueue}s),
 * {@link ISupport} (what the server supports, its CASEMAPPING), {@link ServicesLogin} (SASL or NickServ),
 * {@link Liveness} (the watchdogs), {@link RelayPrefix} (how long a text may be) and {@link DirectMessages}.
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
    final class Member implements RoomSequencer.Outlet, ChannelMembership.Occupant {
        private final ChannelMembership.Channel channel;
        private final Events events;
        private final String label;
        private volatile boolean open;
        private volatile boolean released;

        private Member(ChannelMembership.Channel channel, Events events, String label) {
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
            return nicks.current();
        }

        /** How the server compares nicks and channel names (its CASEMAPPING; the protocol's default until told). */
        CaseMapping caseMapping() {
            return isupport.caseMapping();
        }

        /** Whether other rooms (in other channels) use this connection too. */
        boolean shared() {
            return channels.memberCount() > 1;
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
            return isupport.supports(token);
        }

        /**
         * Queues queries (WHO, WHOIS) straight into this channel's paced queue, outside the room's ordering of
         * messages: they show nothing in the channel.
         */
        void query(List<String> lines) {
            channel.queue.addAll(lines);
        }

        /** Bytes a PRIVMSG or NOTICE text to this channel may take; see {@link RelayPrefix#textBudget}. */
        int textBudget() {
            return prefix.textBudget(channel.name);
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

        @Override
        public boolean isOpen() {
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

        @Override
        public void joinedChannel() {
            events.joined(this);
        }

        @Override
        public void leftChannel(String why) {
            events.left(this, why);
        }

        @Override
        public void problem(String problem) {
            events.problem(this, problem);
        }

        @Override
        public void heard(IrcLine line) {
            events.line(this, line);
        }
    }

    private final IrcNetworkConfig network;
    private final Scheduler scheduler;
    private final IrcOptions options;
    private final boolean accountCaps;
    private final ReconnectDelays backoff;
    private final ISupport isupport = new ISupport();
    private final NickKeeper nicks;
    private final RelayPrefix prefix;
    private final ServicesLogin login;
    private final Liveness liveness;
    private final ChannelMembership channels;
    private final DirectMessages directMessages;
    private final LineHandlers handlers = new LineHandlers();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final Runnable onStopped;

    private volatile PircBotX bot;
    private volatile boolean registered;
    private volatile boolean closing;
    private volatile boolean started;
    private volatile boolean tlsProblemReported;
    /** Where connection state and reconnects are reported (the web view's metrics), set by the network. */
    private volatile Telemetry telemetry = Telemetry.NOOP;

    /**
     * @param accountCaps ask for the IRCv3 account capabilities (the control identity, which judges operators)
     * @param onStopped   runs once the connection is closed for good (the network forgets it)
     */
    IrcConnection(String wantedNick, Optional<Secret> password, boolean accountCaps, IrcNetworkConfig network,
                  Scheduler scheduler, Runnable onStopped) {
        this.network = network;
        this.scheduler = scheduler;
        this.options = network.options();
        this.accountCaps = accountCaps;
        this.onStopped = onStopped;
        this.backoff = new ReconnectDelays(options.reconnectMin(), options.reconnectMax(),
                () -> ThreadLocalRandom.current().nextDouble());
        LineBudget budget = new LineBudget(scheduler, options.lineDelay(), options.burst());
        this.nicks = new NickKeeper(wantedNick, scheduler, options.nickRetry(), isupport::caseMapping,
                this::online, this::writeNow);
        this.prefix = new RelayPrefix(nicks::longestBytes);
        this.login = new ServicesLogin(wantedNick, password);
        this.liveness = new Liveness(wantedNick, scheduler, options.pingInterval(), this::writeNow);
        this.channels = new ChannelMembership(wantedNick, scheduler, budget, this::writeNow, isupport::caseMapping,
                this::online, backoff::next, options.reconnectMin());
        this.directMessages = new DirectMessages(accountCaps && options.directMessages(), channels, nicks::isUs,
                budget, this::writeNow);
        routeLines();
    }

    /** Which part hears which server line: each on the input thread, in server order, then every member hears it. */
    private void routeLines() {
        handlers.on("001", line -> connected(line.param(0)));
        handlers.on("005", isupport::add);
        handlers.on("903", line -> login.saslSucceeded());
        handlers.on("433", line -> {
            if (!registered) { // after the welcome, a refused NICK is a failed retry: we keep the nick we have
                nicks.nickInUse();
            }
        });
        handlers.on("NICK", nicks::nickChanged);
        handlers.on("JOIN", this::ownJoin);
        handlers.on("KICK", line -> channels.kicked(line, nicks::isUs));
        handlers.on("PART", line -> channels.parted(line, nicks::isUs));
        handlers.on(List.of("471", "473", "474", "475", "477", "403", "405"), channels::joinRefused);
        handlers.on("PONG", channels::acknowledged);
        handlers.on("396", prefix::hostHidden);
        handlers.on("CHGHOST", line -> {
            if (nicks.isUs(line.nick())) {
                prefix.hostChanged(line);
            }
        });
        handlers.on("PRIVMSG", directMessages::refuseUnaddressed);
        handlers.on(List.of("464", "465"), line -> problemForAll(wantedNick() + " refused: " + line.param(1)));
    }

    String wantedNick() {
        return nicks.wanted();
    }

    void telemetry(Telemetry t) {
        this.telemetry = t;
    }

    /** The nick the server knows us by right now. */
    String nick() {
        return nicks.current();
    }

    /** Completes once the connection was closed for good and its last session ended. */
    CompletableFuture<Void> stopped() {
        return stopped;
    }

    /** Adds a room's use of this identity in {@code channel}; nothing happens until {@link Member#open}. */
    synchronized Member member(String channelName, Optional<Secret> key, String label, Events events) {
        if (closing) {
            throw new IllegalStateException(wantedNick() + " is closing");
        }
        ChannelMembership.Channel ch = channels.findOrAdd(channelName, key);
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

    /** Registered and not closing: what rejoins, nick retries and the watchdog need to go on. */
    private boolean online() {
        return registered && !closing;
    }

    // ---- Leaving: a room's release, closing for good ----

    private CompletableFuture<Void> release(Member m, Duration grace) {
        ChannelMembership.Channel ch = m.channel;
        boolean lastInChannel;
        boolean lastOfAll;
        synchronized (this) {
            m.released = true;
            ch.members.remove(m);
            lastInChannel = ch.members.isEmpty();
            lastOfAll = channels.memberCount() == 0;
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
                        channels.remove(ch);
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
        nicks.stop();
        if (!started) {
            channels.closeQueues();
            finished();
            return;
        }
        whenAllDrained(deadline, this::quit);
    }

    private void whenAllDrained(Instant deadline, Runnable then) {
        List<ChannelMembership.Channel> all = channels.all();
        boolean waiting = all.stream().anyMatch(c -> c.queue.size() > 0 && c.joined);
        if (waiting && scheduler.now().isBefore(deadline)) {
            scheduler.schedule(Duration.ofMillis(20), () -> whenAllDrained(deadline, then));
            return;
        }
        then.run();
    }

    private void whenDrained(ChannelMembership.Channel ch, Instant deadline, Runnable then) {
        if (ch.queue.size() > 0 && ch.joined && scheduler.now().isBefore(deadline)) {
            scheduler.schedule(Duration.ofMillis(20), () -> whenDrained(ch, deadline, then));
            return;
        }
        then.run();
    }

    private void quit() {
        channels.closeQueues();
        liveness.stop();
        PircBotX b = bot;
        if (b != null && b.isConnected()) {
            try {
                b.sendRaw().rawLineNow("QUIT :parley is leaving");
            } catch (RuntimeException e) {
                log.debug("{}: QUIT not sent: {}", wantedNick(), e.toString());
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

    // ---- Sessions: each attempt a fresh PircBotX; connected, disconnected, reconnect ----

    private void connectAttempt() {
        if (closing) {
            finished();
            return;
        }
        PircBotX b;
        try {
            b = new QuietBot(PircBotXSetup.configuration(wantedNick(), network, accountCaps, login, new Tap()));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            problemForAll("cannot set up the connection of " + wantedNick() + ": " + e.getMessage());
            reconnectAfterBackoff();
            return;
        }
        registered = false;
        login.newSession();
        isupport.clear();
        nicks.newSession();
        bot = b;
        liveness.awaitWelcome(() -> bot != b || registered || closing, () -> closeSocket(b));
        Thread t = new Thread(() -> runSession(b), "irc-" + network.name() + "-" + wantedNick());
        t.setDaemon(true);
        t.start();
    }

    private void runSession(PircBotX b) {
        try {
            b.startBot();
        } catch (IrcException e) {
            if (!closing) {
                problemForAll(wantedNick() + " was refused by the server: " + e.getMessage());
            }
        } catch (IOException | RuntimeException e) {
            log.info("{}: connection failed: {}", wantedNick(), e.toString());
        } finally {
            disconnected(b);
        }
    }

    /** 001: the server welcomed us; the connection is up. Join what is wanted and start watching it. */
    private void connected(String ourNick) {
        registered = true;
        telemetry.ircConnection(network.name(), wantedNick(), true);
        nicks.welcomedAs(ourNick);
        channels.joinWanted();
        PircBotX b = bot;
        liveness.watch(() -> online() && bot == b, () -> closeSocket(b));
    }

    /** The session {@code b} ended (dropped, refused, or closed by us): out of every channel; reconnect. */
    private void disconnected(PircBotX b) {
        if (b != bot) {
            return;
        }
        nicks.stop();
        liveness.stop();
        registered = false;
        telemetry.ircConnection(network.name(), wantedNick(), false);
        channels.disconnected();
        if (closing) {
            finished();
            return;
        }
        reconnectAfterBackoff();
    }

    /** The one place a reconnect attempt is decided: after a drop or a failed set-up, spaced by backoff. */
    private void reconnectAfterBackoff() {
        Duration delay = backoff.next();
        telemetry.ircReconnect(network.name(), wantedNick());
        log.info("{}: reconnecting in {} ms", wantedNick(), delay.toMillis());
        scheduler.schedule(delay, this::connectAttempt);
    }

    /** Our own JOIN echoed: the connection works (backoff and problem streaks start over), the channel is in. */
    private void ownJoin(IrcLine line) {
        ChannelMembership.Channel ch = channels.find(line.param(0));
        if (ch != null && nicks.isUs(line.nick())) {
            prefix.joined(line);
            backoff.reset();
            tlsProblemReported = false;
            channels.joined(ch);
        }
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
        channels.forEachMember(m -> m.problem(problem));
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
            log.info("{}: line not sent, will retry after reconnect: {}", wantedNick(), e.toString());
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

    /** Every server line: our bookkeeping (see the handlers in the constructor), then every member hears it. */
    private final class Tap implements PircBotXSetup.Tap {
        @Override
        public void before(IrcLine line) {
            if (line.command().equals("001")) {
                login.welcomed(line.param(0), isupport.caseMapping(), IrcConnection.this::writeNow);
            }
        }

        @Override
        public void after(IrcLine line) {
            liveness.heard();
            handlers.handle(line);
            channels.forEachMember(m -> m.heard(line));
        }

        @Override
        public void connectFailed(Collection<Exception> causes) {
            IrcConnection.this.connectFailed(causes);
        }
    }
}
