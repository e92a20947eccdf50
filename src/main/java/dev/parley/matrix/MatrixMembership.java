package dev.parley.matrix;

import dev.parley.core.SeatId;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is in the room: the control identity joins (or waits for an invite), then each seat of the cast joins
 * (invited by the control identity where the room needs it, its display name set) and is reported present once
 * the room listens. A seat of the cast that leaves or is kicked rejoins with backoff; one sent out of the cast
 * leaves once its queued messages went out. In appservice mode it also picks the ghost that reads the room.
 */
final class MatrixMembership {
    private static final Logger log = LoggerFactory.getLogger(MatrixMembership.class);
    /** How long a seat sent out of the room waits at most for its queued messages before it leaves anyway. */
    private static final Duration LEAVE_DRAIN_LIMIT = Duration.ofSeconds(30);
    /** How often a seat being sent out looks whether its messages went out. */
    private static final Duration DRAIN_CHECK = Duration.ofMillis(50);

    private final RoomContext room;
    private final Map<SeatId, MatrixSeat> seats;
    private final MatrixIdentities identities;
    private final PowerLevels powerLevels;
    private final SyncLoop sync;
    /** Whether the seat still has messages queued to send. */
    private final Predicate<SeatId> queued;
    /** Called when a client became ready, so messages waiting for it go out. */
    private final Runnable ready;

    private final CompletableFuture<MatrixClient> controlReady = new CompletableFuture<>();
    private final Map<SeatId, CompletableFuture<MatrixClient>> seatReady = new ConcurrentHashMap<>();
    /** Seats on their way back into the room after a leave or kick: at most one rejoin running per seat. */
    private final Map<SeatId, CompletableFuture<Void>> rejoining = new HashMap<>();
    /** Seats whose join was started (at open, or when brought in later). */
    private final Set<SeatId> joinStarted = ConcurrentHashMap.newKeySet();
    /** Seat logins started at open, while the control identity was still logging in and joining (accounts mode). */
    private final Map<SeatId, CompletableFuture<MatrixClient>> earlyLogins = new ConcurrentHashMap<>();
    /** Those seats' display names as the homeserver has them, asked for right after their early logins. */
    private final Map<SeatId, CompletableFuture<Optional<String>>> earlyNames = new ConcurrentHashMap<>();
    private volatile MatrixClient control;
    private volatile boolean controlJoined;

    MatrixMembership(RoomContext room, Map<SeatId, MatrixSeat> seats, MatrixIdentities identities,
                     PowerLevels powerLevels, SyncLoop sync, Predicate<SeatId> queued, Runnable ready) {
        this.room = room;
        this.seats = seats;
        this.identities = identities;
        this.powerLevels = powerLevels;
        this.sync = sync;
        this.queued = queued;
        this.ready = ready;
        seats.keySet().forEach(s -> seatReady.put(s, new CompletableFuture<>()));
    }

    /** The control identity's client once it has joined and the power levels are known. */
    CompletableFuture<MatrixClient> controlReady() {
        return controlReady;
    }

    /** The seat's client once it has joined (failed if its join failed). */
    CompletableFuture<MatrixClient> seatReady(SeatId seat) {
        return seatReady.get(seat);
    }

    /** The seat's client if it joined and is in the cast, else null. */
    MatrixClient inRoom(SeatId seat) {
        CompletableFuture<MatrixClient> ready = seatReady.get(seat);
        return ready != null && room.inCast(seat) && ready.isDone() && !ready.isCompletedExceptionally()
                ? ready.join() : null;
    }

    boolean controlJoined() {
        return controlJoined;
    }

    /**
     * In accounts mode each seat of the cast logs in (and says whoami) at once, while the control identity logs
     * in, resolves and joins the room: a password login costs the homeserver a password hash each (a quarter of a
     * second of CPU on Synapse's defaults), and seats that waited for the control identity's login and join made a
     * start pay for two hashes one after the other (issue 13, docs/benchmark.md). Only the display
     * name and the join wait for the control identity, which has to check the room first (an encrypted room may
     * be refused before anyone joins) and invites the seats where the room needs it. In appservice mode a ghost is
     * registered through the control identity's token, so nothing can go ahead.
     */
    void logInSeatsEarly() {
        if (room.appservice()) {
            return;
        }
        for (MatrixSeat seat : seats.values()) {
            if (room.inCast(seat.id())) {
                CompletableFuture<MatrixClient> login = identities.seat(seat, null);
                earlyLogins.put(seat.id(), login);
                earlyNames.put(seat.id(), login.thenCompose(c -> c.displayName(identities.userOf(seat))));
            }
        }
    }

    /**
     * Joins the control identity by {@code roomRef} (by alias when given one: the homeserver then knows which
     * servers to join a remote room via), which sets the room id. Refused, it looks the room id up and waits for
     * an invite: /sync shows it (accounts mode), or it asks again now and then (appservice mode, whose user cannot
     * /sync). The alias is looked up only then: resolving it before every join was a round trip on every start.
     */
    CompletableFuture<Void> joinControl(MatrixClient client, String roomRef) {
        control = client;
        return client.join(roomRef).handle((id, e) -> {
            if (e == null) {
                room.roomId = id;
                onControlJoined();
                return CompletableFuture.<Void>completedFuture(null);
            }
            if (MatrixClient.unwrap(e) instanceof MatrixException m && m.status() == 403) {
                return client.resolve(roomRef).thenAccept(roomId -> {
                    room.roomId = roomId;
                    room.problem(room.name + ": " + identities.controlUserId() + " may not join yet ("
                            + m.getMessage() + "); waiting for an invite");
                    if (room.appservice()) {
                        room.scheduler.schedule(room.tuning.backoff().max(), this::retryControlJoin);
                    }
                });
            }
            return CompletableFuture.<Void>failedFuture(MatrixClient.unwrap(e));
        }).thenCompose(f -> f);
    }

    /** The room could not be opened: nothing will be sent. */
    void openFailed(Throwable e) {
        controlReady.completeExceptionally(MatrixClient.unwrap(e));
        seatReady.values().forEach(f -> f.completeExceptionally(MatrixClient.unwrap(e)));
    }

    private void retryControlJoin() {
        if (room.closed || controlJoined) {
            return;
        }
        control.join(room.roomId).whenComplete((r, e) -> {
            if (e == null) {
                onControlJoined();
            } else {
                room.scheduler.schedule(room.tuning.backoff().max(), this::retryControlJoin);
            }
        });
    }

    /** /sync showed an invite for the control identity: it accepts. */
    void acceptInvite() {
        control.join(room.roomId).whenComplete((r, e) -> {
            if (e == null) {
                onControlJoined();
            } else {
                room.fail("cannot accept the invite", e);
            }
        });
    }

    /** The control identity is in: power levels are read, then it may speak; the seats of the cast join. */
    synchronized void onControlJoined() {
        if (controlJoined) {
            return;
        }
        controlJoined = true;
        // An encrypted room without an encrypting proxy may be refused before anyone else joins or speaks.
        room.encryption.checkAtJoin(control, room.roomId).whenComplete((v, refused) -> {
            if (refused == null) {
                joinedAndChecked();
            } else {
                room.fail("refuses to start", refused);
                openFailed(refused);
            }
        });
    }

    private synchronized void joinedAndChecked() {
        powerLevels.read(control, room.roomId).thenRun(() -> {
            // Commands are judged with power levels known; the control identity may speak from now on.
            controlReady.complete(control);
            // Behind an encrypting proxy it primes the room's keys before its first message (RoomEncryption).
            room.encryption.primed("(control)", controlReady, room.roomId);
            ready.run();
        });
        for (MatrixSeat seat : seats.values()) {
            if (room.inCast(seat.id())) {
                joinSeat(seat);
            }
        }
    }

    /**
     * Seats without a Matrix identity here are ignored. Before the control identity joined, says who joins.
     * After: a seat brought in joins and is reported present once in; a seat sent out leaves once its queued
     * messages went out, is not reported absent and is not rejoined.
     */
    synchronized void cast(Set<SeatId> wanted) {
        Set<SeatId> now = Set.copyOf(wanted.stream().filter(seats::containsKey).toList());
        Set<SeatId> before = room.cast;
        room.cast = now;
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
                log.info("{}: seat {} ({}) leaves the room", room.name, s.id(), identities.userOf(s));
                sendOut(s);
            }
        }
        chooseReader();
    }

    /**
     * A member event: a seat of the cast that left or was kicked (or banned) is reported absent and rejoins
     * with backoff (a banned one keeps trying, and gets in once unbanned); it is reported present when back.
     */
    void membershipChanged(String user, String membership) {
        for (MatrixSeat s : seats.values()) {
            // A seat sent out of the cast left on purpose: not absent, not rejoined.
            if (identities.userOf(s).equals(user) && (membership.equals("leave") || membership.equals("ban"))
                    && room.inCast(s.id())) {
                room.listener.onSeatPresence(s.id(), false);
                if (!room.closed) {
                    rejoin(s.id());
                }
            }
        }
    }

    /**
     * Synapse refuses /sync for an application service's own user (sender_localpart): it raises
     * NotImplementedError, see matrix-org/matrix-doc#1144. In appservice mode a seat's ghost, which is in the room
     * anyway, reads it instead, by masquerading: a seat of the cast that is in the room. The first to join starts
     * the sync loop; a later change only swaps the client the loop's next poll uses. A reader sent out keeps
     * reading (and stays in the room) until another seat is in to take over: reading never stops while the room
     * is open.
     */
    private synchronized void chooseReader() {
        if (!room.appservice() || room.closed) {
            return;
        }
        String current = sync.readerUser();
        boolean currentInCast = seats.values().stream()
                .anyMatch(s -> identities.userOf(s).equals(current) && room.inCast(s.id()));
        if (current != null && currentInCast) {
            return;
        }
        for (MatrixSeat s : seats.values()) {
            CompletableFuture<MatrixClient> ready = seatReady.get(s.id());
            if (room.inCast(s.id()) && ready.isDone() && !ready.isCompletedExceptionally()) {
                sync.readAs(ready.join(), identities.userOf(s));
                return;
            }
        }
    }

    private void joinSeat(MatrixSeat seat) {
        joinStarted.add(seat.id());
        CompletableFuture<MatrixClient> joined = seatReady.get(seat.id());
        CompletableFuture<MatrixClient> early = earlyLogins.remove(seat.id());
        CompletableFuture<Optional<String>> earlyName = earlyNames.remove(seat.id());
        (early != null ? early : identities.seat(seat, control))
                .thenCompose(c -> name(seat, c, earlyName)
                        .thenCompose(v -> enterRoom(seat, c))
                        .thenApply(v -> c))
                .whenComplete((c, e) -> {
                    if (e != null) {
                        room.fail("seat " + seat.id() + " (" + identities.userOf(seat) + ") cannot join", e);
                        joined.completeExceptionally(MatrixClient.unwrap(e));
                    } else if (!room.inCast(seat.id())) {
                        // Sent out while it was joining: it leaves again at once.
                        joined.complete(c);
                        sendOut(seat);
                    } else {
                        joined.complete(c);
                        chooseReader();
                        // Reported once the room listens, so a conversation that starts on presence hears all,
                        // and, behind an encrypting proxy, once the seat is primed (RoomEncryption).
                        sync.listening().runAfterBoth(room.encryption.primed(seat.id().value(), joined, room.roomId),
                                () -> room.listener.onSeatPresence(seat.id(), true));
                    }
                    ready.run();
                });
    }

    /**
     * Gives the seat its display name before it joins (so its join shows it), unless the homeserver has that name
     * already, as after any earlier start: setting a name costs the homeserver a profile write and a pass over
     * every room the user is in (Synapse's join-state update), and counts against its request rate limit.
     * {@code known} is the name asked for at the early login, or null.
     */
    private CompletableFuture<Void> name(MatrixSeat seat, MatrixClient c, CompletableFuture<Optional<String>> known) {
        String user = identities.userOf(seat);
        return (known != null ? known : c.displayName(user))
                .thenCompose(current -> current.filter(seat.displayName()::equals).isPresent()
                        ? CompletableFuture.<Void>completedFuture(null)
                        : c.setDisplayName(user, seat.displayName()))
                .exceptionally(e -> {
                    log.warn("{}: cannot set display name of {}: {}", room.name, user,
                            MatrixClient.unwrap(e).getMessage());
                    return null;
                });
    }

    /** Joins the seat's client to the room; in an invite-only room the control identity invites it first. */
    private CompletableFuture<Void> enterRoom(MatrixSeat seat, MatrixClient c) {
        return c.join(room.roomId)
                .handle((id, e) -> {
                    if (e == null) {
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    if (MatrixClient.unwrap(e) instanceof MatrixException m && m.status() == 403) {
                        // Invite-only room: the control identity invites the seat, which then accepts.
                        return control.invite(room.roomId, identities.userOf(seat))
                                .thenCompose(v -> c.join(room.roomId))
                                .<Void>thenApply(x -> null);
                    }
                    return CompletableFuture.<Void>failedFuture(MatrixClient.unwrap(e));
                })
                .thenCompose(f -> f);
    }

    /**
     * Brings a seat that left or was kicked back into the room, retrying with backoff until it is in (or the room
     * closes), and reports it present again. A rejoin already running is shared, so a kick seen both by /sync and
     * by a refused send joins once. Completes when the seat is back.
     */
    CompletableFuture<Void> rejoin(SeatId id) {
        MatrixSeat seat = seats.get(id);
        CompletableFuture<Void> fresh = new CompletableFuture<>();
        synchronized (rejoining) {
            CompletableFuture<Void> running = rejoining.get(id);
            if (running != null && !running.isDone()) {
                return running;
            }
            rejoining.put(id, fresh);
        }
        log.info("{}: seat {} ({}) is not in the room; rejoining", room.name, id, identities.userOf(seat));
        attemptRejoin(seat, fresh, 0);
        return fresh;
    }

    private void attemptRejoin(MatrixSeat seat, CompletableFuture<Void> done, int failures) {
        CompletableFuture<MatrixClient> joined = seatReady.get(seat.id());
        if (room.closed || !joined.isDone() || joined.isCompletedExceptionally() || !room.inCast(seat.id())) {
            done.completeExceptionally(new MatrixException(0, "", room.name + ": seat " + seat.id()
                    + (room.closed ? ": room closed" : !room.inCast(seat.id()) ? ": not in the cast"
                    : ": never joined")));
            return;
        }
        enterRoom(seat, joined.join()).whenComplete((v, e) -> {
            if (e == null) {
                room.reported.remove("rejoin " + seat.id());
                log.info("{}: seat {} is back in the room", room.name, seat.id());
                // Completed before reporting presence: a leave seen meanwhile then starts a new rejoin, so the
                // last word on presence is always a rejoin's.
                done.complete(null);
                chooseReader();
                sync.listening().thenRun(() -> room.listener.onSeatPresence(seat.id(), true));
                return;
            }
            if (room.closed) {
                done.completeExceptionally(MatrixClient.unwrap(e));
                return;
            }
            room.scheduler.schedule(room.tuning.backoff().delay(failures),
                    () -> attemptRejoin(seat, done, failures + 1));
            if (room.reported.add("rejoin " + seat.id())) {
                room.fail("seat " + seat.id() + " (" + identities.userOf(seat) + ") cannot rejoin; trying again "
                        + "every " + room.tuning.backoff().max().toSeconds() + " s at most", e);
            }
        });
    }

    private void bringIn(MatrixSeat seat) {
        log.info("{}: seat {} ({}) joins the room", room.name, seat.id(), identities.userOf(seat));
        CompletableFuture<MatrixClient> joined = seatReady.get(seat.id());
        if (joined.isDone() && joined.isCompletedExceptionally()) {
            // Its join failed before (and was reported): try afresh.
            seatReady.put(seat.id(), new CompletableFuture<>());
            joinSeat(seat);
        } else if (!joinStarted.contains(seat.id())) {
            joinSeat(seat);
        } else if (joined.isDone()) {
            // Joined before (and left, or is still leaving): join again, reported present once in.
            rejoin(seat.id());
        }
        // Else its first join is still running, and will find it in the cast.
    }

    /**
     * The seat leaves once nothing of it is queued (or after a while), and in appservice mode once it no longer
     * reads the room; brought back meanwhile, it stays.
     */
    private void sendOut(MatrixSeat seat) {
        CompletableFuture<MatrixClient> joined = seatReady.get(seat.id());
        if (!joined.isDone() || joined.isCompletedExceptionally()) {
            return; // not in: a join still running leaves again when done (see joinSeat)
        }
        MatrixClient c = joined.join();
        CompletableFuture<Void> drained = new CompletableFuture<>();
        whenDrained(seat.id(), room.scheduler.now().plus(LEAVE_DRAIN_LIMIT), drained);
        drained.thenCompose(v -> sync.notReading(identities.userOf(seat)))
                .thenCompose(v -> room.closed || room.inCast(seat.id())
                        ? CompletableFuture.<Void>completedFuture(null) : c.leave(room.roomId))
                .whenComplete((v, e) -> {
                    if (e != null && !room.closed) {
                        room.fail("seat " + seat.id() + " (" + identities.userOf(seat) + ") cannot leave", e);
                    }
                });
    }

    private void whenDrained(SeatId seat, Instant deadline, CompletableFuture<Void> done) {
        if (queued.test(seat) && !room.closed && room.scheduler.now().isBefore(deadline)) {
            room.scheduler.schedule(DRAIN_CHECK, () -> whenDrained(seat, deadline, done));
            return;
        }
        done.complete(null);
    }
}
