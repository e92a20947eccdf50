package dev.parley.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.config.MatrixIdentity;
import dev.parley.config.MatrixServerConfig;
import dev.parley.config.Secret;
import dev.parley.core.SeatId;
import dev.parley.core.SystemScheduler;
import dev.parley.core.Telemetry;
import dev.parley.testsupport.RequireServers;
import dev.parley.testsupport.Waiting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Message rate limiting on (rc_message 0.5/s, burst 3): a burst of seat messages still arrives complete and in
 * order, in both modes (the appservice registered with rate_limited: true for this test only). The HTTP client
 * counts the 429 answers, so the test proves the limiter was actually hit and honoured.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MatrixRateLimitIT {
    static final SeatId A = SeatId.of("a");
    static final SeatId B = SeatId.of("b");
    static final int BURST = 12;

    SynapseFixture synapse;
    SystemScheduler scheduler;
    HumanClient alice;
    Path temp;
    Path registration;
    String controlToken;
    String aToken;
    final List<MatrixRoom> rooms = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        RequireServers.assume(SynapseFixture.available(), "synapse (python venv at " + SynapseFixture.python() + ")");
        temp = Files.createTempDirectory("parley-matrix-rl");
        registration = MatrixAppserviceIT.registrationFor(temp.resolve("reg.yaml"), true);
        synapse = SynapseFixture.start(new SynapseFixture.Options(true, List.of(registration)));
        scheduler = new SystemScheduler();
        alice = new HumanClient(synapse.url(), synapse.register("alice", "alice-pw", false), "@alice:localhost");
        controlToken = synapse.register("bot", "bot-pw", false);
        aToken = synapse.register("seat_a", "a-pw", false);
        synapse.register("seat_b", "b-pw", false);
    }

    @AfterAll
    void stop() throws Exception {
        rooms.forEach(MatrixRoom::close);
        if (scheduler != null) {
            scheduler.close();
        }
        if (synapse != null) {
            synapse.close();
        }
    }

    @Test
    void accountsModeBurstArrivesCompleteAndInOrder() throws Exception {
        MatrixServerConfig cfg = new MatrixServerConfig("local", synapse.url(), "@bot:localhost",
                Optional.of(new Secret(controlToken, "test")), List.of(), MatrixServerConfig.Mode.ACCOUNTS,
                Optional.empty(), OptionalInt.empty(), Optional.empty());
        List<MatrixSeat> seats = List.of(
                new MatrixSeat(A, "A", new MatrixIdentity("@seat_a:localhost", Optional.of(new Secret(aToken, "t")),
                        Optional.empty())),
                new MatrixSeat(B, "B", new MatrixIdentity("@seat_b:localhost", Optional.empty(),
                        Optional.of(new Secret("b-pw", "t")))));
        burst("accounts", cfg, seats, Set.of("@seat_a:localhost", "@seat_b:localhost", "@bot:localhost"), false);
    }

    @Test
    void appserviceModeBurstArrivesCompleteAndInOrder() throws Exception {
        MatrixServerConfig cfg = MatrixAppserviceIT.config(synapse.url(), registration);
        List<MatrixSeat> seats = List.of(
                new MatrixSeat(A, "A", new MatrixIdentity("@parley_a:localhost", Optional.empty(), Optional.empty())),
                new MatrixSeat(B, "B", new MatrixIdentity("@parley_b:localhost", Optional.empty(), Optional.empty())));
        burst("appservice", cfg, seats, Set.of("@parley_a:localhost", "@parley_b:localhost", "@parley:localhost"),
                true);
    }

    private void burst(String mode, MatrixServerConfig cfg, List<MatrixSeat> seats, Set<String> ours,
                       boolean inviteControl) throws Exception {
        String alias = "rl-" + mode + "-" + System.nanoTime();
        String roomId = alice.createRoom(alias, true, inviteControl ? List.of("@parley:localhost") : List.of());
        AtomicInteger limited = new AtomicInteger();
        // What /metrics would show: sends tried again, and how late /sync brings messages.
        AtomicInteger sendRetries = new AtomicInteger();
        List<Duration> lags = new java.util.concurrent.CopyOnWriteArrayList<>();
        Telemetry telemetry = new Telemetry() {
            @Override
            public void matrixSendRetry(String server) {
                sendRetries.incrementAndGet();
            }

            @Override
            public void matrixSyncLag(String server, Duration lag) {
                lags.add(lag);
            }
        };
        OkHttpClient http = MatrixClient.defaultHttp().newBuilder()
                .addInterceptor(new MatrixTraffic("local", scheduler, telemetry)).addNetworkInterceptor(chain -> {
            var r = chain.proceed(chain.request());
            if (r.code() == 429) {
                limited.incrementAndGet();
            }
            return r;
        }).build();
        MatrixRoom room = new MatrixRoom(cfg, "#" + alias + ":localhost", seats, temp.resolve(mode + ".json"),
                scheduler, http, AbstractMatrixRoomIT.FAST);
        rooms.add(room);
        Recorder rec = new Recorder();
        room.open(rec);
        assertTrue(rec.awaitPresent(2, Duration.ofSeconds(30)), rec.problems.toString());
        List<String> expected = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 1; i <= BURST; i++) {
            room.post(i % 2 == 1 ? A : B, mode + " " + i);
            expected.add(mode + " " + i);
        }
        room.notice(mode + " done");
        expected.add(mode + " done");
        // Every 200 ms, as each check is a request to Synapse (under its own low rate limit here).
        List<JsonNode> got = Waiting.upTo(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .alias("all " + expected.size() + " messages in the room")
                .until(() -> alice.messages(roomId).stream().filter(e -> ours.contains(e.path("sender").asText()))
                        .toList(), sent -> sent.size() >= expected.size());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("[measure] rate limit (%s): %d messages delivered in %d ms, %d M_LIMIT_EXCEEDED answers "
                + "honoured%n", mode, expected.size(), ms, limited.get());
        assertEquals(expected, AbstractMatrixRoomIT.bodies(got));
        assertTrue(limited.get() > 0, "the low rc_message limit was never hit; the test proves nothing");
        assertTrue(sendRetries.get() >= 1 && sendRetries.get() <= limited.get(),
                "send retries " + sendRetries + " for " + limited + " answers 429");
        alice.say(roomId, mode + " from alice");
        rec.until(mode + " from alice", Duration.ofSeconds(30));
        assertTrue(!lags.isEmpty(), "no sync lag timed");
        System.out.printf("[measure] %s: %d sends tried again; sync lag of %d messages: max %d ms%n", mode,
                sendRetries.get(), lags.size(), lags.stream().mapToLong(Duration::toMillis).max().orElse(0));
        assertTrue(rec.problems.isEmpty(), rec.problems.toString());
    }
}
