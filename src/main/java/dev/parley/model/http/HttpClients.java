package dev.parley.model.http;

import dev.parley.config.ModelConfig;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/** Per-seat views of the one shared OkHttpClient, and base URL handling. */
public final class HttpClients {
    private HttpClients() { }

    /**
     * A client sharing {@code shared}'s connection pool and dispatcher, with this seat's connect timeout.
     * The read timeout is only a wall-clock safety net set to the whole-reply timeout; the first-token and
     * reply timeouts proper run on the Scheduler (see TimeoutModelClient), so they work in virtual time.
     * No call timeout: a long streamed reply is normal.
     */
    public static OkHttpClient forSeat(OkHttpClient shared, ModelConfig.Timeouts t) {
        OkHttpClient.Builder b = shared.newBuilder().callTimeout(Duration.ZERO);
        if (t != null && t.connect() != null && !t.connect().isZero()) {
            b.connectTimeout(t.connect());
        }
        b.readTimeout(t != null && t.reply() != null ? t.reply() : Duration.ZERO);
        return b.build();
    }

    /**
     * What a 401 asks the operator to check: the setting the seat's key actually came from (the loader records it
     * as "env NAME" or "file PATH"), or that there is none. Names the setting, never the key.
     */
    public static String keyAdvice(ModelConfig config) {
        return config.apiKey().map(k -> k.source() != null && k.source().startsWith("file ")
                        ? "check api-key-file" : "check api-key-env")
                .orElse("the seat has no key; set api-key-env or api-key-file");
    }

    /** {@code base} + "/" + {@code path}, tolerating a trailing slash; fails early on a malformed base URL. */
    public static HttpUrl endpoint(String base, String path) {
        String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        HttpUrl url = HttpUrl.parse(b + "/" + path);
        if (url == null) {
            throw new IllegalArgumentException("base-url is not an http(s) URL: " + base);
        }
        return url;
    }
}
