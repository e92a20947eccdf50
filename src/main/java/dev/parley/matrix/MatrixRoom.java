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
    /** How long a seat sent out of the room waits at most for its queued messages before it leaves anyway. */
    private static final Duration LEAVE_DRAIN_LIMIT = Duration.ofSeconds(30);

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

    private final MatrixServerConfig server;
    private final String roomRef;
    private final Map<SeatId, MatrixSeat> seats = new LinkedHashMap<>();
    private final SyncState state;
    private final Scheduler scheduler;
    private final OkHttpClient http;
    private final Tuning tuning;
    private final Set<String> ownUsers = ConcurrentHashMap.newKeySet();
    private final Pattern ghostNamespace;

    private final CompletableFuture<MatrixClient> controlReady = new CompletableFuture<>();
    private final Map<SeatId, CompletableFuture<MatrixClient>> seatReady = new ConcurrentHashMap<>();
    /** Each seat's user as the homeserver knows it (whoami), which a mistaken config may not match. */
    private final Map<SeatId, String> seatUsers = new ConcurrentHashMap<>();
    /** Seats on their way back into the room after a leave or kick: at most one rejoin running per seat. */
    private final Map<SeatId, CompletableFuture<Void>> rejoining = new java.util.HashMap<>();
    private final List<MatrixClient> clients = new CopyOnWriteArrayList<>();
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    private boolean sending;
    private boolean closing;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile boolean closed;

    /** Sync positions: batches handed to the listener are numbered; a position is never replaced by an older. */
    private final Object positionLock = new Object();
    private long positionsHandedOver;
    private long positionSaved;
    private CompletableFuture<Void> lastPositionSave = CompletableFuture.completedFuture(null);

    private final String txnPrefix;
    private final AtomicLong txnCounter = new AtomicLong();
    private final AtomicLong heldForRejoin = new AtomicLong();

    /** The seats in the room (see {@link #cast}); all of them unless told otherwise. */
    private volatile Set<SeatId> cast;
    /** Seats whose join was started (at open, or when brought in later). */
    private final Set<SeatId> joinStarted = ConcurrentHashMap.newKeySet();
    /** Completed and replaced each time another seat's ghost takes over reading (appservice mode). */
    private volatile CompletableFuture<Void> readerMoved = new CompletableFuture<>();
    /** Who made the /sync call being handled: a reader that was replaced may still have one in flight. */
    private volatile String polledAs;
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

    private volatile RoomListener listener;
    private volatile MatrixClient control;
    private volatile String controlUserId;
    /** Who long-polls /sync: the control identity, or in appservice mode the first seat's ghost (see docs). */
    private volatile MatrixClient reader;
    /** Done once the room knows its sync position: from then on nothing a human says is missed. */
    private final CompletableFuture<Void> listening = new CompletableFuture<>();
    private volatile String readerUserId;
    private volatile String roomId;
    private volatile boolean controlJoined;
    private volatile JsonNode powerLevels;
    /** e2e hook: end-to-end encryption, see {@link RoomEncryption}. */
    private final RoomEncryption encryption;

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
        this.server = Objects.requireNonNull(server, "server");
        this.roomRef = Objects.requireNonNull(room, "room");
        // Room ids of room version 12 have no ":server" part any more; aliases always do.
        if (!(room.startsWith("!") && room.length() > 1 || room.startsWith("#") && room.indexOf(':') > 1)
                || room.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("matrix room must be a !room-id or #alias:server: " + room);
        }
        MatrixIds.requireUserId(server.controlUser());
        this.state = new SyncState(Objects.requireNonNull(stateFile, "stateFile"));
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.http = Objects.requireNonNull(http, "http");
        this.tuning = Objects.requireNonNull(tuning, "tuning");
        this.ghostNamespace = server.mode() == MatrixServerConfig.Mode.APPSERVICE
                ? Pattern.compile(MatrixRegistration.userNamespace(server)) : null;
        ownUsers.add(server.controlUser());
        for (MatrixSeat s : seats) {
            if (this.seats.put(s.id(), s) != null) {
                throw new IllegalArgumentException("seat " + s.id() + " listed twice");
            }
            ownUsers.add(s.identity().userId());
            seatReady.put(s.id(), new CompletableFuture<>());
        }
        this.cast = Set.copyOf(this.seats.keySet());
        if (appservice() && this.seats.isEmpty()) {
            throw new IllegalArgumentException(name() + ": appservice mode needs at least one seat (its ghost reads "
                    + "the room)");
        }
        byte[] run = new byte[6];
        new java.security.SecureRandom().nextBytes(run);
        this.txnPrefix = "parley." + HexFormat.of().formatHex(run) + ".";
        this.encryption = new RoomEncryption(server.encryption(), name(), scheduler, this::problem, this::notice); // e2e hook
    }

    @Override
    public String name() {
        return "matrix " + roomRef;
    }

    /** The room id once resolved and joined (null before). */
    public String roomId() {
        return roomId;
    }

    @Override
    public void open(RoomListener roomListener) {
        this.listener = Objects.requireNonNull(roomListener, "listener");
        controlClient()
                .thenCompose(c -> {
                    control = c;
                    return c.whoami();
                })
                .thenCompose(uid -> {
                    controlUserId = uid;
                    ownUsers.add(uid);
                    if (!uid.equals(server.controlUser())) {
                        log.warn("matrix {}: control token belongs to {}, config says {}", server.name(), uid,
                                server.controlUser());
                    }
                    return control.resolve(roomRef);
                })
                .thenCompose(id -> {
                    roomId = id;
                    // By alias when given one: the homeserver then knows which servers to join a remote room via.
                    return control.join(roomRef).handle((r, e) -> {
                        if (e == null) {
                            onControlJoined();
                        } else if (MatrixClient.unwrap(e) instanceof MatrixException m && m.status() == 403) {
                            problem(name() + ": " + controlUserId + " may not join yet (" + m.getMessage()
                                    + "); waiting for an invite");
                            if (appservice()) {
                                // The appservice user cannot /sync, so it never sees the invite: ask again.
                                scheduler.schedule(tuning.backoff().max(), this::retryControlJoin);
                            }
                        } else {
                            throw new java.util.concurrent.CompletionException(MatrixClient.unwrap(e));
                        }
                        return null;
                    });
                })
                .thenRun(() -> {
                    if (!appservice()) {
                        reader = control;
                        readerUserId = controlUserId;
                        startSync();
                    }
                })
                .exceptionally(e -> {
                    fail("cannot open as " + server.controlUser(), e);
                    controlReady.completeExceptionally(MatrixClient.unwrap(e));
                    seatReady.values().forEach(f -> f.completeExceptionally(MatrixClient.unwrap(e)));
                    return null;
                });
    }

    private boolean appservice() {
        return server.mode() == MatrixServerConfig.Mode.APPSERVICE;
    }

    private void retryControlJoin() {
        if (closed || controlJoined) {
            return;
        }
        control.join(roomId).whenComplete((r, e) -> {
            if (e == null) {
                onControlJoined();
            } else {
                scheduler.schedule(tuning.backoff().max(), this::retryControlJoin);
            }
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
        if (!cast.contains(seat)) {
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
        CompletableFuture<MatrixClient> ready = seatReady.get(seat);
        if (ready == null || !ready.isDone() || ready.isCompletedExceptionally() || closed || !cast.contains(seat)) {
            return;
        }
        String user = userOf(seats.get(seat));
        ready.join().typing(roomId, user, typing, Duration.ofSeconds(30))
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
            drained.get(tuning.closeGrace().toMillis(), TimeUnit.MILLISECONDS);
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
        awaitLastPositionSave();
        closed = true;
        clients.forEach(MatrixClient::close);
    }

    /**
     * A graceful close waits (at most the save delay, and a little) for the position of the last batch handed
     * over, so a restart does not hear it again; if it cannot (a stopped scheduler), the restart repeats it.
     */
    private void awaitLastPositionSave() {
        CompletableFuture<Void> last;
        synchronized (positionLock) {
            last = lastPositionSave;
        }
        try {
            last.get(tuning.positionSaveDelay().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("{}: sync position of the last batch not saved; a restart delivers it again", name());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- identities -------------------------------------------------------------------------------------

    private CompletableFuture<MatrixClient> controlClient() {
        if (server.mode() == MatrixServerConfig.Mode.APPSERVICE) {
            Path file = server.appservice().orElseThrow().registrationFile();
            try {
                return CompletableFuture.completedFuture(track(newClient(MatrixRegistration.read(file).asToken())));
            } catch (IOException e) {
                return CompletableFuture.failedFuture(new MatrixException(0, "",
                        "appservice registration " + file + " unreadable: " + e.getMessage()));
            }
        }
        return account(server.controlUser(), server.controlToken(), server.controlPassword(),
                "control-token-env or control-password-env of matrix server " + server.name());
    }

    private CompletableFuture<MatrixClient> account(String userId, java.util.Optional<Secret> token,
                                                    java.util.Optional<Secret> password, String what) {
        if (token.isPresent() && !token.get().isBlank()) {
            return CompletableFuture.completedFuture(track(newClient(token.get().reveal())));
        }
        if (password.isPresent() && !password.get().isBlank()) {
            return MatrixClient.login(http, server.homeserverUrl(), scheduler, tuning.backoff(), userId,
                    password.get().reveal(), MatrixIds.deviceId(userId, roomRef)).thenApply(this::track);
        }
        return CompletableFuture.failedFuture(new MatrixException(0, "", userId + " has no access token or "
                + "password: set " + what));
    }

    private MatrixClient newClient(String token) {
        return new MatrixClient(http, server.homeserverUrl(), scheduler, tuning.backoff(), token);
    }

    private MatrixClient track(MatrixClient c) {
        clients.add(c);
        if (closed) {
            c.close();
        }
        return c;
    }

    private CompletableFuture<MatrixClient> seatClient(MatrixSeat seat) {
        String user = seat.identity().userId();
        if (server.mode() == MatrixServerConfig.Mode.APPSERVICE) {
            if (!ghostNamespace.matcher(user).matches()) {
                return CompletableFuture.failedFuture(new MatrixException(0, "", "seat " + seat.id() + ": " + user
                        + " is outside the appservice user namespace " + ghostNamespace.pattern()));
            }
            return control.registerGhost(MatrixIds.localpart(user)).thenApply(v -> control.masquerade(user));
        }
        return account(user, seat.identity().accessToken(), seat.identity().password(),
                "access-token-env or password-env of seat " + seat.id());
    }

    private synchronized void onControlJoined() {
        if (controlJoined) {
            return;
        }
        controlJoined = true;
        // e2e hook: an encrypted room without a proxy may be refused before anyone joins or speaks.
        encryption.checkAtJoin(control, roomId).whenComplete((v, refused) -> {
            if (refused == null) {
                joinedAndChecked();
            } else {
                fail("refuses to start", refused);
                controlReady.completeExceptionally(MatrixClient.unwrap(refused));
                seatReady.values().forEach(f -> f.completeExceptionally(MatrixClient.unwrap(refused)));
            }
        });
    }

    private synchronized void joinedAndChecked() {
        control.powerLevels(roomId).whenComplete((pl, e) -> {
            if (pl != null) {
                powerLevels = pl;
            } else {
                log.warn("{}: cannot read power levels: {}", name(), MatrixClient.unwrap(e).toString());
            }
            // Commands are judged with power levels known; the control identity may speak from now on.
            controlReady.complete(control);
            encryption.primed("null", controlReady, roomId); // e2e hook: the control identity primes at once
            pump();
        });
        for (MatrixSeat seat : seats.values()) {
            if (cast.contains(seat.id())) {
                joinSeat(seat);
            }
        }
    }

    /**
     * Synapse refuses /sync for an application service's own user (sender_localpart): it raises
     * NotImplementedError, see matrix-org/matrix-doc#1144. In appservice mode a seat's ghost, which is in the room
     * anyway, reads it instead, by masquerading: a seat of the cast that is in the room. The first to join starts
     * the sync loop; a later change only swaps the client the loop's next poll uses, so it goes on from the same since
     * token and nothing said meanwhile is missed. A reader sent out keeps reading (and stays in the room) until
     * another seat is in to take over: reading never stops while the room is open.
     */
    private synchronized void chooseReader() {
        if (!appservice() || closed) {
            return;
        }
        String current = readerUserId;
        boolean currentInCast = seats.values().stream()
                .anyMatch(s -> userOf(s).equals(current) && cast.contains(s.id()));
        if (current != null && currentInCast) {
            return;
        }
        for (MatrixSeat s : seats.values()) {
            CompletableFuture<MatrixClient> ready = seatReady.get(s.id());
            if (cast.contains(s.id()) && ready.isDone() && !ready.isCompletedExceptionally()) {
                reader = ready.join();
                readerUserId = userOf(s);
                CompletableFuture<Void> moved = readerMoved;
                readerMoved = new CompletableFuture<>();
                moved.complete(null);
                if (current == null) {
                    startSync();
                } else {
                    log.info("{}: {} reads the room from now on, instead of {}", name(), readerUserId, current);
                }
                return;
            }
        }
    }

    /** Completes once {@code user} no longer reads the room (at once if it does not). */
    private CompletableFuture<Void> notReading(String user) {
        if (!appservice() || !user.equals(readerUserId)) {
            return CompletableFuture.completedFuture(null);
        }
        return readerMoved.thenCompose(v -> notReading(user));
    }

    /** The user the sync position is saved for: in appservice mode the appservice, whichever ghost reads. */
    private String stateUser() {
        return appservice() ? server.controlUser() : readerUserId;
    }

    /** The seat's user as whoami said, or as configured until the seat has joined. */
    private String userOf(MatrixSeat seat) {
        return seatUsers.getOrDefault(seat.id(), seat.identity().userId());
    }

    /**
     * Asks the homeserver whose token the seat holds. Its answer, not the config, is what the seat's own posts
     * carry as sender: it must count as our own (or they come back as a human's, to be answered twice or even
     * parsed as a command); a mismatch with the config is a mistake the operator has to hear about.
     */
    private CompletableFuture<MatrixClient> identify(MatrixSeat seat, MatrixClient c) {
        return c.whoami().thenApply(actual -> {
            ownUsers.add(actual);
            seatUsers.put(seat.id(), actual);
            String configured = seat.identity().userId();
            if (!actual.equals(configured)) {
                // The configured id is somebody else (maybe a human in this room): not ours, so not ignored.
                boolean stillOurs = configured.equals(server.controlUser()) || configured.equals(controlUserId)
                        || seatUsers.containsValue(configured) || seats.values().stream()
                        .anyMatch(s -> s != seat && s.identity().userId().equals(configured));
                if (!stillOurs) {
                    ownUsers.remove(configured);
                }
                problem(name() + ": seat " + seat.id() + " is configured as " + configured + " but its token "
                        + "belongs to " + actual + "; it posts as " + actual + " (fix the seat's matrix user or "
                        + "token)");
            }
            return c;
        });
    }

    /** Joins the seat's client to the room; in an invite-only room the control identity invites it first. */
    private CompletableFuture<Void> enterRoom(MatrixSeat seat, MatrixClient c) {
        return c.join(roomId)
                .handle((id, e) -> {
                    if (e == null) {
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    if (MatrixClient.unwrap(e) instanceof MatrixException m && m.status() == 403) {
                        // Invite-only room: the control identity invites the seat, which then accepts.
                        return control.invite(roomId, userOf(seat)).thenCompose(v -> c.join(roomId))
                                .<Void>thenApply(x -> null);
                    }
                    return CompletableFuture.<Void>failedFuture(MatrixClient.unwrap(e));
                })
                .thenCompose(f -> f);
    }

    /**
     * Brings a seat that left or was kicked back into the room, retrying with backoff until it is in (or the room
     * closes), and reports it present again. A rejoin already running is shared, so a kick seen both by /sync and
     * by a refused send joins once. Returns when the seat is back.
     */
    private CompletableFuture<Void> rejoin(MatrixSeat seat) {
        CompletableFuture<Void> fresh = new CompletableFuture<>();
        synchronized (rejoining) {
            CompletableFuture<Void> running = rejoining.get(seat.id());
            if (running != null && !running.isDone()) {
                return running;
            }
            rejoining.put(seat.id(), fresh);
        }
        log.info("{}: seat {} ({}) is not in the room; rejoining", name(), seat.id(), userOf(seat));
        attemptRejoin(seat, fresh, 0);
        return fresh;
    }

    private void attemptRejoin(MatrixSeat seat, CompletableFuture<Void> done, int failures) {
        CompletableFuture<MatrixClient> ready = seatReady.get(seat.id());
        if (closed || !ready.isDone() || ready.isCompletedExceptionally() || !cast.contains(seat.id())) {
            done.completeExceptionally(new MatrixException(0, "", name() + ": seat " + seat.id()
                    + (closed ? ": room closed" : !cast.contains(seat.id()) ? ": not in the cast" : ": never joined")));
            return;
        }
        enterRoom(seat, ready.join()).whenComplete((v, e) -> {
            if (e == null) {
                reported.remove("rejoin " + seat.id());
                log.info("{}: seat {} is back in the room", name(), seat.id());
                // Completed before reporting presence: a leave seen meanwhile then starts a new rejoin, so the
                // last word on presence is always a rejoin's.
                done.complete(null);
                chooseReader();
                listening.thenRun(() -> listener.onSeatPresence(seat.id(), true));
                return;
            }
            if (closed) {
                done.completeExceptionally(MatrixClient.unwrap(e));
                return;
            }
            Duration wait = tuning.backoff().delay(failures);
            if (reported.add("rejoin " + seat.id())) {
                fail("seat " + seat.id() + " (" + userOf(seat) + ") cannot rejoin; trying again every "
                        + tuning.backoff().max().toSeconds() + " s at most", e);
            }
            scheduler.schedule(wait, () -> attemptRejoin(seat, done, failures + 1));
        });
    }

    private void joinSeat(MatrixSeat seat) {
        joinStarted.add(seat.id());
        CompletableFuture<MatrixClient> ready = seatReady.get(seat.id());
        seatClient(seat)
                .thenCompose(c -> identify(seat, c))
                .thenCompose(c -> c.setDisplayName(userOf(seat), seat.displayName())
                        .exceptionally(e -> {
                            log.warn("{}: cannot set display name of {}: {}", name(), userOf(seat),
                                    MatrixClient.unwrap(e).getMessage());
                            return null;
                        })
                        .thenCompose(v -> enterRoom(seat, c))
                        .thenApply(v -> c))
                .whenComplete((c, e) -> {
                    if (e != null) {
                        fail("seat " + seat.id() + " (" + userOf(seat) + ") cannot join", e);
                        ready.completeExceptionally(MatrixClient.unwrap(e));
                    } else if (!cast.contains(seat.id())) {
                        // Sent out while it was joining: it leaves again at once.
                        ready.complete(c);
                        sendOut(seat);
                    } else {
                        ready.complete(c);
                        chooseReader();
                        // Reported once the room listens, so a conversation that starts on presence hears all.
                        // e2e hook: and, behind an encrypting proxy, once the seat is primed (RoomEncryption).
                        listening.runAfterBoth(encryption.primed(String.valueOf(seat.id()), ready, roomId),
                                () -> listener.onSeatPresence(seat.id(), true));
                    }
                    pump();
                });
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
    public synchronized void cast(Set<SeatId> wanted) {
        Set<SeatId> now = Set.copyOf(wanted.stream().filter(seats::containsKey).toList());
        Set<SeatId> before = cast;
        cast = now;
        if (!controlJoined) {
            return;
        }
        for (MatrixSeat s : seats.values()) {
            if (now.contains(s.id()) && !before.contains(s.id())) {
                bringIn(s);
            }
        }
        for (MatrixSeat s : seats.values()) {
            if (before.contains(s.id()) && !now.contains(s.id())) {
                log.info("{}: seat {} ({}) leaves the room", name(), s.id(), userOf(s));
                sendOut(s);
            }
        }
        chooseReader();
    }

    private void bringIn(MatrixSeat seat) {
        log.info("{}: seat {} ({}) joins the room", name(), seat.id(), userOf(seat));
        CompletableFuture<MatrixClient> ready = seatReady.get(seat.id());
        if (ready.isDone() && ready.isCompletedExceptionally()) {
            // Its join failed before (and was reported): try afresh.
            seatReady.put(seat.id(), new CompletableFuture<>());
            joinSeat(seat);
        } else if (!joinStarted.contains(seat.id())) {
            joinSeat(seat);
        } else if (ready.isDone()) {
            // Joined before (and left, or is still leaving): join again, reported present once in.
            rejoin(seat);
        }
        // Else its first join is still running, and will find it in the cast.
    }

    /** The seat leaves once nothing of it is queued (or after a while); brought back meanwhile, it stays. */
    private void sendOut(MatrixSeat seat) {
        CompletableFuture<MatrixClient> ready = seatReady.get(seat.id());
        if (!ready.isDone() || ready.isCompletedExceptionally()) {
            return; // not in: a join still running leaves again when done (see joinSeat)
        }
        MatrixClient c = ready.join();
        CompletableFuture<Void> drained = new CompletableFuture<>();
        whenSeatDrained(seat.id(), scheduler.now().plus(LEAVE_DRAIN_LIMIT), drained);
        drained.thenCompose(v -> notReading(userOf(seat)))
                .thenCompose(v -> closed || cast.contains(seat.id()) ? CompletableFuture.<Void>completedFuture(null)
                        : c.leave(roomId))
                .whenComplete((v, e) -> {
                    if (e != null && !closed) {
                        fail("seat " + seat.id() + " (" + userOf(seat) + ") cannot leave", e);
                    }
                });
    }

    private void whenSeatDrained(SeatId seat, java.time.Instant deadline, CompletableFuture<Void> done) {
        boolean waiting;
        synchronized (queue) {
            waiting = queue.stream().anyMatch(o -> seat.equals(o.seat()));
        }
        if (waiting && !closed && scheduler.now().isBefore(deadline)) {
            scheduler.schedule(Duration.ofMillis(50), () -> whenSeatDrained(seat, deadline, done));
            return;
        }
        done.complete(null);
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
        CompletableFuture<MatrixClient> seat = event.seat() == null ? null : seatReady.get(event.seat());
        boolean bySeat = seat != null && cast.contains(event.seat()) && seat.isDone()
                && !seat.isCompletedExceptionally();
        CompletableFuture<Void> done = bySeat
                ? seat.join().redact(roomId, event.eventId(), nextTxnId(), reason)
                        .handle((v, e) -> e == null ? CompletableFuture.<Void>completedFuture(null)
                                : redactAsControl(event, reason))
                        .thenCompose(f -> f)
                : redactAsControl(event, reason);
        done.exceptionally(e -> {
            if (!closed) {
                fail("cannot redact " + event.eventId(), e);
            }
            return null;
        });
    }

    private CompletableFuture<Void> redactAsControl(Sent event, String reason) {
        return controlReady.thenCompose(c -> c.redact(roomId, event.eventId(), nextTxnId(), reason));
    }

    /** Sets {@code m.room.topic} as the control identity; a refusal (power levels) is reported. */
    @Override
    public void topic(String text) {
        Objects.requireNonNull(text, "text");
        controlReady.thenCompose(c -> c.putState(roomId, "m.room.topic", "",
                        MatrixClient.MAPPER.createObjectNode().put("topic", text)))
                .exceptionally(e -> {
                    if (!closed) {
                        fail("cannot set the topic as " + controlUserId, e);
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
        CompletableFuture<MatrixClient> who = encryption.primed(String.valueOf(next.seat()), // e2e hook: primer
                next.seat() == null ? controlReady : seatReady.get(next.seat()), roomId);
        String who2 = next.seat() == null ? "the control identity" : "seat " + next.seat();
        who.thenCompose(c -> c.send(roomId, "m.room.message", next.txnId(), next.content()))
                .whenComplete((eventId, e) -> {
                    if (e != null && !closed && next.seat() != null && !next.afterRejoin()
                            && MatrixClient.unwrap(e) instanceof MatrixException m && m.status() == 403) {
                        holdUntilRejoined(next, m);
                        return;
                    }
                    synchronized (queue) {
                        queue.poll();
                        sending = false;
                    }
                    sent(next.seat(), next.txnId(), e == null ? eventId : null);
                    if (e == null || !closed) {
                        // Delivered, or refused for good (reported below): sending it again would not help.
                        next.sent().complete(null);
                    } else {
                        next.sent().completeExceptionally(MatrixClient.unwrap(e));
                    }
                    if (e != null && !closed) {
                        Throwable cause = MatrixClient.unwrap(e);
                        String key = who2 + (cause instanceof MatrixException m ? m.errcode() : "");
                        if (reported.add(key)) {
                            fail("message from " + who2 + " not delivered", cause);
                        } else {
                            log.warn("{}: message from {} not delivered: {}", name(), who2, cause.getMessage());
                        }
                    }
                    // Not recursively: a run of failed messages must not grow the stack.
                    scheduler.execute(this::pump);
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
        MatrixSeat seat = seats.get(next.seat());
        rejoin(seat).whenComplete((v, e) -> {
            synchronized (queue) {
                if (queue.peek() == next) {
                    queue.poll();
                    queue.addFirst(next.rejoined());
                }
                sending = false;
            }
            scheduler.execute(this::pump);
        });
    }

    // ---- receiving --------------------------------------------------------------------------------------

    private String filter() {
        ObjectNode f = MatrixClient.MAPPER.createObjectNode();
        f.putObject("presence").putArray("not_types").add("*");
        f.putObject("account_data").putArray("not_types").add("*");
        ObjectNode room = f.putObject("room");
        room.putArray("rooms").add(roomId);
        room.putObject("account_data").putArray("not_types").add("*");
        room.putObject("ephemeral").putArray("not_types").add("*");
        ObjectNode st = room.putObject("state");
        st.putArray("types").add("m.room.power_levels").add("m.room.encryption"); // e2e hook: m.room.encryption
        st.put("lazy_load_members", true);
        ObjectNode tl = room.putObject("timeline");
        ArrayNode types = tl.putArray("types");
        types.add("m.room.message").add("m.room.power_levels").add("m.room.member")
                .add("m.room.encryption").add("m.room.encrypted"); // e2e hook: the two encryption types
        tl.put("limit", tuning.timelineLimit());
        return f.toString();
    }

    /** The same event types as a RoomEventFilter, for /messages. */
    private static String eventFilter() {
        ObjectNode f = MatrixClient.MAPPER.createObjectNode();
        f.putArray("types").add("m.room.message").add("m.room.power_levels").add("m.room.member")
                .add("m.room.encryption").add("m.room.encrypted"); // e2e hook: the two encryption types
        return f.toString();
    }

    private void startSync() {
        String since = state.load(stateUser(), roomId);
        // Earlier versions saved it under the reading ghost (the first seat's), whichever reads now.
        for (var s = seats.values().iterator(); since == null && appservice() && s.hasNext(); ) {
            since = state.load(userOf(s.next()), roomId);
        }
        if (since == null) {
            startFresh();
        } else {
            // Listening only once the saved position proved good (a first poll that does not wait).
            syncFrom(since, Duration.ZERO);
        }
    }

    /** First start in this room: whatever was said before we came is history, not something to answer. */
    private void startFresh() {
        polledAs = readerUserId;
        reader.sync(filter(), null, Duration.ZERO).whenComplete((r, e) -> {
            if (e != null) {
                syncFailed(e, null);
                return;
            }
            handleRooms(r, false, List.of());
            String next = r.path("next_batch").asText();
            // Nothing was delivered (history is skipped), so nothing can be lost by saving at once.
            long seq;
            synchronized (positionLock) {
                seq = ++positionsHandedOver;
            }
            savePosition(seq, next);
            listening.complete(null);
            syncFrom(next);
        });
    }

    private void syncFrom(String since) {
        syncFrom(since, tuning.syncTimeout());
    }

    private void syncFrom(String since, Duration timeout) {
        if (closed) {
            return;
        }
        polledAs = readerUserId;
        reader.sync(filter(), since, timeout).whenComplete((r, e) -> {
            if (e != null) {
                syncFailed(e, since);
                return;
            }
            JsonNode timeline = r.path("rooms").path("join").path(roomId).path("timeline");
            CompletableFuture<List<JsonNode>> gap = timeline.path("limited").asBoolean(false)
                    && timeline.hasNonNull("prev_batch")
                    ? fetchGap(since, timeline.get("prev_batch").asText(), new java.util.ArrayList<>())
                    : CompletableFuture.completedFuture(List.of());
            gap.whenComplete((missed, ge) -> {
                if (ge != null) {
                    log.warn("{}: more than {} events arrived at once and the gap could not be read ({}); "
                            + "older ones in it are skipped", name(), tuning.timelineLimit(),
                            MatrixClient.unwrap(ge).toString());
                }
                // Numbered before the listener hears anything: a close() racing the hand-over then waits for it.
                long seq;
                CompletableFuture<Void> saved = new CompletableFuture<>();
                synchronized (positionLock) {
                    seq = ++positionsHandedOver;
                    lastPositionSave = saved;
                }
                try {
                    handleRooms(r, true, missed == null ? List.of() : missed);
                } catch (RuntimeException ex) {
                    log.error("{}: handling a sync batch failed", name(), ex);
                }
                String next = r.path("next_batch").asText(since);
                savePositionLater(seq, next, saved);
                listening.complete(null);
                syncFrom(next);
            });
        });
    }

    /**
     * The events between the last sync position and the start of a {@code limited} timeline, oldest first,
     * read with /messages: more arrived than one timeline holds (a long daemon outage), and every one counts.
     */
    private CompletableFuture<List<JsonNode>> fetchGap(String from, String to, List<JsonNode> acc) {
        if (closed) {
            return CompletableFuture.completedFuture(acc);
        }
        return reader.messages(roomId, from, to, eventFilter(), 100).thenCompose(page -> {
            JsonNode chunk = page.path("chunk");
            chunk.forEach(acc::add);
            String end = page.path("end").asText(null);
            if (chunk.isEmpty() || end == null || end.equals(from)) {
                log.info("{}: read {} events missed in a sync gap", name(), acc.size());
                return CompletableFuture.completedFuture(acc);
            }
            return fetchGap(end, to, acc);
        });
    }

    /**
     * Saves the position past a batch whose listener calls have all returned, {@code positionSaveDelay} later.
     * Returning is not journalling: the conversation hops onto its own loop and journals there, and the Room SPI
     * does not say when that is done. Saving at once left a window in which a SIGKILL lost a human's message for
     * good (the restart resumed past it); with the delay the loop has that long to journal it, and a kill inside
     * the delay only makes the restart deliver the batch again (the same message heard twice, never lost). It
     * narrows the window, it does not close it: a loop stalled longer than the delay can still lose one.
     */
    private void savePositionLater(long seq, String since, CompletableFuture<Void> saved) {
        scheduler.schedule(tuning.positionSaveDelay(), () -> {
            try {
                savePosition(seq, since);
            } finally {
                saved.complete(null);
            }
        });
    }

    /** Saves {@code since} unless a later batch's position is already saved (scheduled saves may overtake). */
    private void savePosition(long seq, String since) {
        synchronized (positionLock) {
            if (seq <= positionSaved || closed) {
                return;
            }
            positionSaved = seq;
            saveState(since);
        }
    }

    private void saveState(String since) {
        try {
            state.save(stateUser(), roomId, since);
        } catch (RuntimeException e) {
            // Keep the room running; only a restart would repeat this batch. Said once, not per batch.
            if (reported.add("state")) {
                fail("cannot save the sync position", e);
            }
        }
    }

    private void syncFailed(Throwable e, String since) {
        if (closed) {
            return;
        }
        Throwable cause = MatrixClient.unwrap(e);
        if (since != null && cause instanceof MatrixException m && m.status() == 400) {
            // The saved position is not one this homeserver knows (its database was reset, or the file was
            // copied from elsewhere). Retrying it would fail forever: continue from now, and say what was lost.
            problem(name() + ": the homeserver refused the saved sync position (" + m.getMessage()
                    + "); continuing from now, messages since the last run are skipped");
            startFresh();
            return;
        }
        fail("sync stopped", cause);
        if (cause instanceof MatrixException m && !m.isAuthFailure() && m.status() != 0) {
            // Some other refusal (a filter the server dislikes, a forbidden room): try again later.
            scheduler.schedule(tuning.backoff().max(), since == null ? this::startFresh : () -> syncFrom(since));
        }
    }

    private void handleRooms(JsonNode sync, boolean deliver, List<JsonNode> missed) {
        JsonNode rooms = sync.path("rooms");
        if (!appservice() && !controlJoined && rooms.path("invite").has(roomId)) {
            control.join(roomId).whenComplete((r, e) -> {
                if (e == null) {
                    onControlJoined();
                } else {
                    fail("cannot accept the invite", e);
                }
            });
        }
        JsonNode joined = rooms.path("join").path(roomId);
        if (!appservice() && !joined.isMissingNode() && !controlJoined) {
            onControlJoined();
        }
        for (JsonNode ev : joined.path("state").path("events")) {
            if ("m.room.power_levels".equals(ev.path("type").asText())) {
                powerLevels = ev.path("content");
            }
            encryption.handle(ev, true, false); // e2e hook: m.room.encryption in the state
        }
        for (JsonNode ev : missed) {
            handleEvent(ev, deliver);
        }
        JsonNode timeline = joined.path("timeline");
        for (JsonNode ev : timeline.path("events")) {
            handleEvent(ev, deliver);
        }
        String poller = polledAs;
        boolean sentOut = seats.values().stream()
                .anyMatch(s -> userOf(s).equals(poller) && !cast.contains(s.id()));
        if (rooms.path("leave").has(roomId) && controlJoined && !sentOut) {
            problem(name() + ": " + poller + " was removed from the room");
            // In appservice mode the reader is a seat's ghost: its own leave never shows in a joined timeline.
            seats.values().stream().filter(s -> appservice() && userOf(s).equals(poller)).findFirst()
                    .ifPresent(s -> seatMembership(poller, "leave"));
        }
    }

    private void handleEvent(JsonNode ev, boolean deliver) {
        String type = ev.path("type").asText();
        String sender = ev.path("sender").asText();
        JsonNode content = ev.path("content");
        if (encryption.handle(ev, isOwn(sender), deliver)) { // e2e hook: encrypted events, said not dropped
            return;
        }
        switch (type) {
            case "m.room.power_levels" -> {
                if (ev.path("state_key").asText("").isEmpty()) {
                    powerLevels = content;
                }
                return;
            }
            case "m.room.member" -> {
                if (deliver) {
                    seatMembership(ev.path("state_key").asText(), content.path("membership").asText());
                }
                return;
            }
            case "m.room.message" -> { }
            default -> {
                return;
            }
        }
        if (!deliver || isOwn(sender)) {
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
        listener.onHuman(new Inbound(MatrixIds.localpart(sender), body, isOperator(sender),
                msgtype.equals("m.emote"), false));
    }

    /**
     * A seat left or was kicked (or banned): the conversation hears it is absent, and the seat rejoins with
     * backoff (a banned one keeps trying, and gets in once unbanned); it is reported present when back.
     */
    private void seatMembership(String user, String membership) {
        for (MatrixSeat s : seats.values()) {
            // A seat sent out of the cast left on purpose: not absent, not rejoined.
            if (userOf(s).equals(user) && (membership.equals("leave") || membership.equals("ban"))
                    && cast.contains(s.id())) {
                listener.onSeatPresence(s.id(), false);
                if (!closed) {
                    rejoin(s);
                }
            }
        }
    }

    private boolean isOwn(String sender) {
        return ownUsers.contains(sender) || (ghostNamespace != null && ghostNamespace.matcher(sender).matches());
    }

    /** Operators: user ids from config, or anyone at or above the configured power level in this room. */
    boolean isOperator(String sender) {
        if (server.operators().contains(sender)) {
            return true;
        }
        if (server.operatorPowerLevel().isEmpty()) {
            return false;
        }
        JsonNode pl = powerLevels;
        if (pl == null) {
            return false;
        }
        long level = pl.path("users").has(sender) ? pl.path("users").path(sender).asLong()
                : pl.path("users_default").asLong(0);
        return level >= server.operatorPowerLevel().getAsInt();
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

    private void fail(String what, Throwable e) {
        Throwable cause = MatrixClient.unwrap(e);
        String detail = cause instanceof MatrixException m && m.isAuthFailure()
                ? "access token rejected (" + m.getMessage() + "): it was revoked or is wrong; log in again"
                : cause.getMessage();
        if (!(cause instanceof MatrixException)) {
            log.warn("{}: {}", name(), what, cause);
        }
        problem(name() + ": " + what + ": " + detail);
    }

    private void problem(String text) {
        log.warn(text);
        RoomListener l = listener;
        if (l != null) {
            l.onRoomProblem(text);
        }
    }

    /** Test hook: the HTTP client this room calls the homeserver with. */
    OkHttpClient http() {
        return http;
    }

    /** Test hook: how many messages were refused as "not in room" and held until their seat rejoined. */
    long heldForRejoin() {
        return heldForRejoin.get();
    }

    /** e2e hook: an encrypted room says so in !status. */
    @Override
    public String status() {
        String e = encryption.status();
        return e.isEmpty() ? "" : name() + ": " + e;
    }

    /** e2e hook: what this room knows about end-to-end encryption. */
    RoomEncryption encryption() {
        return encryption;
    }

    /** Test hook: the users this room treats as its own. */
    Set<String> ownUsers() {
        return new HashSet<>(ownUsers);
    }
}
