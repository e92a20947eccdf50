package dev.parley.model.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.VirtualScheduler;
import dev.parley.config.ModelConfig;
import dev.parley.config.ReplyConfig;
import dev.parley.model.ModelClient;
import dev.parley.model.ModelError;
import dev.parley.model.RetryingModelClient;
import dev.parley.model.TimeoutModelClient;
import dev.parley.model.ModelReply;
import dev.parley.model.ModelRequest;
import dev.parley.model.ModelTestKit;
import dev.parley.model.ModelTestKit.Cfg;
import dev.parley.model.ModelTestKit.Recorder;
import dev.parley.model.Turn;
import dev.parley.model.Usage;
import dev.parley.model.http.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible provider against a fake server speaking the Chat Completions wire format. */
class OpenAiClientTest {
    @StartStop
    private final MockWebServer server = new MockWebServer();
    private final OkHttpClient http = new OkHttpClient();
    private final VirtualScheduler scheduler = new VirtualScheduler();

    /** A real-shaped stream, as OpenRouter sends it: comment keep-alives, a role chunk, text, finish, usage, DONE. */
    static final String STREAM = """
            : OPENROUTER PROCESSING

            : OPENROUTER PROCESSING

            data: {"id":"gen-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":null}

            data: {"id":"gen-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Tide pools "},"finish_reason":null}],"usage":null}

            data: {"id":"gen-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"are tiny oceans.\\n\\nEach one"},"finish_reason":null}],"usage":null}

            : OPENROUTER PROCESSING

            data: {"id":"gen-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":" a world."},"finish_reason":null}],"usage":null}

            data: {"id":"gen-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}

            data: {"id":"gen-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":57,"completion_tokens":12,"total_tokens":69,"prompt_tokens_details":{"cached_tokens":32}}}

            data: [DONE]

            """;

    @AfterEach
    void shutdown() {
        ModelTestKit.shutdown(http);
    }

    static MockResponse sse(String body) {
        return ModelTestKit.sse(body, 37);
    }

    private Cfg cfg() {
        Cfg c = new Cfg();
        c.baseUrl = server.url("/v1").toString();
        c.apiKey = "sk-test-0123456789abcdef";
        return c;
    }

    private Recorder call(Cfg c, ModelRequest req) throws InterruptedException {
        Recorder r = new Recorder();
        new OpenAiClient(c.build(), http, scheduler).start(req, r);
        return r.await();
    }

    private JsonNode sentBody() throws InterruptedException {
        RecordedRequest req = server.takeRequest(5, TimeUnit.SECONDS);
        return Json.parseOrMissing(req.getBody().utf8());
    }

    @Test
    void aReplyCutByATimeoutBeforeItsUsageChunkIsChargedAHighSideEstimate() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try {
            server.enqueue(ModelTestKit.stallingSse(STREAM.substring(0, STREAM.indexOf("data: {\"id\":\"gen-1\","
                    + "\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
                    + "\"delta\":{\"content\":\" a world.")), release));
            Recorder r = new Recorder();
            ModelClient timed = new TimeoutModelClient(new OpenAiClient(cfg().build(), http, scheduler), scheduler,
                    Duration.ofSeconds(60), Duration.ofSeconds(120));
            ModelRequest request = ModelTestKit.twoSeatRequest();
            new RetryingModelClient(timed, scheduler, new ModelConfig.Retry(1, Duration.ZERO, Duration.ZERO),
                    ReplyConfig.StreamCut.KEEP).start(request, r);
            ModelTestKit.eventually(() -> r.text().equals("Tide pools are tiny oceans.\n\nEach one"));
            scheduler.advance(Duration.ofSeconds(120));
            r.await();
            assertThat(r.reply.text()).isEqualTo("Tide pools are tiny oceans.\n\nEach one");
            long promptChars = request.system().length()
                    + request.turns().stream().mapToLong(t -> t.text().length()).sum();
            assertThat(r.reply.usage().inputTokens()).isGreaterThanOrEqualTo(promptChars / 3);
            assertThat(r.reply.usage().outputTokens()).isEqualTo(13);
        } finally {
            release.countDown();
        }
    }

    @Test
    void streamsDeltasThenReplyWithUsageAndFinishReason() throws Exception {
        server.enqueue(sse(STREAM));
        Recorder r = call(cfg(), ModelTestKit.twoSeatRequest());

        assertNull(r.error);
        assertEquals(List.of("Tide pools ", "are tiny oceans.\n\nEach one", " a world."), r.deltas);
        assertEquals(new ModelReply("Tide pools are tiny oceans.\n\nEach one a world.", new Usage(57, 12, 32), "stop", false),
                r.reply);
        assertEquals(1, r.ends);
    }

    @Test
    void sendsTheTwoSeatPromptExactly() throws Exception {
        server.enqueue(sse(STREAM));
        Cfg c = cfg();
        c.temperature = 0.8;
        c.topP = 0.95;
        c.seed = 42L;
        c.headers.put("X-Title", "parley");
        call(c, ModelTestKit.twoSeatRequest());

        RecordedRequest req = server.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("POST", req.getMethod());
        assertEquals("/v1/chat/completions", req.getUrl().encodedPath());
        assertEquals("Bearer sk-test-0123456789abcdef", req.getHeaders().get("Authorization"));
        assertEquals("parley", req.getHeaders().get("X-Title"));
        assertEquals("text/event-stream", req.getHeaders().get("Accept"));
        assertTrue(req.getHeaders().get("Content-Type").startsWith("application/json"));
        JsonNode expected = Json.parseOrMissing("""
                {"model":"test-model",
                 "messages":[
                   {"role":"system","content":"You are Kimi, talking with Claude in #ai."},
                   {"role":"user","content":"Claude: Hello Kimi. What shall we talk about?"},
                   {"role":"assistant","content":"Tide pools, I think."},
                   {"role":"user","content":"Claude: Tide pools it is. Why do they fascinate you?"}],
                 "stream":true,
                 "stream_options":{"include_usage":true},
                 "max_tokens":300,
                 "temperature":0.8,
                 "top_p":0.95,
                 "seed":42,
                 "stop":["\\nClaude:"]}""");
        assertEquals(expected, Json.parseOrMissing(req.getBody().utf8()));
    }

    @Test
    void sendsTheThreeSeatPromptWithTheHumanAndAtMostFourStops() throws Exception {
        server.enqueue(sse(STREAM));
        Cfg c = cfg();
        c.stop = List.of("###", "\nClaude:");
        call(c, ModelTestKit.threeSeatWithHumanRequest());

        JsonNode expected = Json.parseOrMissing("""
                {"model":"test-model",
                 "messages":[
                   {"role":"system","content":"You are Kimi. Others here: Claude, Gemini, and humans."},
                   {"role":"user","content":" "},
                   {"role":"assistant","content":"Hi all."},
                   {"role":"user","content":"Claude: Hi Kimi.\\nann: can you two talk about rust?\\nGemini: Rust, gladly."},
                   {"role":"assistant","content":"Rust's borrow checker is a teacher."},
                   {"role":"user","content":"Claude: A strict one.\\nann: ha"}],
                 "stream":true,
                 "stream_options":{"include_usage":true},
                 "max_tokens":300,
                 "stop":["###","\\nClaude:","\\nGemini:","\\nann:"]}""");
        assertEquals(expected, sentBody());
    }

    @Test
    void fiveStopsAreCutToFourConfiguredFirst() {
        assertEquals(List.of("A", "B", "\nX:", "\nY:"),
                OpenAiRequestBody.stops(List.of("A", "B"), List.of("\nX:", "\nY:", "\nZ:")));
    }

    @Test
    void officialOpenAiGetsMaxCompletionTokensAndExtraBodyWins() {
        Cfg c = cfg();
        JsonNode official = OpenAiRequestBody.build(c.build(), ModelTestKit.twoSeatRequest(), true);
        assertEquals(300, official.path("max_completion_tokens").asInt());
        assertTrue(official.path("max_tokens").isMissingNode());

        c.extraBody = Map.of("max_tokens", 50, "provider", Map.of("order", List.of("groq")), "stream", false,
                "reasoning", Map.of("effort", "low"));
        JsonNode b = OpenAiRequestBody.build(c.build(), ModelTestKit.twoSeatRequest(), true);
        assertEquals(50, b.path("max_tokens").asInt());
        assertTrue(b.path("max_completion_tokens").isMissingNode());
        assertEquals("groq", b.path("provider").path("order").path(0).asText());
        assertEquals("low", b.path("reasoning").path("effort").asText());
        assertTrue(b.path("stream").asBoolean(), "extra-body cannot turn streaming off: parley reads a stream");
    }

    @Test
    void noKeyMeansNoAuthorizationHeaderAndNoSystemMessageWhenBlank() throws Exception {
        server.enqueue(sse(STREAM));
        Cfg c = cfg();
        c.apiKey = null;
        c.maxTokens = 0;
        call(c, new ModelRequest("", List.of(Turn.user(" ")), List.of()));

        RecordedRequest req = server.takeRequest(5, TimeUnit.SECONDS);
        assertNull(req.getHeaders().get("Authorization"));
        JsonNode body = Json.parseOrMissing(req.getBody().utf8());
        assertEquals(1, body.path("messages").size());
        assertEquals("user", body.path("messages").path(0).path("role").asText());
        assertTrue(body.path("max_tokens").isMissingNode());
        assertTrue(body.path("stop").isMissingNode());
    }

    @Test
    void unauthorizedWithoutAnyKeySaysNoKeyIsSet() throws Exception {
        server.enqueue(ModelTestKit.json(401, "{\"error\":{\"message\":\"Missing bearer authentication\"}}"));
        Cfg c = cfg();
        c.apiKey = null;
        Recorder r = call(c, ModelTestKit.twoSeatRequest());
        assertThat(r.error.message()).isEqualTo("unauthorized (401): the seat has no key; set api-key-env or api-key-file");
    }

    @Test
    void unauthorizedNamesTheCauseAndNeverEchoesTheKey() throws Exception {
        server.enqueue(ModelTestKit.json(401, """
                {"error":{"message":"Incorrect API key provided: sk-test-01**********cdef. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"""));
        Recorder r = call(cfg(), ModelTestKit.twoSeatRequest());

        assertEquals(ModelError.Kind.PERMANENT, r.error.kind());
        assertEquals("unauthorized (401): check api-key-env", r.error.message());
        assertEquals(401, r.error.httpStatus());
        assertNull(r.reply);
    }

    @Test
    void modelNotFound() throws Exception {
        server.enqueue(ModelTestKit.json(404, """
                {"error":{"message":"The model `gpt-9` does not exist or you do not have access to it.","type":"invalid_request_error","param":null,"code":"model_not_found"}}"""));
        Recorder r = call(cfg(), ModelTestKit.twoSeatRequest());
        assertEquals(ModelError.Kind.PERMANENT, r.error.kind());
        assertEquals("model not found (404)", r.error.message());
    }

    @Test
    void ollamaModelNotFound() throws Exception {
        server.enqueue(ModelTestKit.json(404, """
                {"error":{"message":"model \\"llama9\\" not found, try pulling it first","type":"api_error","param":null,"code":null}}"""));
        Recorder r = call(cfg(), ModelTestKit.twoSeatRequest());
        assertEquals("model not found (404)", r.error.message());
    }

    @Test
    void wrongBaseUrlIsNotCalledAMissingModel() throws Exception {
        server.enqueue(new MockResponse.Builder().code(404).setHeader("Content-Type", "text/html")
                .body("<html><body>Not Found</body></html>").build());
        Recorder r = call(cfg(), ModelTestKit.twoSeatRequest());
        assertEquals("not found (404): check base-url and model", r.error.message());
    }

    @Test
    void badRequestCarriesTheProvidersReasonOnOneShortLine() throws Exception {
        server.enqueue(ModelTestKit.json(400, """
                {"error":{"message":"This model's maximum context length is 8192 tokens.\\nHowever, your messages resulted in 9001 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"""));
        Recorder r = call(cfg(), ModelTestKit.twoSeatRequest());
        assertEquals(ModelError.Kind.PERMANENT, r.error.kind());
        assertEquals("bad request (400): This model's maximum context length is 8192 tokens. However, your messages "
                + "resulted in 9001 tokens.", r.error.message());
    }

    @Test
    void rateLimitedWithRetryAfterSeconds() throws Exception {
        server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "7")
                .setHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}")
                .build());
        Recorder r = call(cfg(), ModelTestKit.twoSeatRequest());
        assertEquals(ModelError.Kind.RATE_LIMITED, r.error.kind());
        assertEquals(Duration.ofSeconds(7), r.error.retryAfter());
        assertEquals("rate limited (429): Rate limit reached", r.error.message());
    }

    @Test
    void rateLimitedWithRetryAfterAsHttpDate() throws Exception {
        // VirtualScheduler starts at 2026-01-01T00:00:00Z; the server says 90 s later.
        server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "Thu, 01 Jan 2026 00:01:30 GMT")
                .body("").build());
        Recorder r = call(cfg(), ModelTestKit.twoSeatRequest());
        assertEquals(Duration.ofSeconds(90), r.error.retryAfter());
    }

    @Test
    void serverErrorIsTransient() throws Exception {
        server.enqueue(ModelTestKit.json(503, "{\"error\":{\"message\":\"upstream unavailable\"}}"));
        Recorder r = call(cfg(), ModelTestKit.twoSeatRequest());
        assertEquals(ModelError.Kind.TRANSIENT, r.error.kind());
        assertEquals("server error (503)", r.error.message());
    }

    @Test
    void streamThatEndsWithoutFinishIsACutWithThePartialText() throws Exception {
        server.enqueue(sse("""
                data: {"choices":[{"index":0,"delta":{"content":"Half a "},"finish_reason":null}]}

                data: {"choices":[{"index":0,"delta":{"content":"thought"},"finish_reason":null}]}

                """));
        Recorder r = call(cfg(), ModelTestKit.twoSeatRequest());
        assertEquals(ModelError.Kind.TRANSIENT, r.error.kind());
        assertEquals("Half a thought", r.error.partialText());
        assertEquals("stream ended before the reply was complete", r.error.message());
    }

    @Test
    void connectionDroppedMidStreamIsACutWithThePartialText() throws Exception {
        String head = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Half a \"},\"finish_reason\":null}]}\n\n";
        // Promise more bytes than are sent, then close the socket: the client sees the connection die mid-body.
        server.enqueue(new MockResponse.Builder().setHeader("Content-Type", "text/event-stream")
                .body(head).setHeader("Content-Length", head.length() + 500)
                .onResponseEnd(new SocketEffect.CloseSocket(true, false, false)).build());
        Recorder r = call(cfg(), ModelTestKit.twoSeatRequest());
        assertEquals(ModelError.Kind.TRANSIENT, r.error.kind());
        assertEquals("stream cut mid-reply", r.error.message());
        assertEquals("Half a ", r.error.partialText());
    }

    @Test
    void finishWithoutDoneIsStillAWholeReply() throws Exception {
        server.enqueue(sse("""
                data: {"choices":[{"index":0,"delta":{"content":"Short."},"finish_reason":null}]}

                data: {"choices":[{"index":0,"delta":{},"finish_reason":"length"}]}

                """));
        ModelRequest request = ModelTestKit.twoSeatRequest();
        Recorder r = call(cfg(), request);
        // No usage chunk: the cost is estimated on the high side rather than taken as nothing
        assertEquals(new ModelReply("Short.", new Usage(Usage.estimateInput(request), 2, 0), "length", false), r.reply);
    }

    @Test
    void openRouterErrorChunkMidStream() throws Exception {
        server.enqueue(sse("""
                data: {"choices":[{"index":0,"delta":{"content":"Let me"},"finish_reason":null}]}

                data: {"id":"gen-1","object":"chat.completion.chunk","error":{"code":502,"message":"Provider returned error"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}

                """));
        Recorder r = call(cfg(), ModelTestKit.twoSeatRequest());
        assertEquals(ModelError.Kind.TRANSIENT, r.error.kind());
        assertEquals("error mid-reply: server error (502)", r.error.message());
        assertEquals("Let me", r.error.partialText());
    }

    @Test
    void serverThatIgnoresStreamingIsReadAsOnePlainCompletion() throws Exception {
        server.enqueue(ModelTestKit.json(200, """
                {"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Plain."},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}"""));
        Recorder r = call(cfg(), ModelTestKit.twoSeatRequest());
        assertEquals(new ModelReply("Plain.", new Usage(5, 2, 0), "stop", false), r.reply);
        assertEquals(List.of("Plain."), r.deltas);
    }

    @Test
    void garbageInTheStreamIsTransient() throws Exception {
        server.enqueue(sse("data: {not json\n\n"));
        Recorder r = call(cfg(), ModelTestKit.twoSeatRequest());
        assertEquals(ModelError.Kind.TRANSIENT, r.error.kind());
    }

    @Test
    void cancelStopsTheCallAndNothingIsReportedAfter() throws Exception {
        server.enqueue(new MockResponse.Builder().setHeader("Content-Type", "text/event-stream")
                .body(STREAM).bodyDelay(300, TimeUnit.MILLISECONDS).build());
        Recorder r = new Recorder();
        var call = new OpenAiClient(cfg().build(), http, scheduler).start(ModelTestKit.twoSeatRequest(), r);
        server.takeRequest(5, TimeUnit.SECONDS);
        call.cancel();
        Thread.sleep(600); // not polling: past the 300 ms body delay, when a delta or an end after cancel would show
        assertFalse(r.finished());
        assertTrue(r.deltas.isEmpty());
        ModelTestKit.eventually(() -> http.dispatcher().runningCallsCount() == 0);
    }

    @Test
    void unreachableServerIsTransient() throws Exception {
        Cfg c = cfg();
        c.baseUrl = "http://127.0.0.1:1/v1";
        Recorder r = call(c, ModelTestKit.twoSeatRequest());
        assertEquals(ModelError.Kind.TRANSIENT, r.error.kind());
        assertEquals("cannot connect to the model's server", r.error.message());
    }
}
