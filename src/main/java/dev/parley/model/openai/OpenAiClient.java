package dev.parley.model.openai;

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

/**
 * A seat on an OpenAI-compatible server. The key, when set, goes only into the Authorization header, which is
 * never logged; a keyless server (Ollama, llama.cpp) gets no Authorization header at all.
 */
public final class OpenAiClient implements ModelClient {
    private static final Logger log = LoggerFactory.getLogger(OpenAiClient.class);
    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final ModelConfig config;
    private final OkHttpClient http;
    private final Scheduler scheduler;
    private final HttpUrl url;
    private final boolean officialOpenAi;

    public OpenAiClient(ModelConfig config, OkHttpClient shared, Scheduler scheduler) {
        this.config = config;
        this.http = HttpClients.forSeat(shared, config.timeouts());
        this.scheduler = scheduler;
        this.url = HttpClients.endpoint(config.baseUrl().orElse(DEFAULT_BASE_URL), "chat/completions");
        this.officialOpenAi = url.host().equals("api.openai.com");
    }

    @Override
    public Cancellable start(ModelRequest request, ReplyListener listener) {
        String body = Json.write(OpenAiRequestBody.build(config, request, officialOpenAi));
        log.debug("{} POST {} {}", describe(), url, body);
        Request.Builder rb = new Request.Builder().url(url)
                .header("Accept", "text/event-stream")
                .post(RequestBody.create(body, JSON));
        String secret = config.apiKey().filter(k -> !k.isBlank()).map(Secret::reveal).orElse(null);
        if (secret != null) {
            rb.header("Authorization", "Bearer " + secret);
        }
        config.headers().forEach(rb::header);
        return new OpenAiStream(listener, scheduler, secret, describe(),
                Usage.estimateInput(request)).keyAdvice(HttpClients.keyAdvice(config)).start(http, rb.build());
    }

    @Override
    public String describe() {
        return "openai " + config.model() + (officialOpenAi ? "" : " @ " + url.host());
    }
}
