package dev.parley.irc;

import dev.parley.config.IrcIdentity;
import dev.parley.config.IrcNetworkConfig;
import dev.parley.config.IrcOptions;
import dev.parley.config.RoomConfig;
import dev.parley.config.Secret;
import dev.parley.core.Scheduler;
import dev.parley.core.SeatId;
import dev.parley.room.Parcel;
import dev.parley.room.Room;
import dev.parley.room.RoomListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A conversation shown in one IRC channel: the control identity and every seat each speak over their own
 * connection ({@link IrcConnection}, one per nick on the network, shared with the other rooms of the same
 * {@link IrcNetwork}). Seats speak with {@link #post}; the control identity posts notices and is the one that
 * listens to humans, so their messages reach the listener in exactly the server's order.
 *
 * <p>Humans are everyone but our own identities ({@link OwnNicks}: tracked by their current nicks, renames
 * included, so a seat's message is never taken for a human's). Operators are recognised by {@link OperatorRules},
 * with the services accounts an {@link AccountTracker} keeps. NOTICEs and CTCP requests are ignored; private
 * messages to the control nick are passed on as direct messages only when the network's options allow it, and,
 * when the control nick serves several rooms, only to the room they name ({@link HumanMessages}). What the room
 * is given goes out in call order across its identities ({@link RoomSequencer}); casting seats in and out and
 * the topic are this class's own.
 */
public final class IrcRoom implements Room {
    private static final Logger log = LoggerFactory.getLogger(IrcRoom.class);
    private static final Pattern CHANNEL = Pattern.compile("[#&+!][^\\s,\u0007\u0000]{1,199}");
    /** RFC 2812 nick characters; length is left to the server (NICKLEN varies). */
    private static final Pattern NICK = Pattern.compile("[A-Za-z\\[\\]\\\\`_^{|}][A-Za-z0-9\\[\\]\\\\`_^{|}-]{0,63}");
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(3);
    /**
     * How long the room's order waits for an identity that is not in the channel (joining after a start, coming
     * back after a server restart) before the others go on without it: as long as a conversation waits for its
     * seats to join.
     */
    private static final Duration SEQUENCE_PATIENCE = Duration.ofSeconds(30);

    private final IrcNetwork network;
    private final IrcOptions options;
    private final String channel;
    private final Optional<Secret> key;
    private final Map<SeatId, IrcIdentity> identities;
    private final OperatorRules operators;

    /** Each seat's current member: a seat sent out keeps its (released) member until it is brought back. */
    private final Map<SeatId, IrcConnection.Member> seats = new ConcurrentHashMap<>();
    private final IrcConnection.Member control;
    private final Events events = new Events();
    private volatile RoomListener listener;
    /** The seats in the channel (see {@link #cast}); all of them unless told otherwise. */
    private volatile Set<SeatId> cast;
    /** Members sent out of the channel by {@link #cast}: released, or about to be. */
    private final Set<IrcConnection.Member> dismissed = ConcurrentHashMap.newKeySet();
    /** Dismissed members' departures still running, so that closing waits for them too. */
    private final Set<CompletableFuture<Void>> departures = ConcurrentHashMap.newKeySet();
    /** A refused TOPIC is said once: the operator must give the control nick channel-operator status. */
    private volatile boolean topicSent;
    private volatile boolean topicRefusalReported;
    private final CompletableFuture<Void> allJoined = new CompletableFuture<>();
    /** Members whose presence was last reported as in the channel (reports only changes). */
    private final Set<IrcConnection.Member> present = ConcurrentHashMap.newKeySet();
    private final Set<IrcConnection.Member> everJoined = ConcurrentHashMap.newKeySet();
    /** Keeps posts, notices and typing in call order across the identities' separate connections. */
    private final RoomSequencer sequencer;
    /** Our identities' nicks, renames included: never taken for humans. */
    private final OwnNicks ownNicks;
    /** Services accounts of the channel's users (the control identity's view). */
    private final AccountTracker accounts;
    private final HumanMessages humans;

    /**
     * A room with connections of its own (not shared with other rooms): for a single conversation, and tests.
     * Rooms of several conversations on one network should come from one {@link IrcNetwork} instead.
     *
     * @param network    the network (host, TLS, control nick, operators, {@link IrcOptions})
     * @param channel    the channel, with its prefix ("#parley")
     * @param key        the channel key, if it has one
     * @param identities the seats shown here and their IRC identities, in seat order
     * @param scheduler  pacing, reconnect backoff, nick retries and keepalive run on it
     */
    public IrcRoom(IrcNetworkConfig network, String channel, Optional<Secret> key,
                   Map<SeatId, IrcIdentity> identities, Scheduler scheduler) {
        this(new IrcNetwork(network, scheduler), channel, key, identities);
    }

    /** The room of a {@link RoomConfig.Irc} on its network, with connections of its own. */
    public IrcRoom(IrcNetworkConfig network, RoomConfig.Irc room, Map<SeatId, IrcIdentity> identities,
                   Scheduler scheduler) {
        this(network, room.channel(), room.key(), identities, scheduler);
    }

    IrcRoom(IrcNetwork network, String channel, Optional<Secret> key, Map<SeatId, IrcIdentity> identities) {
        this.network = Objects.requireNonNull(network, "network");
        IrcNetworkConfig config = network.config();
        this.options = config.options();
        this.channel = Objects.requireNonNull(channel, "channel");
        if (!CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("not an IRC channel name: " + channel);
        }
        this.key = key == null ? Optional.empty() : key;
        this.identities = new LinkedHashMap<>(identities);
        this.operators = new OperatorRules(config.operatorAccounts(), config.operatorMasks());
        Set<String> nicks = ConcurrentHashMap.newKeySet();
        requireNick(config.controlNick(), "control nick");
        nicks.add(config.controlNick().toLowerCase(Locale.ROOT));
        for (var e : identities.entrySet()) {
            requireNick(e.getValue().nick(), "nick of seat " + e.getKey());
            if (!nicks.add(e.getValue().nick().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("two identities share the IRC nick " + e.getValue().nick());
            }
        }
        this.sequencer = new RoomSequencer(network.scheduler(), SEQUENCE_PATIENCE);
        // Members exist from the start, so that posts made before open() wait in their queues.
        this.control = network.connection(config.controlNick(), Optional.empty(), true)
                .member(channel, this.key, "control", events);
        for (SeatId seat : this.identities.keySet()) {
            seats.put(seat, newMember(seat));
        }
        this.cast = Set.copyOf(this.identities.keySet());
        this.ownNicks = new OwnNicks(control, seats::values);
        this.accounts = new AccountTracker(channel, control, operators.byAccount(), ownNicks::isOwn,
                NICK.asMatchPredicate());
        this.humans = new HumanMessages(channel, control, options.directMessages(), ownNicks::isOwn,
                accounts::account, operators);
    }

    /** A member for the seat on its nick's connection (a fresh connection if the last one was closed). */
    private IrcConnection.Member newMember(SeatId seat) {
        IrcIdentity id = identities.get(seat);
        return network.connection(id.nick(), id.password(), false).member(channel, key, seat.value(), events);
    }

    private static void requireNick(String nick, String what) {
        if (nick == null || !NICK.matcher(nick).matches()) {
            throw new IllegalArgumentException(what + " is not a valid IRC nick: " + nick);
        }
    }

    @Override
    public String name() {
        return "irc " + channel + " on " + network.config().name();
    }

    public String channel() {
        return channel;
    }

    /** Completes when the control identity and every seat of the cast have joined the channel (the first time). */
    public CompletableFuture<Void> allJoined() {
        return allJoined;
    }

    /** The nick a seat currently speaks as (its wanted nick, or a fallback while that is taken). */
    public String currentNick(SeatId seat) {
        IrcConnection.Member m = seats.get(seat);
        return m == null ? null : m.nick();
    }

    @Override
    public synchronized void open(RoomListener roomListener) {
        if (listener != null) {
            throw new IllegalStateException(name() + " is already open");
        }
        this.listener = Objects.requireNonNull(roomListener, "listener");
        control.open();
        identities.keySet().stream().filter(cast::contains).forEach(s -> seats.get(s).open());
    }

    /**
     * Posts as the seat. A seat that is not in the cast is refused like an unknown one: its nick is not in the
     * channel, and a post that waited for it would come out of order whenever it is brought back.
     */
    @Override
    public void post(SeatId seat, String text) {
        postLines(seat, text);
    }

    /**
     * A journalled parcel: done once its lines were written to the server's connection. IRC has no way to send a
     * message idempotently, so the window for a repeat after a crash is that between the write and the outbox's
     * record of it (see docs/irc.md).
     */
    @Override
    public CompletableFuture<Void> deliver(Parcel parcel) {
        return switch (parcel.kind()) {
            case POST -> postLines(parcel.seat(), parcel.text());
            case NOTICE -> noticeLines(parcel.text());
            case RELAY -> noticeLines("<" + parcel.sender() + "> " + parcel.text());
        };
    }

    private CompletableFuture<Void> postLines(SeatId seat, String text) {
        Objects.requireNonNull(text, "text");
        IrcConnection.Member c = seats.get(seat);
        if (c == null) {
            throw new IllegalArgumentException("seat " + seat + " has no IRC identity in " + name());
        }
        if (!cast.contains(seat)) {
            throw new IllegalArgumentException("seat " + seat + " is not in " + name() + " (not in the cast)");
        }
        return sequencer.submit(c, wireLines("PRIVMSG", c, text, options.actions()));
    }

    /** IRCv3 {@code +typing} where the server supports client tags; nothing otherwise (nor for a seat not in). */
    @Override
    public void typing(SeatId seat, boolean typing) {
        IrcConnection.Member m = seats.get(seat);
        if (m != null && cast.contains(seat)) {
            sequencer.submit(m, m.typingLines(typing));
        }
    }

    /**
     * Seats without an IRC identity here are ignored (they are not shown in this channel). Before open, says who
     * joins at open. After: a seat sent out PARTs (QUITs, when its connection serves no other channel) once what it
     * was given went out, within a few seconds, and is not reported absent; a seat brought in joins (over a new
     * connection if its old one closed) and is reported present once in.
     */
    @Override
    public synchronized void cast(Set<SeatId> wanted) {
        Set<SeatId> now = Set.copyOf(wanted.stream().filter(identities::containsKey).toList());
        Set<SeatId> before = cast;
        cast = now;
        if (listener == null) {
            return;
        }
        before.stream().filter(s -> !now.contains(s)).forEach(this::sendOut);
        identities.keySet().stream().filter(s -> now.contains(s) && !before.contains(s)).forEach(this::bringIn);
        checkAllJoined();
    }

    private void sendOut(SeatId seat) {
        IrcConnection.Member m = seats.get(seat);
        dismissed.add(m);
        present.remove(m);
        log.info("{}: {} ({}) leaves the channel", name(), seat, m.nick());
        // What the seat was given before goes first: release once the sequencer has handed all of it over (or
        // a few seconds have passed), then its queue drains within the release's own grace.
        CompletableFuture<Void> handedOver = new CompletableFuture<>();
        sequencer.submit(new RoomSequencer.Outlet() {
            @Override
            public boolean joined() {
                return false;
            }

            @Override
            public void send(List<String> lines, Consumer<Boolean> whenWritten, Consumer<Boolean> whenAcknowledged) {
                // Not on this thread: it may hold a connection's lock (a queue dropped while parting), and the
                // departure takes the room's, which cast() holds while it opens members.
                network.scheduler().execute(() -> handedOver.complete(null));
                whenWritten.accept(true);
                whenAcknowledged.accept(true);
            }
        }, List.of());
        network.scheduler().schedule(CLOSE_GRACE, () -> handedOver.complete(null));
        CompletableFuture<Void> gone = handedOver.thenCompose(v -> {
            synchronized (this) {
                // Brought back before it left: it stays. Decided under the lock that cast() holds.
                if (!dismissed.contains(m)) {
                    return CompletableFuture.<Void>completedFuture(null);
                }
                // Its queue may have been dropped at the deadline: the room must not wait for it.
                return network.release(m, CLOSE_GRACE).whenComplete((x, e) -> sequencer.absent(m));
            }
        });
        departures.add(gone);
        gone.whenComplete((v, e) -> departures.remove(gone));
    }

    private void bringIn(SeatId seat) {
        IrcConnection.Member m = seats.get(seat);
        if (dismissed.remove(m) && !m.isReleased()) {
            // Sent out so recently that it has not left yet (its last lines are still going out): it stays.
            if (m.joined()) {
                events.joined(m);
            }
            return;
        }
        log.info("{}: {} ({}) joins the channel", name(), seat, identities.get(seat).nick());
        if (m.isReleased()) {
            // Its connection may still be quitting: connecting again at once would find the nick taken (and
            // speak as "Nick_" until the next nick retry), so the fresh connection waits for the old one to end.
            // A connection still serving other channels is simply used again.
            IrcConnection old = m.connection();
            IrcConnection.Member fresh = newMember(seat);
            seats.put(seat, fresh);
            CompletableFuture<Void> free = old.isClosing() ? old.stopped() : CompletableFuture.completedFuture(null);
            free.thenRun(() -> network.scheduler().execute(() -> openIfStillIn(seat, fresh)));
            return;
        }
        m.open();
    }

    private synchronized void openIfStillIn(SeatId seat, IrcConnection.Member m) {
        if (cast.contains(seat) && seats.get(seat) == m && !dismissed.contains(m) && !m.isReleased()) {
            m.open();
        }
    }

    /**
     * Sets the channel topic as the control identity, in call order with notices. The text is one line, sanitized
     * like a message and cut to fit the relayed line. A refusal (the control nick is no channel operator in a +t
     * channel) is reported once.
     */
    @Override
    public void topic(String text) {
        Objects.requireNonNull(text, "text");
        String line = IrcText.sanitizeLine(String.join(" ", IrcText.splitLines(text)), options.formatting()).strip();
        line = IrcText.truncateToBytes(line, control.textBudget());
        topicSent = true;
        sequencer.submit(control, List.of("TOPIC " + channel + " :" + line));
    }

    @Override
    public void notice(String text) {
        noticeLines(text);
    }

    private CompletableFuture<Void> noticeLines(String text) {
        Objects.requireNonNull(text, "text");
        return sequencer.submit(control, wireLines("NOTICE", control, text, false));
    }

    private List<String> wireLines(String command, IrcConnection.Member c, String text, boolean actions) {
        IrcText.Layout layout = new IrcText.Layout(c.textBudget(), options.maxLines(),
                options.overflow() == IrcOptions.Overflow.CUT, options.cutMarker(), options.formatting(), actions);
        List<String> out = new ArrayList<>();
        for (IrcText.Line line : IrcText.layout(text, layout)) {
            String payload = line.action() ? "\u0001ACTION " + line.text() + "\u0001" : line.text();
            out.add(command + " " + channel + " :" + payload);
        }
        return out;
    }

    /**
     * Delivers what is queued and leaves, waiting for that at most a few seconds: the daemon closes rooms on its
     * way out, and a notice posted just before ("conversation stopped") should still reach the channel.
     * Never call it on a conversation's loop; {@link #closeAsync} does not wait.
     */
    @Override
    public void close() {
        try {
            closeAsync().get(CLOSE_GRACE.plusSeconds(2).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("{}: not all connections closed within {} s", name(), CLOSE_GRACE.plusSeconds(2).toSeconds());
        } catch (ExecutionException e) {
            log.warn("{}: closing failed", name(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Delivers what is queued (a few seconds at most), then leaves: a connection no other room uses QUITs.
     * Completes when this room's connections are done.
     */
    public CompletableFuture<Void> closeAsync() {
        Scheduler scheduler = network.scheduler();
        Instant deadline = scheduler.now().plus(CLOSE_GRACE);
        // What the sequencer still holds goes out in order first (the last reply, then "conversation ended"),
        // for most of the grace time; whatever is left then is handed to the queues at once.
        CompletableFuture<Void> ordered = sequencer.idle();
        scheduler.schedule(CLOSE_GRACE.minusSeconds(1), () -> ordered.complete(null));
        return ordered.thenCompose(ignored -> {
            sequencer.flush();
            Duration left = Duration.between(scheduler.now(), deadline);
            Duration grace = left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
            List<CompletableFuture<Void>> done = new ArrayList<>(departures);
            synchronized (this) {
                done.add(network.release(control, grace));
                for (IrcConnection.Member m : seats.values()) {
                    // Dismissed members are released by their own departure; a released one only once.
                    if (!dismissed.contains(m) && !m.isReleased()) {
                        done.add(network.release(m, grace));
                    }
                }
            }
            return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
        });
    }

    /** The control identity, or a seat's current member while the seat is in the cast. */
    private boolean inRoom(IrcConnection.Member m) {
        if (m == control) {
            return true;
        }
        SeatId seat = SeatId.of(m.label());
        return cast.contains(seat) && seats.get(seat) == m && !dismissed.contains(m);
    }

    private void checkAllJoined() {
        if (everJoined.contains(control) && cast.stream().allMatch(s -> everJoined.contains(seats.get(s)))) {
            allJoined.complete(null);
        }
    }

    /** Lines seen by the control connection: humans' messages and what we track about users. */
    private void onControlLine(IrcLine line) {
        ownNicks.prune();
        switch (line.command()) {
            case "PRIVMSG" -> humans.read(line).ifPresent(inbound -> {
                RoomListener l = listener;
                if (l != null) {
                    l.onHuman(inbound);
                }
            });
            case "482" -> topicRefused(line);
            default -> { }
        }
        accounts.handle(line);
        ownNicks.handle(line);
    }

    /** 482 me #channel :You're not channel operator (TOPIC is the only op-only command we send). */
    private void topicRefused(IrcLine line) {
        if (topicSent && control.caseMapping().equals(line.param(1), channel) && !topicRefusalReported) {
            topicRefusalReported = true;
            events.problem(control, control.nick() + " may not set the topic of " + channel + ": "
                    + line.param(2) + " (give it channel-operator status, or set the channel -t)");
        }
    }

    private final class Events implements IrcConnection.Events {
        @Override
        public void joined(IrcConnection.Member m) {
            RoomListener l = listener;
            if (l == null || !inRoom(m) || !present.add(m)) {
                return;
            }
            if (m != control) {
                l.onSeatPresence(SeatId.of(m.label()), true);
            }
            everJoined.add(m);
            sequencer.joined(m);
            checkAllJoined();
        }

        @Override
        public void left(IrcConnection.Member m, String why) {
            RoomListener l = listener;
            if (l == null || !inRoom(m) || !present.remove(m)) {
                return;
            }
            log.info("{}: {} ({}) left: {}", name(), m.label(), m.nick(), why);
            sequencer.absent(m);
            if (m != control) {
                l.onSeatPresence(SeatId.of(m.label()), false);
            }
        }

        @Override
        public void line(IrcConnection.Member m, IrcLine line) {
            if (m == control && listener != null) {
                onControlLine(line);
            }
        }

        @Override
        public void problem(IrcConnection.Member m, String problem) {
            log.warn("{}: {}", name(), problem);
            RoomListener l = listener;
            if (l != null) {
                l.onRoomProblem(problem);
            }
        }
    }
}
