package dev.parley.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.Backoff;
import dev.parley.core.Telemetry;
import dev.parley.core.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Send retries and sync lag, read off a client's HTTP traffic against a scripted homeserver. */
class MatrixTrafficTest {
    private static final Instant NOW = Instant.parse("2026-11-26T09:00:00Z");
    private final MockWebServer server = new MockWebServer();
    private final VirtualScheduler scheduler = new VirtualScheduler(NOW);
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private MatrixClient client;

    @BeforeEach
    void start() throws Exception {
        server.start();
        Telemetry telemetry = new Telemetry() {
            @Override
            public void matrixSyncLag(String s, Duration lag) {
                heard.add("lag " + s + " " + lag.toMillis());
            }

            @Override
            public void matrixSendRetry(String s) {
                heard.add("send-retry " + s);
            }
        };
        client = new MatrixClient(MatrixClient.defaultHttp().newBuilder()
                .addInterceptor(new MatrixTraffic("local", scheduler, telemetry)).build(),
                server.url("/").toString(), scheduler, new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30)),
                "secret-token");
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private <T> T drive(CompletableFuture<T> f) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!f.isDone() && System.nanoTime() < end) {
            scheduler.runUntilIdle(Duration.ofHours(1));
            Thread.sleep(2);
        }
        return f.get(1, TimeUnit.SECONDS);
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    @Test
    void eachSendTriedAgainIsCountedAndAFirstTryIsNot() throws Exception {
        server.enqueue(json(502, "{}"));
        server.enqueue(json(429, "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"retry_after_ms\":100}"));
        server.enqueue(json(200, "{\"event_id\":\"$a\"}"));
        server.enqueue(json(200, "{\"event_id\":\"$b\"}"));
        var content = MatrixClient.MAPPER.createObjectNode().put("msgtype", "m.text").put("body", "hi");
        assertThat(drive(client.send("!r:hs", "m.room.message", "parley.x.1", content))).isEqualTo("$a");
        assertThat(drive(client.send("!r:hs", "m.room.message", "parley.x.2", content))).isEqualTo("$b");
        assertThat(heard).containsExactly("send-retry local", "send-retry local");
    }

    @Test
    void syncLagIsTimedForMessagesOfAListeningPollOnly() throws Exception {
        long ts = NOW.toEpochMilli();
        String batch = """
                {"next_batch":"s2","rooms":{"join":{"!r:hs":{"timeline":{"events":[
                  {"type":"m.room.message","sender":"@kate:hs","origin_server_ts":%d,"content":{"body":"a"}},
                  {"type":"m.room.member","sender":"@kate:hs","origin_server_ts":%d,"content":{}},
                  {"type":"m.room.message","sender":"@kate:hs","origin_server_ts":%d,"content":{"body":"b"}}
                ]}}}}}
                """.formatted(ts - 40, ts - 10, ts - 1500);
        server.enqueue(json(200, batch)); // the first sync of a room: history, not lag
        server.enqueue(json(200, batch)); // the catch-up poll after a restart (timeout 0): downtime, not lag
        server.enqueue(json(200, batch)); // listening
        drive(client.sync("{}", null, Duration.ZERO));
        drive(client.sync("{}", "s1", Duration.ZERO));
        assertThat(heard).isEmpty();
        drive(client.sync("{}", "s1", Duration.ofSeconds(30)));
        assertThat(heard).containsExactly("lag local 40", "lag local 1500");
    }
}
