package dev.parley.matrix;

import dev.parley.config.Secret;
import dev.parley.core.SeatId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who the room is on Matrix: the control identity (an access token, a password login, or the application
 * service's as_token) and each seat's user (its own account, or a ghost of the application service, registered
 * on first use), each checked with whoami. Knows which senders are our own, so that their events are never
 * taken for a human's. Every client made here is closed with the room.
 *
 * <p>A password login's token is kept ({@link MatrixSessions}) and used again at the next start, without a
 * login; the whoami check proves it. One the homeserver refuses (401: revoked, logged out, soft logout, a reset
 * server) is dropped, and the identity logs in with its password once, as the same device. A token refused later,
 * mid-run, is reported as any other (see {@link RoomContext#fail}); the next start tries it, is refused and logs in.
 */
final class MatrixIdentities {
    private static final Logger log = LoggerFactory.getLogger(MatrixIdentities.class);

    private final RoomContext room;
    private final String roomRef;
    private final OkHttpClient http;
    private final Map<SeatId, MatrixSeat> seats;
    /** The appservice's exclusive user namespace (null in accounts mode): every ghost in it is ours. */
    private final Pattern ghostNamespace;
    private final Set<String> ownUsers = ConcurrentHashMap.newKeySet();
    /** Each seat's user as the homeserver knows it (whoami), which a mistaken config may not match. */
    private final Map<SeatId, String> seatUsers = new ConcurrentHashMap<>();
    private final List<MatrixClient> clients = new CopyOnWriteArrayList<>();
    private final MatrixSessions sessions;
    /**
     * Clients whose whoami was answered already (a kept session, proven before use), with the answer: asking again
     * would cost a request per identity at every start. Taken out when used; keyed by identity.
     */
    private final Map<MatrixClient, String> proven = new ConcurrentHashMap<>();
    private volatile String controlUserId;

    /** With sessions kept in memory only. */
    MatrixIdentities(RoomContext room, String roomRef, OkHttpClient http, Map<SeatId, MatrixSeat> seats) {
        this(room, roomRef, http, seats, MatrixSessions.inMemory());
    }

    /**
     * @param roomRef  the room as configured: a password login is one device per user and room
     * @param sessions where the tokens of password logins are kept for the next start
     */
    MatrixIdentities(RoomContext room, String roomRef, OkHttpClient http, Map<SeatId, MatrixSeat> seats,
                     MatrixSessions sessions) {
        this.room = room;
        this.sessions = sessions;
        this.roomRef = roomRef;
        this.http = http;
        this.seats = seats;
        this.ghostNamespace = room.appservice() ? Pattern.compile(MatrixRegistration.userNamespace(room.server))
                : null;
        ownUsers.add(room.server.controlUser());
        seats.values().forEach(s -> ownUsers.add(s.identity().userId()));
    }

    /** A client for the control identity. */
    CompletableFuture<MatrixClient> control() {
        if (room.appservice()) {
            Path file = room.server.appservice().orElseThrow().registrationFile();
            try {
                return CompletableFuture.completedFuture(track(newClient(MatrixRegistration.read(file).asToken())));
            } catch (IOException e) {
                return CompletableFuture.failedFuture(new MatrixException(0, "",
                        "appservice registration " + file + " unreadable: " + e.getMessage()));
            }
        }
        return account(room.server.controlUser(), room.server.controlToken(), room.server.controlPassword(),
                "control-token-env or control-password-env of matrix server " + room.server.name());
    }

    /** Asks the homeserver whose the control token is; its answer counts as our own, a mismatch is logged. */
    CompletableFuture<String> identifyControl(MatrixClient control) {
        return whoami(control).thenApply(uid -> {
            controlUserId = uid;
            ownUsers.add(uid);
            if (!uid.equals(room.server.controlUser())) {
                log.warn("matrix {}: control token belongs to {}, config says {}", room.server.name(), uid,
                        room.server.controlUser());
            }
            return uid;
        });
    }

    /** The control identity's user as whoami said (null before). */
    String controlUserId() {
        return controlUserId;
    }

    /**
     * A client for the seat, identified: its own account, or in appservice mode its ghost (registered through
     * {@code control}, which holds the as_token, and masqueraded as).
     */
    CompletableFuture<MatrixClient> seat(MatrixSeat seat, MatrixClient control) {
        String user = seat.identity().userId();
        CompletableFuture<MatrixClient> client;
        if (room.appservice()) {
            if (!ghostNamespace.matcher(user).matches()) {
                return CompletableFuture.failedFuture(new MatrixException(0, "", "seat " + seat.id() + ": " + user
                        + " is outside the appservice user namespace " + ghostNamespace.pattern()));
            }
            client = control.registerGhost(MatrixIds.localpart(user)).thenApply(v -> control.masquerade(user));
        } else {
            client = account(user, seat.identity().accessToken(), seat.identity().password(),
                    "access-token-env or password-env of seat " + seat.id());
        }
        return client.thenCompose(c -> identify(seat, c));
    }

    /** The seat's user as whoami said, or as configured until the seat has joined. */
    String userOf(MatrixSeat seat) {
        return seatUsers.getOrDefault(seat.id(), seat.identity().userId());
    }

    /** Whether {@code sender} is one of ours: the control identity, a seat, or any ghost of our namespace. */
    boolean isOwn(String sender) {
        return ownUsers.contains(sender) || (ghostNamespace != null && ghostNamespace.matcher(sender).matches());
    }

    Set<String> ownUsers() {
        return new HashSet<>(ownUsers);
    }

    /** Closes every client made for this room (and their masquerades). */
    void closeAll() {
        clients.forEach(MatrixClient::close);
    }

    private CompletableFuture<MatrixClient> account(String userId, Optional<Secret> token,
                                                    Optional<Secret> password, String what) {
        if (token.isPresent() && !token.get().isBlank()) {
            return CompletableFuture.completedFuture(track(newClient(token.get().reveal())));
        }
        if (password.isPresent() && !password.get().isBlank()) {
            String device = MatrixIds.deviceId(userId, roomRef);
            Optional<String> kept = sessions.token(room.server.homeserverUrl(), userId, device);
            return kept.isPresent() ? resume(userId, device, kept.get(), password.get())
                    : login(userId, device, password.get());
        }
        return CompletableFuture.failedFuture(new MatrixException(0, "", userId + " has no access token or "
                + "password: set " + what));
    }

    /**
     * The kept session, once whoami proved it; if the homeserver refuses it (401, soft logout included: a soft
     * logout asks for a login as the same device, which is what follows), it is dropped and the password logs in.
     */
    private CompletableFuture<MatrixClient> resume(String userId, String device, String token, Secret password) {
        MatrixClient kept = track(newClient(token));
        return kept.whoami().handle((uid, e) -> {
            if (e == null) {
                proven.put(kept, uid);
                return CompletableFuture.completedFuture(kept);
            }
            Throwable cause = MatrixClient.unwrap(e);
            kept.close();
            if (cause instanceof MatrixException m && m.isAuthFailure() && !room.closed) {
                log.info("matrix {}: the kept session of {} (device {}) was refused ({}); logging in again",
                        room.server.name(), userId, device, m.getMessage());
                sessions.forget(room.server.homeserverUrl(), userId, device);
                return login(userId, device, password);
            }
            return CompletableFuture.<MatrixClient>failedFuture(cause);
        }).thenCompose(f -> f);
    }

    /** A password login as {@code device}; its token is kept for the next start. */
    private CompletableFuture<MatrixClient> login(String userId, String device, Secret password) {
        return MatrixClient.login(http, room.server.homeserverUrl(), room.scheduler, room.tuning.backoff(),
                userId, password.reveal(), device).thenApply(c -> {
                    if (!c.accessToken().isBlank()) {
                        sessions.remember(room.server.homeserverUrl(), userId, device, c.accessToken());
                    }
                    return track(c);
                });
    }

    /** Whoami, unless the client's was answered already (a kept session proven by {@link #resume}). */
    private CompletableFuture<String> whoami(MatrixClient c) {
        String known = proven.remove(c);
        return known != null ? CompletableFuture.completedFuture(known) : c.whoami();
    }

    private MatrixClient newClient(String token) {
        return new MatrixClient(http, room.server.homeserverUrl(), room.scheduler, room.tuning.backoff(), token);
    }

    private MatrixClient track(MatrixClient c) {
        clients.add(c);
        if (room.closed) {
            c.close();
        }
        return c;
    }

    /**
     * Asks the homeserver whose token the seat holds. Its answer, not the config, is what the seat's own posts
     * carry as sender: it must count as our own (or they come back as a human's, to be answered twice or even
     * parsed as a command); a mismatch with the config is a mistake the operator has to hear about.
     */
    private CompletableFuture<MatrixClient> identify(MatrixSeat seat, MatrixClient c) {
        return whoami(c).thenApply(actual -> {
            ownUsers.add(actual);
            seatUsers.put(seat.id(), actual);
            String configured = seat.identity().userId();
            if (!actual.equals(configured)) {
                // The configured id is somebody else (maybe a human in this room): not ours, so not ignored.
                boolean stillOurs = configured.equals(room.server.controlUser()) || configured.equals(controlUserId)
                        || seatUsers.containsValue(configured) || seats.values().stream()
                        .anyMatch(s -> s != seat && s.identity().userId().equals(configured));
                if (!stillOurs) {
                    ownUsers.remove(configured);
                }
                room.problem(room.name + ": seat " + seat.id() + " is configured as " + configured + " but its "
                        + "token belongs to " + actual + "; it posts as " + actual + " (fix the seat's matrix user "
                        + "or token)");
            }
            return c;
        });
    }
}
