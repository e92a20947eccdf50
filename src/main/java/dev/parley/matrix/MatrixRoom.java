package dev.parley.matrix;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.config.MatrixServerConfig;
import dev.parley.core.Backoff;
import dev.parley.core.Scheduler;
import dev.parley.core.SeatId;
import dev.parley.room.Parcel;
import dev.parley.room.Room;
import dev.parley.room.RoomListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A conversation shown in one Matrix room, each seat posting as its own Matrix user (its own account, or a ghost
 * of our application service) and the control identity posting {@code m.notice}s and reading the humans.
 *
 * <p>This class is the {@link Room} façade; the work is done by its parts, one job each:
 * {@link MatrixIdentities} (logins, ghosts, whoami), {@link MatrixMembership} (join, invite, rejoin, leave),
 * {@link SyncLoop} (the /sync long-poll, gaps, saved position), {@link InboundEvents} (what each event means),
 * {@link MatrixOutbox} (the ordered send queue and its transaction ids), {@link Retractions} (redacting posts
 * taken back) and {@link PowerLevels} (who is an operator). {@link RoomContext} is what they share.
 *
 * <p>Humans' {@code m.text} and {@code m.emote} reach the listener in timeline order; our own users' events,
 * {@code m.notice}s (bots must not answer bots), edits ({@code m.replace}: the conversation already heard the
 * original, and a transcript is append-only) and redactions (not requested by the filter, for the same reason)
 * are ignored.
 */
public final class MatrixRoom implements Room {
    private static final Logger log = LoggerFactory.getLogger(MatrixRoom.class);

    /**
     * Timings: retry backoff, the /sync long-poll, how long close() waits for queued messages, timeline page, and
     * how long after a batch was handed to the listener its sync position is saved (see {@link SyncLoop}).
     */
    public record Tuning(Backoff backoff, Duration syncTimeout, Duration closeGrace, int timelineLimit,
                         Duration positionSaveDelay) {
        public static final Duration DEFAULT_POSITION_SAVE_DELAY = Duration.ofSeconds(2);
        public static final Tuning DEFAULT = new Tuning(new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30)),
                Duration.ofSeconds(30), Duration.ofSeconds(5), 200);

        public Tuning {
            if (positionSaveDelay.isNegative()) {
                throw new IllegalArgumentException("positionSaveDelay must not be negative: " + positionSaveDelay);
            }
        }

        public Tuning(Backoff backoff, Duration syncTimeout, Duration closeGrace, int timelineLimit) {
            this(backoff, syncTimeout, closeGrace, timelineLimit, DEFAULT_POSITION_SAVE_DELAY);
        }
    }

    private final String roomRef;
    private final Map<SeatId, MatrixSeat> seats = new LinkedHashMap<>();
    private final OkHttpClient http;
    private final RoomContext ctx;
    private final PowerLevels powerLevels;
    private final MatrixIdentities identities;
    private final SyncLoop sync;
    private final MatrixMembership membership;
    private final MatrixOutbox outbox;
    private final Retractions retractions;
    private final InboundEvents inbound;

    /** With a private OkHttp client and default timings. */
    public MatrixRoom(MatrixServerConfig server, String room, List<MatrixSeat> seats, Path stateFile,
                      Scheduler scheduler) {
        this(server, room, seats, stateFile, scheduler, MatrixClient.defaultHttp(), Tuning.DEFAULT);
    }

    /**
     * @param server    the homeserver, mode and control identity
     * @param room      a room id ({@code !id:server}) or alias ({@code #alias:server})
     * @param seats     the seats shown in this room, each with a Matrix identity
     * @param stateFile where the /sync position of this room is kept (one file per room; created if absent), and
     *                  beside it the sessions of its password logins ({@link MatrixSessions#fileBeside})
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
        SyncState state = new SyncState(Objects.requireNonNull(stateFile, "stateFile"));
        this.http = Objects.requireNonNull(http, "http");
        for (MatrixSeat s : seats) {
            if (this.seats.put(s.id(), s) != null) {
                throw new IllegalArgumentException("seat " + s.id() + " listed twice");
            }
        }
        this.ctx = new RoomContext(name(), server, Objects.requireNonNull(scheduler, "scheduler"),
                Objects.requireNonNull(tuning, "tuning"), Set.copyOf(this.seats.keySet()));
        if (ctx.appservice() && this.seats.isEmpty()) {
            throw new IllegalArgumentException(name() + ": appservice mode needs at least one seat (its ghost reads "
                    + "the room)");
        }
        this.powerLevels = new PowerLevels(ctx);
        this.identities = new MatrixIdentities(ctx, room, http, this.seats, MatrixSessions.beside(stateFile));
        this.sync = new SyncLoop(ctx, state, this::handleBatch,
                () -> this.seats.values().stream().map(identities::userOf).toList());
        // The parts that need each other meet through methods of this room, which read the fields when called.
        this.membership = new MatrixMembership(ctx, this.seats, identities, powerLevels, sync, this::queuedFor,
                this::pumpOutbox);
        // Behind an encrypting proxy an identity's first message waits for its primer (RoomEncryption).
        this.outbox = new MatrixOutbox(ctx,
                seat -> ctx.encryption.primed(seat == null ? "(control)" : seat.value(),
                        seat == null ? membership.controlReady() : membership.seatReady(seat), ctx.roomId),
                membership::rejoin, this::sent);
        this.retractions = new Retractions(ctx, membership, outbox);
        this.inbound = new InboundEvents(ctx, this.seats, identities, powerLevels, membership);
        ctx.notices = this::notice;
    }

    private boolean queuedFor(SeatId seat) {
        return outbox.holds(seat);
    }

    private void pumpOutbox() {
        outbox.pump();
    }

    private void sent(SeatId seat, String txnId, String eventId) {
        retractions.sent(seat, txnId, eventId);
    }

    private void handleBatch(SyncResponse batch, List<RoomEvent> missed, boolean deliver, String polledAs) {
        inbound.handle(batch, missed, deliver, polledAs);
    }

    @Override
    public String name() {
        return "matrix " + roomRef;
    }

    /** The room id once resolved and joined (null before). */
    public String roomId() {
        return ctx.roomId;
    }

    /**
     * Logs the control identity in and joins the room; then the seats of the cast join, and the room
     * is read (by the control identity, or in appservice mode by a seat's ghost once one is in). In accounts mode
     * the seats log in meanwhile; only their joins wait for the control identity's.
     */
    @Override
    public void open(RoomListener roomListener) {
        ctx.listener = Objects.requireNonNull(roomListener, "listener");
        CompletableFuture<MatrixClient> control = identities.control();
        membership.logInSeatsEarly();
        control
                .thenCompose(c -> identities.identifyControl(c)
                        .thenCompose(uid -> membership.joinControl(c, roomRef))
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
        outbox.send(seat, postContent(seat, text), outbox.nextTxnId());
    }

    @Override
    public void notice(String text) {
        outbox.send(null, noticeContent(text), outbox.nextTxnId());
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
        String txnId = parcel.key().id();
        if (parcel.kind() == Parcel.Kind.POST) {
            // Remembered under the parcel's number, by which the conversation may take the post back (retract).
            retractions.remember(txnId, parcel.key().seq());
        }
        return outbox.send(parcel.seat(), content, txnId);
    }

    private ObjectNode postContent(SeatId seat, String text) {
        Objects.requireNonNull(text, "text");
        if (!seats.containsKey(seat)) {
            throw new IllegalArgumentException("seat " + seat + " has no Matrix identity in " + name());
        }
        if (!ctx.inCast(seat)) {
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
        client.typing(ctx.roomId, identities.userOf(seats.get(seat)), typing, Duration.ofSeconds(30))
                .exceptionally(e -> {
                    log.debug("typing for {} failed: {}", seat, MatrixClient.unwrap(e).toString());
                    return null;
                });
    }

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

    /**
     * Redacts the events posted under {@code refs}, with {@code notice} as the reason (clients show it in their
     * place), and posts no notice. Posts still queued are dropped before they are sent; one being sent is
     * redacted as soon as its event id is known. Refs older than the last {@link Retractions#REFS_KEPT} are not
     * known.
     */
    @Override
    public void retract(List<Long> refs, String notice) {
        retractions.retract(refs, notice);
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

    /**
     * Delivers what is queued (within the close grace), waits for the last batch's sync position to be saved,
     * and closes every client. It does not leave the room: an invite-only room would need new invites.
     */
    @Override
    public void close() {
        outbox.close();
        sync.awaitLastPositionSave();
        ctx.closed = true;
        identities.closeAll();
    }

    /** Test hook: the HTTP client this room calls the homeserver with. */
    OkHttpClient http() {
        return http;
    }

    /** Test hook: how many messages were refused as "not in room" and held until their seat rejoined. */
    long heldForRejoin() {
        return outbox.heldForRejoin();
    }

    /** An encrypted room says so in {@code !status}. */
    @Override
    public String status() {
        String e = ctx.encryption.status();
        return e.isEmpty() ? "" : name() + ": " + e;
    }

    /** Test hook: what this room knows about end-to-end encryption. */
    RoomEncryption encryption() {
        return ctx.encryption;
    }

    /** Test hook: the users this room treats as its own. */
    Set<String> ownUsers() {
        return identities.ownUsers();
    }
}
