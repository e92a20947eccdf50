package dev.parley.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.MatrixServerConfig;
import dev.parley.config.Secret;
import dev.parley.core.Backoff;
import dev.parley.core.SystemScheduler;
import dev.parley.core.VirtualScheduler;
import dev.parley.testsupport.Waiting;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's retry rules against a scripted server, in virtual time. */
class MatrixClientTest {
    private final MockWebServer server = new MockWebServer();
    private final VirtualScheduler scheduler = new VirtualScheduler();
    private MatrixClient client;

    @BeforeEach
    void start() throws Exception {
        server.start();
        client = new MatrixClient(MatrixClient.defaultHttp(), server.url("/").toString(), scheduler,
                new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30)), "secret-token");
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    /** Runs scheduled retries as they come until the future is done; returns the virtual time that passed. */
    private <T> Duration drive(CompletableFuture<T> f) throws InterruptedException {
        Instant t0 = scheduler.now();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!f.isDone() && System.nanoTime() < end) {
            scheduler.runUntilIdle(Duration.ofHours(1));
            Thread.sleep(2);
        }
        assertTrue(f.isDone(), "request never finished");
        return Duration.between(t0, scheduler.now());
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    @Test
    void aRetriedSendKeepsItsTransactionIdAndBody() throws Exception {
        server.enqueue(json(502, "{}"));
        server.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket(true, true, true))
                .build());
        server.enqueue(json(200, "{\"event_id\":\"$ev\"}"));
        var content = MatrixClient.MAPPER.createObjectNode().put("msgtype", "m.text").put("body", "hi");
        CompletableFuture<String> f = client.send("!r:hs", "m.room.message", "parley.abc.7", content);
        Duration waited = drive(f);
        assertEquals("$ev", f.get());
        int n = server.getRequestCount();
        assertTrue(n >= 3, "requests: " + n);
        for (int i = 0; i < n; i++) {
            RecordedRequest r = server.takeRequest(1, TimeUnit.SECONDS);
            assertEquals("PUT", r.getMethod());
            assertEquals("/_matrix/client/v3/rooms/!r:hs/send/m.room.message/parley.abc.7", r.getUrl().encodedPath());
            assertEquals("{\"msgtype\":\"m.text\",\"body\":\"hi\"}", r.getBody().utf8());
            assertEquals("Bearer secret-token", r.getHeaders().get("Authorization"));
        }
        assertTrue(waited.compareTo(Duration.ofMillis(500)) >= 0, "backed off " + waited);
    }

    @Test
    void rateLimitWaitsAsLongAsTheServerAsks() throws Exception {
        server.enqueue(json(429, "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"retry_after_ms\":2500}"));
        server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "7")
                .body("{\"errcode\":\"M_LIMIT_EXCEEDED\"}").build());
        server.enqueue(json(200, "{\"event_id\":\"$ok\"}"));
        CompletableFuture<String> f = client.send("!r:hs", "m.room.message", "t1",
                MatrixClient.MAPPER.createObjectNode().put("body", "x"));
        Duration waited = drive(f);
        assertEquals("$ok", f.get());
        assertEquals(Duration.ofMillis(9500), waited);
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void aRevokedTokenIsReportedNotRetried() throws Exception {
        server.enqueue(json(401, "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Invalid access token passed.\"}"));
        CompletableFuture<String> f = client.whoami();
        drive(f);
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        MatrixException m = assertInstanceOf(MatrixException.class, e.getCause());
        assertTrue(m.isAuthFailure());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void otherRefusalsFailAtOnce() throws Exception {
        server.enqueue(json(403, "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"not invited\"}"));
        CompletableFuture<String> f = client.join("#room:hs");
        drive(f);
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        assertEquals("M_FORBIDDEN", ((MatrixException) e.getCause()).errcode());
        assertEquals("/_matrix/client/v3/join/%23room:hs", server.takeRequest().getUrl().encodedPath());
    }

    @Test
    void aMasqueradingClientNamesItsGhost() throws Exception {
        server.enqueue(json(200, "{\"event_id\":\"$g\"}"));
        CompletableFuture<String> f = client.masquerade("@parley_kimi:hs").send("!r:hs", "m.room.message", "t",
                MatrixClient.MAPPER.createObjectNode());
        drive(f);
        assertEquals("@parley_kimi:hs", server.takeRequest().getUrl().queryParameter("user_id"));
    }

    @Test
    void aRoomSaysClearlyWhenItsTokenWasRevoked(@TempDir Path dir) throws Exception {
        server.enqueue(json(401, "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Invalid access token passed.\"}"));
        try (SystemScheduler real = new SystemScheduler()) {
            MatrixServerConfig cfg = new MatrixServerConfig("hs", server.url("/").toString(), "@bot:hs",
                    Optional.of(new Secret("revoked", "env T")), List.of());
            MatrixRoom room = new MatrixRoom(cfg, "#r:hs", List.of(), dir.resolve("s.json"), real);
            Recorder rec = new Recorder();
            room.open(rec);
            Waiting.upTo(Duration.ofSeconds(10)).alias("a problem reported").until(() -> !rec.problems.isEmpty());
            assertEquals(1, rec.problems.size(), rec.problems.toString());
            assertTrue(rec.problems.get(0).contains("access token rejected"), rec.problems.get(0));
            assertTrue(!rec.problems.get(0).contains("revoked\""), "must not show the token");
            room.close();
        }
    }
}
