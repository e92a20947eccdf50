package dev.parley.model.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Anthropic provider against a fake server speaking the Messages streaming wire format. */
class AnthropicClientTest {
    @StartStop
    private final MockWebServer server = new MockWebServer();
    private final OkHttpClient http = new OkHttpClient();
    private final VirtualScheduler scheduler = new VirtualScheduler();

    /** As the Messages API streams it: named events, a ping, one text block, cumulative usage, message_stop. */
    static final String STREAM = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","content":[],"model":"claude-test","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"cache_creation_input_tokens":0,"cache_read_input_tokens":100,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: ping
            data: {"type": "ping"}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Because each one"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" is a small sea."}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    @AfterEach
    void shutdown() {
        ModelTestKit.shutdown(http);
    }

    static MockResponse sse(String body) {
        return ModelTestKit.sse(body, 29);
    }

    private Cfg cfg() {
        Cfg c = new Cfg();
        c.provider = "anthropic";
        c.model = "claude-test";
        c.baseUrl = server.url("/").toString();
        c.apiKey = "sk-ant-test-0123456789";
        return c;
    }

    private Recorder call(Cfg c, ModelRequest req) throws InterruptedException {
        Recorder r = new Recorder();
        new AnthropicClient(c.build(), http, scheduler).start(req, r);
        return r.await();
    }

    @Test
    void streamsTextAndReportsUsageAndStopReason() throws Exception {
        server.enqueue(sse(STREAM));
        Recorder r = call(cfg(), ModelTestKit.twoSeatRequest());

        assertNull(r.error);
        assertEquals(List.of("Because each one", " is a small sea."), r.deltas);
        // input = 25 fresh + 100 read from the cache; 100 of them cached
        assertEquals(new ModelReply("Because each one is a small sea.", new Usage(125, 15, 100), "end_turn", false),
                r.reply);
    }

    @Test
    void sendsTheTwoSeatPromptWithSystemTopLevelAndHeaders() throws Exception {
        server.enqueue(sse(STREAM));
        Cfg c = cfg();
        c.temperature = 1.0;
        c.seed = 7L; // Anthropic has no seed: not sent
        c.headers.put("anthropic-beta", "some-feature");
        call(c, ModelTestKit.twoSeatRequest());

        RecordedRequest req = server.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("/v1/messages", req.getUrl().encodedPath());
        assertEquals("sk-ant-test-0123456789", req.getHeaders().get("x-api-key"));
        assertEquals("2023-06-01", req.getHeaders().get("anthropic-version"));
        assertEquals("some-feature", req.getHeaders().get("anthropic-beta"));
        assertNull(req.getHeaders().get("Authorization"));
        JsonNode expected = Json.parseOrMissing("""
                {"model":"claude-test",
                 "max_tokens":300,
                 "system":"You are Kimi, talking with Claude in #ai.",
                 "messages":[
                   {"role":"user","content":"Claude: Hello Kimi. What shall we talk about?"},
                   {"role":"assistant","content":"Tide pools, I think."},
                   {"role":"user","content":"Claude: Tide pools it is. Why do they fascinate you?"}],
                 "stream":true,
                 "temperature":1.0,
                 "stop_sequences":["\\nClaude:"]}""");
        assertEquals(expected, Json.parseOrMissing(req.getBody().utf8()));
    }

    @Test
    void sendsTheThreeSeatPromptWithCachingAndABlankOpening() throws Exception {
        server.enqueue(sse(STREAM));
        Cfg c = cfg();
        c.promptCaching = true;
        c.maxTokens = 0; // unset: the API still needs one
        c.stop = List.of("\nGemini:", "THE END");
        call(c, ModelTestKit.threeSeatWithHumanRequest());

        JsonNode expected = Json.parseOrMissing("""
                {"model":"claude-test",
                 "max_tokens":1024,
                 "system":[{"type":"text","text":"You are Kimi. Others here: Claude, Gemini, and humans.",
                            "cache_control":{"type":"ephemeral"}}],
                 "messages":[
                   {"role":"user","content":"…"},
                   {"role":"assistant","content":"Hi all."},
                   {"role":"user","content":"Claude: Hi Kimi.\\nann: can you two talk about rust?\\nGemini: Rust, gladly."},
                   {"role":"assistant","content":"Rust's borrow checker is a teacher."},
                   {"role":"user","content":[{"type":"text","text":"Claude: A strict one.\\nann: ha",
                                              "cache_control":{"type":"ephemeral"}}]}],
                 "stream":true,
                 "stop_sequences":["\\nGemini:","THE END","\\nClaude:","\\nann:"]}""");
        assertEquals(expected, Json.parseOrMissing(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8()));
    }

    @Test
    void overloadedErrorEventMidStreamKeepsThePartialText() throws Exception {
        server.enqueue(sse("""
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_02","type":"message","role":"assistant","content":[],"model":"claude-test","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":1}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"I was saying"}}

                event: error
                data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}

                """));
        Recorder r = call(cfg(), ModelTestKit.twoSeatRequest());
        assertEquals(ModelError.Kind.RATE_LIMITED, r.error.kind());
        assertEquals("overloaded mid-reply", r.error.message());
        assertEquals("I was saying", r.error.partialText());
    }

    @Test
    void aReplyCutByATimeoutIsChargedTheInputReportedInMessageStartAndItsTextSoFar() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try {
            server.enqueue(ModelTestKit.stallingSse(STREAM.substring(0, STREAM.indexOf("event: content_block_stop")),
                    release));
            Recorder r = new Recorder();
            ModelClient timed = new TimeoutModelClient(new AnthropicClient(cfg().build(), http, scheduler), scheduler,
                    Duration.ofSeconds(60), Duration.ofSeconds(120));
            new RetryingModelClient(timed, scheduler, new ModelConfig.Retry(1, Duration.ZERO, Duration.ZERO),
                    ReplyConfig.StreamCut.KEEP).start(ModelTestKit.twoSeatRequest(), r);
            ModelTestKit.eventually(() -> r.deltas.size() == 2);
            scheduler.advance(Duration.ofSeconds(120));
            r.await();
            assertThat(r.reply.text()).isEqualTo("Because each one is a small sea.");
            assertThat(r.reply.partial()).isTrue();
            // 25 fresh + 100 cached input as message_start said; the 32 bytes of text estimated at 11 tokens
            assertThat(r.reply.usage()).isEqualTo(new Usage(125, 11, 100));
        } finally {
            release.countDown();
        }
    }

    @Test
    void aStreamCutMidReplyCarriesTheInputReportedInMessageStart() throws Exception {
        server.enqueue(sse(STREAM.substring(0, STREAM.indexOf("event: message_delta"))));
        Recorder r = call(cfg(), ModelTestKit.twoSeatRequest());
        assertThat(r.error.usage()).isEqualTo(new Usage(125, 11, 100));
    }

    @Test
    void overloaded529() throws Exception {
        server.enqueue(ModelTestKit.json(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
        Recorder r = call(cfg(), ModelTestKit.twoSeatRequest());
        assertEquals(ModelError.Kind.RATE_LIMITED, r.error.kind());
        assertEquals("overloaded (529)", r.error.message());
        assertEquals(529, r.error.httpStatus());
    }

    @Test
    void rateLimitedHonoursLowercaseRetryAfter() throws Exception {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("retry-after", "12")
                .setHeader("Content-Type", "application/json")
                .body("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Number of request tokens has exceeded your per-minute rate limit\"}}")
                .build());
        Recorder r = call(cfg(), ModelTestKit.twoSeatRequest());
        assertEquals(ModelError.Kind.RATE_LIMITED, r.error.kind());
        assertEquals(Duration.ofSeconds(12), r.error.retryAfter());
    }

    @Test
    void modelNotFound() throws Exception {
        server.enqueue(ModelTestKit.json(404, "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"model: claude-9\"}}"));
        Recorder r = call(cfg(), ModelTestKit.twoSeatRequest());
        assertEquals(ModelError.Kind.PERMANENT, r.error.kind());
        assertEquals("model not found (404)", r.error.message());
    }

    @Test
    void badKey() throws Exception {
        server.enqueue(ModelTestKit.json(401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}"));
        Recorder r = call(cfg(), ModelTestKit.twoSeatRequest());
        assertEquals("unauthorized (401): check api-key-env", r.error.message());
    }

    @Test
    void badKeyReadFromAFileNamesApiKeyFile() throws Exception {
        server.enqueue(ModelTestKit.json(401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}"));
        Cfg c = cfg();
        c.apiKeySource = "file /run/secrets/anthropic.key";
        Recorder r = call(c, ModelTestKit.twoSeatRequest());
        assertThat(r.error.message()).isEqualTo("unauthorized (401): check api-key-file");
    }

    @Test
    void apiErrorIsTransient() throws Exception {
        server.enqueue(ModelTestKit.json(500, "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}"));
        Recorder r = call(cfg(), ModelTestKit.twoSeatRequest());
        assertEquals(ModelError.Kind.TRANSIENT, r.error.kind());
    }

    @Test
    void streamWithoutMessageStopIsACut() throws Exception {
        server.enqueue(sse(STREAM.substring(0, STREAM.indexOf("event: message_delta"))));
        Recorder r = call(cfg(), ModelTestKit.twoSeatRequest());
        assertEquals(ModelError.Kind.TRANSIENT, r.error.kind());
        assertEquals("Because each one is a small sea.", r.error.partialText());
    }

    @Test
    void thinkingBlocksAreNotShown() throws Exception {
        server.enqueue(sse("""
                event: message_start
                data: {"type":"message_start","message":{"id":"m","type":"message","role":"assistant","content":[],"model":"claude-test","usage":{"input_tokens":3,"output_tokens":1}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me consider."}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"abc"}}

                event: content_block_start
                data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Yes."}}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"stop_sequence","stop_sequence":"\\nClaude:"},"usage":{"output_tokens":9}}

                event: message_stop
                data: {"type":"message_stop"}

                """));
        Recorder r = call(cfg(), ModelTestKit.twoSeatRequest());
        assertEquals(new ModelReply("Yes.", new Usage(3, 9, 0), "stop_sequence", false), r.reply);
    }

    @Test
    void trailingWhitespaceOfAFinalAssistantPrefillIsStripped() {
        JsonNode b = AnthropicRequestBody.build(cfg().build(),
                new ModelRequest("s", List.of(Turn.user("hi"), Turn.assistant("Well, \n")), List.of()));
        assertEquals("Well,", b.path("messages").path(1).path("content").asText());
        assertTrue(b.path("stop_sequences").isMissingNode());
    }
}
