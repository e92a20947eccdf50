package dev.parley.matrix;

import dev.parley.config.MatrixServerConfig;
import dev.parley.config.RoomConfig;
import dev.parley.config.SeatConfig;
import dev.parley.core.Scheduler;
import dev.parley.core.Telemetry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;

/** Builds a {@link MatrixRoom} from config records, for the daemon's wiring. */
public final class MatrixRooms {
    /** A homeserver answers a long-poll a little after its timeout; a slow one, under load, later still. */
    static final Duration LONG_POLL_MARGIN = Duration.ofSeconds(30);
    /** What a too-short read timeout is raised to: the 30 s poll with a full minute to spare. */
    static final Duration LONG_POLL_READ_TIMEOUT = Duration.ofSeconds(90);

    private MatrixRooms() { }

    /**
     * The room for {@code room}, showing the seats that have a Matrix identity. The sync position is kept in
     * {@code stateDir}, one file per server and room, so several conversations never share one. {@code http} may
     * be the daemon's shared client as it is: its read timeout is raised here if it is too short for /sync.
     */
    public static MatrixRoom create(Map<String, MatrixServerConfig> servers, RoomConfig.Matrix room,
                                    List<SeatConfig> seats, Path stateDir, Scheduler scheduler, OkHttpClient http) {
        return create(servers, room, seats, stateDir, scheduler, http, Telemetry.NOOP);
    }

    /** The same, reporting its send retries and sync lag to {@code telemetry} (see {@link MatrixTraffic}). */
    public static MatrixRoom create(Map<String, MatrixServerConfig> servers, RoomConfig.Matrix room,
                                    List<SeatConfig> seats, Path stateDir, Scheduler scheduler, OkHttpClient http,
                                    Telemetry telemetry) {
        MatrixServerConfig server = servers.get(room.server());
        if (server == null) {
            throw new IllegalArgumentException("matrix room " + room.room() + ": no matrix server " + room.server());
        }
        List<MatrixSeat> shown = seats.stream().filter(s -> s.matrix().isPresent())
                .map(s -> new MatrixSeat(s.id(), s.name(), s.matrix().get())).toList();
        OkHttpClient client = fitForLongPoll(http, MatrixRoom.Tuning.DEFAULT);
        if (telemetry != Telemetry.NOOP) {
            // A copy sharing the pool and threads, with its own interceptor (the shared one stays unwatched).
            client = client.newBuilder().addInterceptor(new MatrixTraffic(server.name(), scheduler, telemetry)).build();
        }
        return new MatrixRoom(server, room.room(), shown, stateDir.resolve(stateFileName(server.name(), room.room())),
                scheduler, client, MatrixRoom.Tuning.DEFAULT);
    }

    /**
     * {@code http} itself when its read timeout already outlasts a /sync long-poll with room to spare, else a copy
     * with {@link #LONG_POLL_READ_TIMEOUT}. A longer finite choice of the caller is never shortened: this is the
     * one place that knows how long a Matrix long-poll holds a response back. No read timeout at all is not kept:
     * it is the only thing that notices a connection gone dead mid-poll (a NAT that forgot it), which would
     * otherwise hang /sync, and so the room's hearing, for ever. A call timeout shorter than a poll would cut
     * every poll, so it is lifted (each request is retried by {@link MatrixClient} anyway).
     */
    static OkHttpClient fitForLongPoll(OkHttpClient http, MatrixRoom.Tuning tuning) {
        long needed = tuning.syncTimeout().plus(LONG_POLL_MARGIN).toMillis();
        int read = http.readTimeoutMillis();
        int call = http.callTimeoutMillis();
        boolean readFits = read >= needed;
        boolean callFits = call == 0 || call >= needed;
        if (readFits && callFits) {
            return http;
        }
        OkHttpClient.Builder b = http.newBuilder();
        if (!readFits) {
            b.readTimeout(Duration.ofMillis(Math.max(needed, LONG_POLL_READ_TIMEOUT.toMillis())));
        }
        if (!callFits) {
            b.callTimeout(Duration.ZERO);
        }
        return b.build();
    }

    /** "matrix-local-_parley_localhost.json": the server name and room with unsafe characters replaced. */
    static String stateFileName(String server, String room) {
        return "matrix-" + (server + "-" + room).replaceAll("[^A-Za-z0-9._-]", "_") + ".json";
    }
}
