package dev.parley.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.config.MatrixServerConfig;
import dev.parley.config.Secret;
import dev.parley.core.Backoff;
import dev.parley.core.Scheduler;
import dev.parley.core.SeatId;
import dev.parley.room.Inbound;
import dev.parley.room.Parcel;
import dev.parley.room.Room;
import dev.parley.room.RoomListener;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A conversation shown in one Matrix room, each seat posting as its own Matrix user (its own account, or a ghost
 * of our application service) and the control identity posting {@code m.notice}s and reading the humans.
 *
 * <p>Sending: one ordered queue for the whole room, one request in flight, so messages appear in call order
 * across all identities; each message gets a transaction id when it is queued and keeps it through every retry,
 * so a retry after a lost response never duplicates it. Callers never block.
 *
 * <p>Receiving: the control identity long-polls /sync with a filter limited to this room's messages, power
 * levels and memberships. The since-token is saved to {@code stateFile} a short delay after each batch was
 * handed to the listener (so the conversation can journal it first; see {@link #savePositionLater}); on the
 * very first start the history is skipped. Seats are identified with whoami when they join, and a seat of the
 * cast that leaves or is kicked rejoins by itself (one sent out of the cast leaves for good). Humans'
 * {@code m.text} and {@code m.emote} reach the listener in timeline order; our own users' events,
 * {@code m.notice}s (bots must not answer bots), edits ({@code m.replace}: the conversation already heard the
 * original, and a transcript is append-only) and redactions (not requested by the filter, for the same reason)
 * are ignored.
 */
public final class MatrixRoom implements Room {
    private static final Logger log = LoggerFactory.getLogger(MatrixRoom.class);

    /**
     * Timings: retry backoff, the /sync long-poll, how long close() waits for queued messages, timeline page, and
     * how long after a batch was handed to the listener its sync position is saved (see {@link #savePositionLater}).
     */
    public record Tuning(Backoff backoff, Duration syncTimeout, Duration closeGrace, int timelineLimit,
                         Duration positionSaveDelay) {
        public static final Duration DEFAULT_POSITION_SAVE_DELAY = Duration.ofSeconds(2);
        public static final Tuning DEFAULT = new Tuning(new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30)), Duration.ofSeconds(30),
                Duration.ofSeconds(5), 200);

        public Tuning {
            if (positionSaveDelay.isNegative()) {
                throw new IllegalArgumentException("positionSaveDelay must not be negative: " + positionSaveDelay);
            }
        }

        public Tuning(Backoff backoff, Duration syncTimeout, Duration closeGrace, int timelineLimit) {
            this(backoff, syncTimeout, closeGrace, timelineLimit, DEFAULT_POSITION_SAVE_DELAY);
        }
    }

    /** How many refs' event ids are remembered for {@link #retract}: the last ones, which are what is retracted. */
    static final int REFS_KEPT = 1000;

    /** An event a seat (null: the control identity) posted. */
    private record Sent(SeatId seat, String eventId) { }

    /**
     * {@code afterRejoin}: refused once as "not in room" already, and the seat has joined again since.
     * {@code sent}: completed once the homeserver has the event, or once it was given up for good (and reported);
     * failed if the room closed first.
     */
    private record Outgoing(SeatId seat, ObjectNode content, String txnId, boolean afterRejoin,
                            CompletableFuture<Void> sent) {
        Outgoing(SeatId seat, ObjectNode content, String txnId) {
            this(seat, content, txnId, false, new CompletableFuture<>());
        }

        Outgoing rejoined() {
            return new Outgoing(seat, content, txnId, true, sent);
        }
    }

    private final String roomRef;
    private final RoomContext ctx;
    private final PowerLevels powerLevels;
    private final SyncLoop sync;
    private final MatrixIdentities identities;
    private final MatrixMembership membership;
    private final Map<SeatId, MatrixSeat> seats = new LinkedHashMap<>();
    private final SyncState state;
    private final OkHttpClient http;


    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    private boolean sending;
    private boolean closing;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    private final String txnPrefix;
    private final AtomicLong txnCounter = new AtomicLong();
    private final AtomicLong heldForRejoin = new AtomicLong();

    /** Posts' transaction ids to the journal ref they were posted under, until sent or dropped. */
    private final Map<String, Long> refOfTxn = new ConcurrentHashMap<>();
    /** The events posted under each of the last {@link #REFS_KEPT} refs, and who sent them, for retraction. */
    private final Map<Long, List<Sent>> sentByRef = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, List<Sent>> eldest) {
            return size() > REFS_KEPT;
        }
    };
    /** Refs retracted while some of their posts were still being sent: those are redacted once sent. */
    private final Map<Long, String> retractedRefs = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > REFS_KEPT;
        }
    };


    /** With a private OkHttp client and default timings. */
    public MatrixRoom(MatrixServerConfig server, String room, List<MatrixSeat> seats, Path stateFile,
                      Scheduler scheduler) {
        this(server, room, seats, stateFile, scheduler, MatrixClient.defaultHttp(), Tuning.DEFAULT);
    }

    /**
     * @param server    the homeserver, mode and control identity
     * @param room      a room id ({@code !id:server}) or alias ({@code #alias:server})
     * @param seats     the seats shown in this room, each with a Matrix identity
     * @param stateFile where the /sync position of this room is kept (one file per room; created if absent)
     * @param scheduler runs retries and backoff delays
     * @param http      shared OkHttp client; its read timeout must exceed {@code tuning.syncTimeout()}
     */
    public MatrixRoom(MatrixServerConfig server, String room, List<MatrixSeat> seats, Path stateFile,
                      Scheduler scheduler, OkHttpClient http, Tuning tuning) {
        Objects.requireNonNull(server, "server");
        this.roomRef = Objects.requireNonNull(room, "room");
        // Room ids of room version 12 have no ":server" part any more; aliases always do.
        if (!(room.startsWith("!") && room.length() > 1 || room.startsWith("#") && room.indexOf(':') > 1)
                || room.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("matrix room must be a !room-id or #alias:server: " + room);
        }
        MatrixIds.requireUserId(server.controlUser());
        this.state = new SyncState(Objects.requireNonNull(stateFile, "stateFile"));
        this.http = Objects.requireNonNull(http, "http");
        for (MatrixSeat s : seats) {
            if (this.seats.put(s.id(), s) != null) {
                throw new IllegalArgumentException("seat " + s.id() + " listed twice");
            }
        }
        this.ctx = new RoomContext(name(), server, Objects.requireNonNull(scheduler, "scheduler"),
                Objects.requireNonNull(tuning, "tuning"), Set.copyOf(this.seats.keySet()));
        this.powerLevels = new PowerLevels(ctx);
        this.identities = new MatrixIdentities(ctx, room, this.http, this.seats);
        this.sync = new SyncLoop(ctx, state, this::handleRooms,
                () -> this.seats.values().stream().map(identities::userOf).toList());
        this.membership = new MatrixMembership(ctx, this.seats, identities, powerLevels, sync, this::queuedFor,
                this::pump);
        if (ctx.appservice() && this.seats.isEmpty()) {
            throw new IllegalArgumentException(name() + ": appservice mode needs at least one seat (its ghost reads "
                    + "the room)");
        }
        byte[] run = new byte[6];
        new java.security.SecureRandom().nextBytes(run);
        this.txnPrefix = "parley." + HexFormat.of().formatHex(run) + ".";
    }

    @Override
    public String name() {
        return "matrix " + roomRef;
    }

    /** The room id once resolved and joined (null before). */
    public String roomId() {
        return ctx.roomId;
    }

    @Override
    public void open(RoomListener roomListener) {
        ctx.listener = Objects.requireNonNull(roomListener, "listener");
        identities.control()
                .thenCompose(c -> identities.identifyControl(c)
                        .thenCompose(uid -> c.resolve(roomRef))
                        .thenCompose(id -> {
                            ctx.roomId = id;
                            return membership.joinControl(c, roomRef);
                        })
                        .thenRun(() -> {
                            if (!ctx.appservice()) {
                                sync.readAs(c, identities.controlUserId());
                            }
                        }))
                .exceptionally(e -> {
                    ctx.fail("cannot open as " + ctx.server.controlUser(), e);
                    membership.openFailed(e);
                    return null;
                });
    }

    /**
     * Posts as the seat. A seat that is not in the cast is refused like an unknown one: its user is not in the
     * room (or leaving it), and a post that waited for it would come out of order whenever it is brought back.
     */
    @Override
    public void post(SeatId seat, String text) {
        enqueue(new Outgoing(seat, postContent(seat, text), nextTxnId()));
    }

    @Override
    public void notice(String text) {
        enqueue(new Outgoing(null, noticeContent(text), nextTxnId()));
    }

    /**
     * A journalled parcel goes out with a transaction id made of its journal key, never of this process: sent
     * again after a crash (the homeserver had it, the delivery was not recorded yet), it is the same transaction,
     * and the homeserver answers with the event it already has instead of showing it twice.
     */
    @Override
    public CompletableFuture<Void> deliver(Parcel parcel) {
        ObjectNode content = switch (parcel.kind()) {
            case POST -> postContent(parcel.seat(), parcel.text());
            case NOTICE -> noticeContent(parcel.text());
            case RELAY -> relayContent(parcel.sender(), parcel.text());
        };
        Outgoing o = new Outgoing(parcel.seat(), content, parcel.key().id());
        if (parcel.kind() == Parcel.Kind.POST) {
            // Remembered under the parcel's number, by which the conversation may take the post back (retract).
            refOfTxn.put(o.txnId(), parcel.key().seq());
        }
        enqueue(o);
        return o.sent();
    }

    private ObjectNode postContent(SeatId seat, String text) {
        Objects.requireNonNull(text, "text");
        if (!seats.containsKey(seat)) {
            throw new IllegalArgumentException("seat " + seat + " has no Matrix identity in " + name());
        }
        if (!ctx.cast.contains(seat)) {
            throw new IllegalArgumentException("seat " + seat + " is not in " + name() + " (not in the cast)");
        }
        ObjectNode content = MatrixClient.MAPPER.createObjectNode().put("msgtype", "m.text").put("body", text);
        String html = SafeMarkdown.toHtml(text);
        if (html != null) {
            content.put("format", "org.matrix.custom.html").put("formatted_body", html);
        }
        return content;
    }

    private static ObjectNode noticeContent(String text) {
        Objects.requireNonNull(text, "text");
        return MatrixClient.MAPPER.createObjectNode().put("msgtype", "m.notice").put("body", text);
    }

    /** As {@link Room#relay} does by default: a notice from the control identity. */
    private static ObjectNode relayContent(String sender, String text) {
        return noticeContent("<" + sender + "> " + text);
    }

    @Override
    public void typing(SeatId seat, boolean typing) {
        MatrixClient client = membership.inRoom(seat);
        if (client == null || ctx.closed) {
            return;
        }
        String user = identities.userOf(seats.get(seat));
        client.typing(ctx.roomId, user, typing, Duration.ofSeconds(30))
                .exceptionally(e -> {
                    log.debug("typing for {} failed: {}", seat, MatrixClient.unwrap(e).toString());
                    return null;
                });
    }

    @Override
    public void close() {
        synchronized (queue) {
            closing = true;
        }
        pump();
        try {
            drained.get(ctx.tuning.closeGrace().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            List<Outgoing> left;
            synchronized (queue) {
                left = List.copyOf(queue);
            }
            log.warn("{}: closing with {} message(s) not delivered", name(), left.size());
            left.forEach(o -> o.sent().completeExceptionally(new MatrixException(0, "", name() + " closed")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.debug("drain failed", e);
        }
        sync.awaitLastPositionSave();
        ctx.closed = true;
        identities.closeAll();
    }

    // ---- cast, retraction, topic ------------------------------------------------------------------------

    /**
     * Seats without a Matrix identity here are ignored (they are not shown in this room). Before the room is
     * joined, says who joins. After: a seat brought in joins (invited first where the room needs it; its display
     * name set) and is reported present once in; a seat sent out leaves once its queued messages went out, is not
     * reported absent and is not rejoined. In appservice mode a seat that reads the room leaves only once another
     * seat took over reading.
     */
    @Override
    public void cast(Set<SeatId> wanted) {
        membership.cast(wanted);
    }

    /** Whether the seat still has messages queued (a seat sent out leaves once it has none). */
    private boolean queuedFor(SeatId seat) {
        synchronized (queue) {
            return queue.stream().anyMatch(o -> seat.equals(o.seat()));
        }
    }

    /** A queued message was sent ({@code eventId}) or given up (null): remember it under its ref, if it had one. */
    private void sent(SeatId seat, String txnId, String eventId) {
        Long ref = refOfTxn.remove(txnId);
        if (ref == null || eventId == null) {
            return;
        }
        String reason;
        synchronized (sentByRef) {
            sentByRef.computeIfAbsent(ref, r -> new java.util.ArrayList<>()).add(new Sent(seat, eventId));
            reason = retractedRefs.get(ref);
        }
        if (reason != null) {
            redact(new Sent(seat, eventId), reason);
        }
    }

    /**
     * Redacts the events posted under {@code refs}, with {@code notice} as the reason (clients show it in their
     * place), and posts no notice. Posts still queued are dropped before they are sent; one being sent is
     * redacted as soon as its event id is known. Refs older than the last {@link #REFS_KEPT} are not known.
     */
    @Override
    public void retract(List<Long> refs, String notice) {
        Set<Long> wanted = Set.copyOf(refs);
        synchronized (queue) {
            Outgoing inFlight = sending ? queue.peek() : null;
            for (java.util.Iterator<Outgoing> it = queue.iterator(); it.hasNext(); ) {
                Outgoing o = it.next();
                Long ref = refOfTxn.get(o.txnId());
                if (o != inFlight && ref != null && wanted.contains(ref)) {
                    it.remove();
                    refOfTxn.remove(o.txnId());
                }
            }
        }
        pump(); // a closing room whose queue this emptied is drained now
        List<Sent> known = new java.util.ArrayList<>();
        synchronized (sentByRef) {
            for (Long ref : wanted) {
                retractedRefs.put(ref, notice);
                known.addAll(sentByRef.getOrDefault(ref, List.of()));
            }
        }
        known.forEach(e -> redact(e, notice));
    }

    /** As the seat that sent it while the seat is in the room, else (or if refused) as the control identity. */
    private void redact(Sent event, String reason) {
        MatrixClient seat = event.seat() == null ? null : membership.inRoom(event.seat());
        CompletableFuture<Void> done = seat != null
                ? seat.redact(ctx.roomId, event.eventId(), nextTxnId(), reason)
                        .handle((v, e) -> e == null ? CompletableFuture.<Void>completedFuture(null)
                                : redactAsControl(event, reason))
                        .thenCompose(f -> f)
                : redactAsControl(event, reason);
        done.exceptionally(e -> {
            if (!ctx.closed) {
                ctx.fail("cannot redact " + event.eventId(), e);
            }
            return null;
        });
    }

    private CompletableFuture<Void> redactAsControl(Sent event, String reason) {
        return membership.controlReady().thenCompose(c -> c.redact(ctx.roomId, event.eventId(), nextTxnId(), reason));
    }

    /** Sets {@code m.room.topic} as the control identity; a refusal (power levels) is reported. */
    @Override
    public void topic(String text) {
        Objects.requireNonNull(text, "text");
        membership.controlReady().thenCompose(c -> c.putState(ctx.roomId, "m.room.topic", "",
                        MatrixClient.MAPPER.createObjectNode().put("topic", text)))
                .exceptionally(e -> {
                    if (!ctx.closed) {
                        ctx.fail("cannot set the topic as " + identities.controlUserId(), e);
                    }
                    return null;
                });
    }

    // ---- sending ----------------------------------------------------------------------------------------

    private String nextTxnId() {
        return txnPrefix + txnCounter.incrementAndGet();
    }

    private void enqueue(Outgoing o) {
        synchronized (queue) {
            if (closing) {
                log.warn("{}: closed; message not sent", name());
                o.sent().completeExceptionally(new MatrixException(0, "", name() + " closed"));
                return;
            }
            queue.add(o);
        }
        pump();
    }

    private void pump() {
        Outgoing next;
        synchronized (queue) {
            if (sending) {
                return;
            }
            next = queue.peek();
            if (next == null) {
                if (closing) {
                    drained.complete(null);
                }
                return;
            }
            sending = true;
        }
        CompletableFuture<MatrixClient> who = next.seat() == null ? membership.controlReady()
                : membership.seatReady(next.seat());
        String who2 = next.seat() == null ? "the control identity" : "seat " + next.seat();
        who.thenCompose(c -> c.send(ctx.roomId, "m.room.message", next.txnId(), next.content()))
                .whenComplete((eventId, e) -> {
                    if (e != null && !ctx.closed && next.seat() != null && !next.afterRejoin()
                            && MatrixClient.unwrap(e) instanceof MatrixException m && m.status() == 403) {
                        holdUntilRejoined(next, m);
                        return;
                    }
                    synchronized (queue) {
                        queue.poll();
                        sending = false;
                    }
                    sent(next.seat(), next.txnId(), e == null ? eventId : null);
                    if (e == null || !ctx.closed) {
                        // Delivered, or refused for good (reported below): sending it again would not help.
                        next.sent().complete(null);
                    } else {
                        next.sent().completeExceptionally(MatrixClient.unwrap(e));
                    }
                    if (e != null && !ctx.closed) {
                        Throwable cause = MatrixClient.unwrap(e);
                        String key = who2 + (cause instanceof MatrixException m ? m.errcode() : "");
                        if (ctx.reported.add(key)) {
                            ctx.fail("message from " + who2 + " not delivered", cause);
                        } else {
                            log.warn("{}: message from {} not delivered: {}", name(), who2, cause.getMessage());
                        }
                    }
                    // Not recursively: a run of failed messages must not grow the stack.
                    ctx.scheduler.execute(this::pump);
                });
    }

    /**
     * A seat's message refused with 403: most likely the seat is not in the room (it left or was kicked, and
     * /sync may not have said so yet). The message stays at the head of the queue, so nothing overtakes it,
     * while the seat rejoins; then it is sent again with the same transaction id. Refused again after the
     * rejoin, it is something else (e.g. power levels) and is dropped and reported like any other failure.
     */
    private void holdUntilRejoined(Outgoing next, MatrixException refusal) {
        heldForRejoin.incrementAndGet();
        log.info("{}: message from seat {} refused ({}); holding it until the seat is back", name(), next.seat(),
                refusal.getMessage());
        membership.rejoin(next.seat()).whenComplete((v, e) -> {
            synchronized (queue) {
                if (queue.peek() == next) {
                    queue.poll();
                    queue.addFirst(next.rejoined());
                }
                sending = false;
            }
            ctx.scheduler.execute(this::pump);
        });
    }

    // ---- receiving --------------------------------------------------------------------------------------

    private void handleRooms(SyncResponse batch, List<RoomEvent> missed, boolean deliver, String poller) {
        String roomId = ctx.roomId;
        if (!ctx.appservice() && !membership.controlJoined() && batch.invited(roomId)) {
            membership.acceptInvite();
        }
        if (!ctx.appservice() && batch.joined(roomId) && !membership.controlJoined()) {
            membership.onControlJoined();
        }
        SyncResponse.JoinedRoom joined = batch.room(roomId);
        for (RoomEvent ev : joined.state().events()) {
            if ("m.room.power_levels".equals(ev.type())) {
                powerLevels.update(ev.content());
            }
        }
        for (RoomEvent ev : missed) {
            handleEvent(ev, deliver);
        }
        for (RoomEvent ev : joined.timeline().events()) {
            handleEvent(ev, deliver);
        }
        boolean sentOut = seats.values().stream()
                .anyMatch(s -> identities.userOf(s).equals(poller) && !ctx.cast.contains(s.id()));
        if (batch.left(roomId) && membership.controlJoined() && !sentOut) {
            ctx.problem(name() + ": " + poller + " was removed from the room");
            // In appservice mode the reader is a seat's ghost: its own leave never shows in a joined timeline.
            seats.values().stream().filter(s -> ctx.appservice() && identities.userOf(s).equals(poller)).findFirst()
                    .ifPresent(s -> membership.membershipChanged(poller, "leave"));
        }
    }

    private void handleEvent(RoomEvent ev, boolean deliver) {
        String type = ev.type();
        String sender = ev.sender();
        JsonNode content = ev.content();
        switch (type) {
            case "m.room.power_levels" -> {
                if (ev.stateKey().isEmpty()) {
                    powerLevels.update(content);
                }
                return;
            }
            case "m.room.member" -> {
                if (deliver) {
                    membership.membershipChanged(ev.stateKey(), content.path("membership").asText());
                }
                return;
            }
            case "m.room.message" -> { }
            default -> {
                return;
            }
        }
        if (!deliver || identities.isOwn(sender)) {
            return;
        }
        String msgtype = content.path("msgtype").asText();
        if (!msgtype.equals("m.text") && !msgtype.equals("m.emote")) {
            return;
        }
        if ("m.replace".equals(content.path("m.relates_to").path("rel_type").asText())) {
            log.debug("{}: edit by {} ignored (the original was already heard)", name(), sender);
            return;
        }
        String body = content.path("body").asText("");
        if (content.path("m.relates_to").has("m.in_reply_to")) {
            body = stripReplyFallback(body);
        }
        ctx.listener.onHuman(new Inbound(MatrixIds.localpart(sender), body, powerLevels.isOperator(sender),
                msgtype.equals("m.emote"), false));
    }


    /** Drops the "> <@user> quoted" lines some clients put before a reply's own text. */
    static String stripReplyFallback(String body) {
        String[] lines = body.split("\n", -1);
        int i = 0;
        while (i < lines.length && lines[i].startsWith(">")) {
            i++;
        }
        if (i == 0) {
            return body;
        }
        while (i < lines.length && lines[i].isEmpty()) {
            i++;
        }
        return String.join("\n", java.util.Arrays.copyOfRange(lines, i, lines.length));
    }



    /** Test hook: the HTTP client this room calls the homeserver with. */
    OkHttpClient http() {
        return http;
    }

    /** Test hook: how many messages were refused as "not in room" and held until their seat rejoined. */
    long heldForRejoin() {
        return heldForRejoin.get();
    }

    /** Test hook: the users this room treats as its own. */
    Set<String> ownUsers() {
        return identities.ownUsers();
    }
}
