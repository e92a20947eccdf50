package dev.parley.model;

import dev.parley.config.ModelConfig;
import dev.parley.config.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;

/** Builders and a recording listener shared by the model tests. */
public final class ModelTestKit {
    private ModelTestKit() { }

    /** A mutable stand-in for the config loader: set what a test needs, then {@link #build}. */
    public static final class Cfg {
        public String provider = "openai";
        public String model = "test-model";
        public String baseUrl;
        public String apiKey;
        /** Where the key was read from, as the config loader writes it: "env NAME" or "file PATH". */
        public String apiKeySource = "env TEST_API_KEY";
        public Map<String, String> headers = new LinkedHashMap<>();
        public Double temperature;
        public Double topP;
        public int maxTokens = 300;
        public Long seed;
        public List<String> stop = new ArrayList<>();
        public Map<String, Object> extraBody = new HashMap<>();
        public Duration connect = Duration.ofSeconds(5);
        public Duration firstToken = Duration.ofSeconds(60);
        public Duration reply = Duration.ofSeconds(300);
        public int maxAttempts = 3;
        public Duration baseDelay = Duration.ofSeconds(2);
        public Duration maxDelay = Duration.ofSeconds(30);
        public boolean promptCaching;
        public String anthropicVersion = "2023-06-01";
        public ModelConfig.Replay replay;

        public ModelConfig build() {
            return new ModelConfig(provider, model, Optional.ofNullable(baseUrl),
                    Optional.ofNullable(apiKey).map(k -> new Secret(k, apiKeySource)), headers,
                    Optional.ofNullable(temperature), Optional.ofNullable(topP), maxTokens, Optional.ofNullable(seed),
                    stop, extraBody, new ModelConfig.Timeouts(connect, firstToken, reply),
                    new ModelConfig.Retry(maxAttempts, baseDelay, maxDelay), Optional.empty(), promptCaching,
                    anthropicVersion, Optional.ofNullable(replay));
        }
    }

    /** Records everything a call reports; safe to read from the test thread while providers call it. */
    public static final class Recorder implements ReplyListener {
        public final List<String> deltas = java.util.Collections.synchronizedList(new ArrayList<>());
        public final List<ModelError> retries = java.util.Collections.synchronizedList(new ArrayList<>());
        public final List<Duration> retryDelays = java.util.Collections.synchronizedList(new ArrayList<>());
        private final CountDownLatch done = new CountDownLatch(1);
        public volatile ModelReply reply;
        public volatile ModelError error;
        public volatile int ends;

        @Override
        public void onDelta(String text) {
            deltas.add(text);
        }

        @Override
        public void onRetry(ModelError cause, Duration delay) {
            retries.add(cause);
            retryDelays.add(delay);
        }

        @Override
        public synchronized void onReply(ModelReply r) {
            reply = r;
            ends++;
            done.countDown();
        }

        @Override
        public synchronized void onError(ModelError e) {
            error = e;
            ends++;
            done.countDown();
        }

        public boolean finished() {
            return done.getCount() == 0;
        }

        /** Waits (real time) for the end of the call, failing the test after 10 s. */
        public Recorder await() throws InterruptedException {
            if (!done.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the call did not end within 10 s");
            }
            return this;
        }

        public String text() {
            synchronized (deltas) {
                return String.join("", deltas);
            }
        }
    }

    /** Polls (real time) until {@code condition} holds, failing after 10 s: for work on OkHttp's threads. */
    /** A streamed (chunked) server-sent-events reply, cut into {@code chunk}-byte pieces as a proxy might. */
    public static mockwebserver3.MockResponse sse(String body, int chunk) {
        return new mockwebserver3.MockResponse.Builder().setHeader("Content-Type", "text/event-stream; charset=utf-8")
                .chunkedBody(body, chunk).build();
    }

    /**
     * A server-sent-events reply that sends {@code body} and then stalls, the connection open, until {@code release}
     * is counted down: a model that went quiet mid-reply, for timeout tests.
     */
    public static mockwebserver3.MockResponse stallingSse(String body, CountDownLatch release) {
        return new mockwebserver3.MockResponse.Builder().setHeader("Content-Type", "text/event-stream; charset=utf-8")
                .body(new mockwebserver3.MockResponseBody() {
                    @Override
                    public long getContentLength() {
                        return -1;
                    }

                    @Override
                    public void writeTo(okio.BufferedSink sink) throws java.io.IOException {
                        sink.writeUtf8(body).flush();
                        try {
                            release.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }).build();
    }

    /** A JSON reply, such as a provider's error body. */
    public static mockwebserver3.MockResponse json(int code, String body) {
        return new mockwebserver3.MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
                .body(body).build();
    }

    /** Stops an OkHttpClient's threads and idle connections after a test. */
    public static void shutdown(okhttp3.OkHttpClient http) {
        http.dispatcher().executorService().shutdownNow();
        http.connectionPool().evictAll();
    }

    /** Waits up to 10 s until {@code condition} holds: a call reports on OkHttp's or the scheduler's threads. */
    public static void eventually(BooleanSupplier condition) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .dontCatchUncaughtExceptions().until(condition::getAsBoolean);
    }

    /** Two seats: Kimi (the seat being asked) and Claude; Claude opened with a blank line. */
    public static ModelRequest twoSeatRequest() {
        return new ModelRequest("You are Kimi, talking with Claude in #ai.",
                List.of(Turn.user("Claude: Hello Kimi. What shall we talk about?"),
                        Turn.assistant("Tide pools, I think."),
                        Turn.user("Claude: Tide pools it is. Why do they fascinate you?")),
                List.of("\nClaude:"));
    }

    /** Three seats and a human (ann) who stepped in; others' lines were merged into one user turn. */
    public static ModelRequest threeSeatWithHumanRequest() {
        return new ModelRequest("You are Kimi. Others here: Claude, Gemini, and humans.",
                List.of(Turn.user(" "),
                        Turn.assistant("Hi all."),
                        Turn.user("Claude: Hi Kimi.\nann: can you two talk about rust?\nGemini: Rust, gladly."),
                        Turn.assistant("Rust's borrow checker is a teacher."),
                        Turn.user("Claude: A strict one.\nann: ha")),
                List.of("\nClaude:", "\nGemini:", "\nann:"));
    }
}
