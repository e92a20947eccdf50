package dev.parley.model;

import dev.parley.config.ModelConfig;
import dev.parley.config.Providers;
import dev.parley.config.ReplyConfig;
import dev.parley.core.Scheduler;
import dev.parley.core.Telemetry;
import dev.parley.model.anthropic.AnthropicClient;
import dev.parley.model.http.DeferredTls;
import dev.parley.model.openai.OpenAiClient;
import dev.parley.model.replay.ReplayModelClient;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import okhttp3.OkHttpClient;

/**
 * Builds a seat's {@link ModelClient} from its config: the provider, wrapped in {@link TimeoutModelClient}
 * (first-token and whole-reply timeouts) and {@link RetryingModelClient} (backoff, Retry-After, stream cuts), and
 * for the daemon in {@link MeasuredModelClient} (metrics).
 *
 * <p>Providers: {@code openai} (any OpenAI-compatible server: OpenAI, OpenRouter, Ollama, llama.cpp, vLLM,
 * LM Studio, Groq, Together; base-url defaults to https://api.openai.com/v1), {@code anthropic} (base-url
 * defaults to https://api.anthropic.com), and {@code replay}: the names and config facts are config's
 * {@link Providers}, the clients are the factory table below.
 */
public final class ModelClients {
    /** Builds one provider's client. */
    @FunctionalInterface
    private interface Factory {
        ModelClient create(ModelConfig config, Scheduler scheduler, OkHttpClient shared,
                           Function<ModelConfig.Replay, List<String>> replayLines);
    }

    /** Each provider of {@link Providers} by name, with the client it gets; a provider added there is added here. */
    private static final Map<String, Factory> FACTORIES = Map.of(
            "openai", (config, scheduler, shared, lines) -> new OpenAiClient(config, shared, scheduler),
            "anthropic", (config, scheduler, shared, lines) -> new AnthropicClient(config, shared, scheduler),
            "replay", ModelClients::replay);

    /** The provider names {@link #create} accepts: exactly config's {@link Providers}, or parley does not start. */
    public static final Set<String> PROVIDERS = FACTORIES.keySet();

    static {
        if (!PROVIDERS.equals(Set.copyOf(Providers.names()))) {
            throw new IllegalStateException("model providers " + PROVIDERS + " do not match the config's "
                    + Providers.names());
        }
    }

    private ModelClients() { }

    /**
     * @param shared      the one OkHttpClient of the daemon (its connection pool and threads serve every seat;
     *                    per-seat timeouts are derived from it with newBuilder())
     * @param replayLines loads the lines a replay seat says (reads the transcript); called once, here
     * @param streamCut   the conversation's {@code replies.stream-cut}: retry a cut stream once, or keep its text
     * @throws IllegalArgumentException for an unknown provider or a replay seat without replay settings
     */
    public static ModelClient create(ModelConfig config, Scheduler scheduler, OkHttpClient shared,
                                     Function<ModelConfig.Replay, List<String>> replayLines,
                                     ReplyConfig.StreamCut streamCut) {
        ModelClient provider = provider(config, scheduler, shared, replayLines);
        ModelConfig.Timeouts t = config.timeouts();
        ModelClient timed = t == null ? provider : new TimeoutModelClient(provider, scheduler, t.firstToken(), t.reply());
        ModelConfig.Retry retry = config.retry() != null ? config.retry()
                : new ModelConfig.Retry(1, java.time.Duration.ZERO, java.time.Duration.ZERO);
        return new RetryingModelClient(timed, scheduler, retry, streamCut);
    }

    /**
     * The same, measured: first-token times, retries and cost go to {@code telemetry}, labelled with the
     * conversation, the seat and the model id of {@code config}.
     */
    public static ModelClient create(ModelConfig config, Scheduler scheduler, OkHttpClient shared,
                                     Function<ModelConfig.Replay, List<String>> replayLines,
                                     ReplyConfig.StreamCut streamCut, Telemetry telemetry, String conversation,
                                     String seat) {
        ModelClient client = create(config, scheduler, shared, replayLines, streamCut);
        return telemetry == Telemetry.NOOP ? client
                : new MeasuredModelClient(client, scheduler, telemetry, conversation, seat, config.model(),
                config.price());
    }

    /** The bare provider, without timeouts or retries. */
    public static ModelClient provider(ModelConfig config, Scheduler scheduler, OkHttpClient shared,
                                       Function<ModelConfig.Replay, List<String>> replayLines) {
        String name = config.provider() == null ? "" : config.provider().trim().toLowerCase(Locale.ROOT);
        Factory factory = FACTORIES.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown model provider '" + config.provider()
                    + "' (known: " + String.join(", ", PROVIDERS.stream().sorted().toList()) + ")");
        }
        return factory.create(config, scheduler, shared, replayLines);
    }

    private static ModelClient replay(ModelConfig config, Scheduler scheduler, OkHttpClient shared,
                                      Function<ModelConfig.Replay, List<String>> replayLines) {
        ModelConfig.Replay r = config.replay().orElseThrow(() ->
                new IllegalArgumentException("provider 'replay' needs model.replay { transcript, speaker }"));
        return new ReplayModelClient(replayLines.apply(r), scheduler, r.charsPerSecond());
    }

    /**
     * The daemon's one HTTP client for all seats. OkHttp's dispatcher allows only 5 concurrent calls per host by
     * default; every seat on OpenRouter shares one host, and a queued call would eat its first-token time, so the
     * limits are raised well above any sensible number of concurrent seats. Its TLS is set up on the first https
     * connection ({@link DeferredTls}): a config that speaks only http:// never pays for it at start.
     */
    public static OkHttpClient newSharedHttpClient() {
        okhttp3.Dispatcher dispatcher = new okhttp3.Dispatcher();
        dispatcher.setMaxRequests(256);
        dispatcher.setMaxRequestsPerHost(128);
        return DeferredTls.platform().applyTo(new OkHttpClient.Builder().dispatcher(dispatcher)).build();
    }
}
