package dev.parley.model.anthropic;

import dev.parley.config.ModelConfig;
import dev.parley.config.Secret;
import dev.parley.core.Cancellable;
import dev.parley.core.Scheduler;
import dev.parley.model.ModelClient;
import dev.parley.model.ModelRequest;
import dev.parley.model.ReplyListener;
import dev.parley.model.Usage;
import dev.parley.model.http.HttpClients;
import dev.parley.model.http.Json;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A seat on Anthropic's Messages API. The key travels only in the x-api-key header, which is never logged. */
public final class AnthropicClient implements ModelClient {
    private static final Logger log = LoggerFactory.getLogger(AnthropicClient.class);
    public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
    public static final String DEFAULT_VERSION = "2023-06-01";
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final ModelConfig config;
    private final OkHttpClient http;
    private final Scheduler scheduler;
    private final HttpUrl url;
    private final String version;

    public AnthropicClient(ModelConfig config, OkHttpClient shared, Scheduler scheduler) {
        this.config = config;
        this.http = HttpClients.forSeat(shared, config.timeouts());
        this.scheduler = scheduler;
        this.url = HttpClients.endpoint(config.baseUrl().orElse(DEFAULT_BASE_URL), "v1/messages");
        this.version = config.anthropicVersion() == null || config.anthropicVersion().isBlank()
                ? DEFAULT_VERSION : config.anthropicVersion();
    }

    @Override
    public Cancellable start(ModelRequest request, ReplyListener listener) {
        String body = Json.write(AnthropicRequestBody.build(config, request));
        log.debug("{} POST {} {}", describe(), url, body);
        Request.Builder rb = new Request.Builder().url(url)
                .header("Accept", "text/event-stream")
                .header("anthropic-version", version)
                .post(RequestBody.create(body, JSON));
        String secret = config.apiKey().filter(k -> !k.isBlank()).map(Secret::reveal).orElse(null);
        if (secret != null) {
            rb.header("x-api-key", secret);
        }
        config.headers().forEach(rb::header);
        return new AnthropicStream(listener, scheduler, secret, describe(),
                Usage.estimateInput(request)).keyAdvice(HttpClients.keyAdvice(config)).start(http, rb.build());
    }

    @Override
    public String describe() {
        return "anthropic " + config.model();
    }
}
