package dev.parley.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.config.MatrixServerConfig;
import dev.parley.config.RoomConfig;
import dev.parley.config.Secret;
import dev.parley.core.VirtualScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's wiring of a Matrix room: the HTTP client it is given is used, only made fit for /sync. */
class MatrixRoomsTest {
    @TempDir
    Path dir;

    private MatrixRoom create(OkHttpClient http) {
        MatrixServerConfig server = new MatrixServerConfig("home", "http://127.0.0.1:1", "@parley:localhost",
                Optional.of(new Secret("t", "test")), List.of(), MatrixServerConfig.Mode.ACCOUNTS, Optional.empty(),
                OptionalInt.empty(), Optional.empty());
        return MatrixRooms.create(Map.of("home", server), new RoomConfig.Matrix("home", "#r:localhost"), List.of(),
                dir, new VirtualScheduler(), http);
    }

    @Test
    void aLongerReadTimeoutIsKept() {
        OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(120)).build();
        assertEquals(120_000, create(http).http().readTimeoutMillis());
    }

    @Test
    void noReadTimeoutAtAllIsBoundedSoADeadConnectionCannotHangSync() {
        OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ZERO).build();
        assertEquals(90_000, create(http).http().readTimeoutMillis());
    }

    @Test
    void aCallTimeoutShorterThanAPollIsLifted() {
        OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(120))
                .callTimeout(Duration.ofSeconds(20)).build();
        assertEquals(0, create(http).http().callTimeoutMillis());
        assertEquals(120_000, create(http).http().readTimeoutMillis());
    }

    @Test
    void okHttpsDefaultTenSecondsAsTheDaemonsSharedClientHasItIsRaised() {
        OkHttpClient http = create(new OkHttpClient()).http();
        assertEquals(90_000, http.readTimeoutMillis());
    }

    @Test
    void aShortReadTimeoutIsRaisedAboveTheLongPoll() {
        OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(10)).build();
        long ms = create(http).http().readTimeoutMillis();
        assertEquals(true, ms > MatrixRoom.Tuning.DEFAULT.syncTimeout().toMillis() + 10_000, "read timeout " + ms);
    }
}
