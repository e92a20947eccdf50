package dev.parley.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.parley.config.ModelConfig;
import dev.parley.config.ReplyConfig.StreamCut;
import dev.parley.core.SystemScheduler;
import dev.parley.core.VirtualScheduler;
import dev.parley.model.ModelTestKit.Cfg;
import dev.parley.model.ModelTestKit.Recorder;
import dev.parley.model.anthropic.AnthropicStreams;
import dev.parley.model.http.HttpClients;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The whole stack as a seat gets it (provider + timeouts + retries) against fake servers, with retry waits and
 * timeouts in virtual time: the HTTP runs for real on loopback, the clock does not.
 */
class ModelClientsTest {
    @StartStop
    private final MockWebServer server = new MockWebServer();
    private final OkHttpClient shared = ModelClients.newSharedHttpClient();
    private final VirtualScheduler clock = new VirtualScheduler();

    private static final String OPENAI_OK = """
            data: {"choices":[{"index":0,"delta":{"content":"Fine, "},"finish_reason":null}]}

            data: {"choices":[{"index":0,"delta":{"content":"thanks."},"finish_reason":"stop"}]}

            data: {"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}

            data: [DONE]

            """;

    @AfterEach
    void shutdown() {
        shared.dispatcher().executorService().shutdownNow();
        shared.connectionPool().evictAll();
    }

    private static MockResponse sse(String body) {
        return new MockResponse.Builder().setHeader("Content-Type", "text/event-stream").chunkedBody(body, 23).build();
    }

    private Cfg openai() {
        Cfg c = new Cfg();
        c.baseUrl = server.url("/v1").toString();
        c.apiKey = "sk-secret-never-logged-42";
        return c;
    }

    private ModelClient create(Cfg c, StreamCut cut) {
        return ModelClients.create(c.build(), clock, shared, r -> List.of(), cut);
    }

    @Test
    void retryAfterSevenSecondsRetriesAtSevenSecondsVirtual() throws Exception {
        server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "7").body("").build());
        server.enqueue(sse(OPENAI_OK));
        Recorder r = new Recorder();
        create(openai(), StreamCut.RETRY).start(ModelTestKit.twoSeatRequest(), r);

        ModelTestKit.eventually(() -> r.retries.size() == 1);
        assertEquals(Duration.ofSeconds(7), r.retryDelays.get(0));
        assertEquals(ModelError.Kind.RATE_LIMITED, r.retries.get(0).kind());
        var start = clock.now();
        clock.advance(Duration.ofMillis(6999));
        assertEquals(1, server.getRequestCount());
        clock.advance(Duration.ofMillis(1));
        r.await();
        assertEquals(2, server.getRequestCount());
        assertEquals(Duration.ofSeconds(7), Duration.between(start, clock.now()));
        assertEquals("Fine, thanks.", r.reply.text());
        assertEquals(new Usage(9, 3, 0), r.reply.usage());
    }

    @Test
    void serverThatAcceptsAndNeverAnswersTimesOutOnceAndTheCallIsCancelled() throws Exception {
        MockResponse silent = new MockResponse.Builder().onRequestStart(SocketEffect.Stall.INSTANCE).build();
        server.enqueue(silent);
        Cfg c = openai();
        c.maxAttempts = 4;
        c.baseDelay = Duration.ofSeconds(2);
        c.firstToken = Duration.ofSeconds(60);
        Recorder r = new Recorder();
        create(c, StreamCut.RETRY).start(ModelTestKit.twoSeatRequest(), r);

        ModelTestKit.eventually(() -> shared.dispatcher().runningCallsCount() == 1);
        clock.advance(Duration.ofMillis(59_999));
        assertFalse(r.finished());
        clock.advance(Duration.ofMillis(1));
        r.await();
        assertEquals(ModelError.Kind.TIMEOUT, r.error.kind());
        assertEquals("did not answer in 60 s", r.error.message());
        assertTrue(r.retries.isEmpty());
        ModelTestKit.eventually(() -> shared.dispatcher().runningCallsCount() == 0);
    }

    @Test
    void slowFirstTokenOnTheWallClock() throws Exception {
        try (SystemScheduler wall = new SystemScheduler()) {
            Cfg c = openai();
            c.firstToken = Duration.ofMillis(300);
            c.maxAttempts = 1;
            server.enqueue(new MockResponse.Builder().setHeader("Content-Type", "text/event-stream")
                    .body(OPENAI_OK).bodyDelay(3, TimeUnit.SECONDS).build());
            Recorder late = new Recorder();
            long t0 = System.nanoTime();
            ModelClients.create(c.build(), wall, shared, x -> List.of(), StreamCut.RETRY)
                    .start(ModelTestKit.twoSeatRequest(), late);
            late.await();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals("did not answer in 0.3 s", late.error.message());
            assertTrue(ms < 2500, "timed out at the deadline, not when the server spoke: " + ms + " ms");

            c.firstToken = Duration.ofSeconds(5);
            server.enqueue(new MockResponse.Builder().setHeader("Content-Type", "text/event-stream")
                    .body(OPENAI_OK).bodyDelay(200, TimeUnit.MILLISECONDS).build());
            Recorder slowButFine = new Recorder();
            ModelClients.create(c.build(), wall, shared, x -> List.of(), StreamCut.RETRY)
                    .start(ModelTestKit.twoSeatRequest(), slowButFine);
            slowButFine.await();
            assertEquals("Fine, thanks.", slowButFine.reply.text());
        }
    }

    @Test
    void anthropicOverloadedThenAnswers() throws Exception {
        server.enqueue(new MockResponse.Builder().code(529).setHeader("Content-Type", "application/json")
                .body("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}").build());
        server.enqueue(new MockResponse.Builder().setHeader("Content-Type", "text/event-stream")
                .body(AnthropicStreams.HELLO).build());
        Cfg c = openai();
        c.provider = "anthropic";
        c.baseUrl = server.url("/").toString();
        Recorder r = new Recorder();
        create(c, StreamCut.RETRY).start(ModelTestKit.twoSeatRequest(), r);

        ModelTestKit.eventually(() -> r.retries.size() == 1);
        Duration wait = r.retryDelays.get(0);
        assertTrue(wait.compareTo(Duration.ofSeconds(1)) >= 0 && wait.compareTo(Duration.ofSeconds(2)) <= 0,
                "first backoff is within [base/2, base]: " + wait);
        clock.advance(wait);
        r.await();
        assertEquals("Hello.", r.reply.text());
    }

    @Test
    void streamCutIsRetriedOnceThenTheWholeReplyArrives() throws Exception {
        server.enqueue(sse("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Fi\"},\"finish_reason\":null}]}\n\n"));
        server.enqueue(sse(OPENAI_OK));
        Recorder r = new Recorder();
        create(openai(), StreamCut.RETRY).start(ModelTestKit.twoSeatRequest(), r);
        ModelTestKit.eventually(() -> r.retries.size() == 1);
        assertEquals("Fi", r.retries.get(0).partialText());
        clock.advance(r.retryDelays.get(0));
        r.await();
        assertEquals("Fine, thanks.", r.reply.text());
        assertFalse(r.reply.partial());
    }

    @Test
    void streamCutUnderKeepPostsThePartialText() throws Exception {
        server.enqueue(sse("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Fi\"},\"finish_reason\":null}]}\n\n"));
        Recorder r = new Recorder();
        create(openai(), StreamCut.KEEP).start(ModelTestKit.twoSeatRequest(), r);
        r.await();
        assertEquals("Fi", r.reply.text());
        assertTrue(r.reply.partial());
    }

    @Test
    void permanentErrorIsReportedOnceWithoutRetry() throws Exception {
        server.enqueue(new MockResponse.Builder().code(404).setHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"model gpt-9 not found\",\"code\":\"model_not_found\"}}").build());
        Recorder r = new Recorder();
        create(openai(), StreamCut.RETRY).start(ModelTestKit.twoSeatRequest(), r);
        r.await();
        assertEquals("model not found (404)", r.error.message());
        clock.advance(Duration.ofMinutes(5));
        assertEquals(1, server.getRequestCount());
        assertTrue(r.retries.isEmpty());
    }

    @Test
    void theKeyIsNeverLoggedWhileBodiesAreAtDebug() throws Exception {
        Logger model = (Logger) LoggerFactory.getLogger("dev.parley.model");
        Level before = model.getLevel();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        model.addAppender(logs);
        model.setLevel(Level.DEBUG);
        try {
            server.enqueue(new MockResponse.Builder().code(401).setHeader("Content-Type", "application/json")
                    .body("{\"error\":{\"message\":\"Incorrect API key provided: sk-secret-never-logged-42\"}}").build());
            server.enqueue(sse(OPENAI_OK));
            Recorder bad = new Recorder();
            create(openai(), StreamCut.RETRY).start(ModelTestKit.twoSeatRequest(), bad);
            bad.await();
            Recorder good = new Recorder();
            create(openai(), StreamCut.RETRY).start(ModelTestKit.twoSeatRequest(), good);
            good.await();
        } finally {
            model.detachAppender(logs);
            model.setLevel(before);
        }
        String all = String.join("\n", logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
        assertTrue(all.contains("Tide pools it is."), "the request body is logged at debug");
        assertTrue(all.contains("Fine, thanks."), "the reply is logged at debug");
        assertFalse(all.contains("sk-secret-never-logged-42"), all);
        assertFalse(all.contains("Bearer"), all);
    }

    @Test
    void seatsShareOneConnectionPool() {
        OkHttpClient a = HttpClients.forSeat(shared, new ModelConfig.Timeouts(Duration.ofSeconds(3), Duration.ofSeconds(60), Duration.ofSeconds(90)));
        OkHttpClient b = HttpClients.forSeat(shared, new ModelConfig.Timeouts(Duration.ofSeconds(9), Duration.ofSeconds(60), Duration.ofSeconds(300)));
        assertSame(shared.connectionPool(), a.connectionPool());
        assertSame(shared.dispatcher(), b.dispatcher());
        assertEquals(3000, a.connectTimeoutMillis());
        assertEquals(9000, b.connectTimeoutMillis());
        assertEquals(0, a.callTimeoutMillis());
        assertTrue(shared.dispatcher().getMaxRequestsPerHost() >= 64, "many seats share one host (OpenRouter)");
    }

    @Test
    void providersByName() {
        Cfg c = openai();
        assertTrue(create(c, StreamCut.RETRY).describe().startsWith("openai test-model"));
        c.baseUrl = "https://openrouter.ai/api/v1";
        assertEquals("openai test-model @ openrouter.ai", create(c, StreamCut.RETRY).describe());
        c.baseUrl = null;
        assertEquals("openai test-model", create(c, StreamCut.RETRY).describe());
        c.provider = "anthropic";
        assertEquals("anthropic test-model", create(c, StreamCut.RETRY).describe());
        c.provider = "gemini";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> create(c, StreamCut.RETRY));
        assertEquals("unknown model provider 'gemini' (known: anthropic, openai, replay)", e.getMessage());
    }

    @Test
    void replayThroughTheFactoryReadsItsLinesOnce() {
        Cfg c = new Cfg();
        c.provider = "replay";
        c.replay = new ModelConfig.Replay("classpath:sample.md", "Kimi K2", 0);
        int[] loads = {0};
        ModelClient client = ModelClients.create(c.build(), clock, shared, r -> {
            loads[0]++;
            assertEquals("Kimi K2", r.speaker());
            return List.of("First.", "Second.");
        }, StreamCut.RETRY);
        Recorder one = new Recorder();
        client.start(ModelTestKit.twoSeatRequest(), one);
        clock.runDue();
        Recorder two = new Recorder();
        client.start(ModelTestKit.twoSeatRequest(), two);
        clock.runDue();
        Recorder three = new Recorder();
        client.start(ModelTestKit.twoSeatRequest(), three);
        clock.runDue();
        assertEquals("First.", one.reply.text());
        assertEquals("Second.", two.reply.text());
        assertEquals("replay script exhausted after 2 lines", three.error.message());
        assertNull(three.reply);
        assertEquals(1, loads[0]);

        c.replay = null;
        assertThrows(IllegalArgumentException.class, () -> create(c, StreamCut.RETRY));
    }
}
