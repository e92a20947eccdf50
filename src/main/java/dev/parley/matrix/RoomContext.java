package dev.parley.matrix;

import dev.parley.config.MatrixServerConfig;
import dev.parley.core.Scheduler;
import dev.parley.core.SeatId;
import dev.parley.room.RoomListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the parts of one {@link MatrixRoom} share: its name, server, timings, the few facts that change while it
 * runs (room id, cast, closed) and the way problems reach the operator. The parts keep their own state; this is
 * only what more than one of them reads.
 */
final class RoomContext {
    private static final Logger log = LoggerFactory.getLogger(MatrixRoom.class);

    final String name;
    final MatrixServerConfig server;
    final Scheduler scheduler;
    final MatrixRoom.Tuning tuning;
    /** Problems said once (keys such as "state" or "rejoin kimi"), so a repeating failure does not flood. */
    final Set<String> reported = ConcurrentHashMap.newKeySet();

    volatile RoomListener listener;
    /** The room id once resolved (null before). */
    volatile String roomId;
    /** The seats in the room (see {@link MatrixRoom#cast}). */
    volatile Set<SeatId> cast;
    volatile boolean closed;

    RoomContext(String name, MatrixServerConfig server, Scheduler scheduler, MatrixRoom.Tuning tuning,
                Set<SeatId> cast) {
        this.name = name;
        this.server = server;
        this.scheduler = scheduler;
        this.tuning = tuning;
        this.cast = cast;
    }

    boolean appservice() {
        return server.mode() == MatrixServerConfig.Mode.APPSERVICE;
    }

    boolean inCast(SeatId seat) {
        return cast.contains(seat);
    }

    /** Reports a failure to the operator; a revoked token is named as such, the token itself never. */
    void fail(String what, Throwable e) {
        Throwable cause = MatrixClient.unwrap(e);
        String detail = cause instanceof MatrixException m && m.isAuthFailure()
                ? "access token rejected (" + m.getMessage() + "): it was revoked or is wrong; log in again"
                : cause.getMessage();
        if (!(cause instanceof MatrixException)) {
            log.warn("{}: {}", name, what, cause);
        }
        problem(name + ": " + what + ": " + detail);
    }

    void problem(String text) {
        log.warn(text);
        RoomListener l = listener;
        if (l != null) {
            l.onRoomProblem(text);
        }
    }
}
