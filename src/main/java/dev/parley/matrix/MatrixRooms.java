package dev.parley.matrix;

import dev.parley.config.MatrixServerConfig;
import dev.parley.config.RoomConfig;
import dev.parley.config.SeatConfig;
import dev.parley.core.Scheduler;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;

/** Builds a {@link MatrixRoom} from config records, for the daemon's wiring. */
public final class MatrixRooms {
    private MatrixRooms() { }

    /**
     * The room for {@code room}, showing the seats that have a Matrix identity. The sync position is kept in
     * {@code stateDir}, one file per server and room, so several conversations never share one.
     */
    public static MatrixRoom create(Map<String, MatrixServerConfig> servers, RoomConfig.Matrix room,
                                    List<SeatConfig> seats, Path stateDir, Scheduler scheduler, OkHttpClient http) {
        MatrixServerConfig server = servers.get(room.server());
        if (server == null) {
            throw new IllegalArgumentException("matrix room " + room.room() + ": no matrix server " + room.server());
        }
        List<MatrixSeat> shown = seats.stream().filter(s -> s.matrix().isPresent())
                .map(s -> new MatrixSeat(s.id(), s.name(), s.matrix().get())).toList();
        return new MatrixRoom(server, room.room(), shown, stateDir.resolve(stateFileName(server.name(), room.room())),
                scheduler, http.newBuilder().readTimeout(java.time.Duration.ofSeconds(90)).build(),
                MatrixRoom.Tuning.DEFAULT);
    }

    /** "matrix-local-_parley_localhost.json": the server name and room with unsafe characters replaced. */
    static String stateFileName(String server, String room) {
        return "matrix-" + (server + "-" + room).replaceAll("[^A-Za-z0-9._-]", "_") + ".json";
    }
}
