package dev.parley.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a seat reaches its model. Common to all providers; fields a provider does not use are ignored by it.
 * Sampling values left empty are not sent (the provider's default applies).
 */
public record ModelConfig(
        String provider,
        String model,
        Optional<String> baseUrl,
        Optional<Secret> apiKey,
        Map<String, String> headers,
        Optional<Double> temperature,
        Optional<Double> topP,
        int maxTokens,
        Optional<Long> seed,
        List<String> stop,
        Map<String, Object> extraBody,
        Timeouts timeouts,
        Retry retry,
        Optional<Price> price,
        boolean promptCaching,
        String anthropicVersion,
        Optional<Replay> replay) {
    public ModelConfig {
        headers = Map.copyOf(headers);
        stop = List.copyOf(stop);
        extraBody = Map.copyOf(extraBody);
    }

    /** The same, with another model id of the same provider (an operator's {@code !model}). */
    public ModelConfig withModel(String modelId) {
        return new ModelConfig(provider, modelId, baseUrl, apiKey, headers, temperature, topP, maxTokens, seed, stop,
                extraBody, timeouts, retry, price, promptCaching, anthropicVersion, replay);
    }

    /** connect: TCP+TLS; firstToken: until the first streamed text; reply: the whole reply. */
    public record Timeouts(Duration connect, Duration firstToken, Duration reply) { }

    /** Retries for 429/5xx/529/network errors: exponential from baseDelay, capped at maxDelay, with jitter. */
    public record Retry(int maxAttempts, Duration baseDelay, Duration maxDelay) { }

    /** US dollars per million tokens, for the running cost in !status and the cost stop condition. */
    public record Price(double inputPerMillion, double outputPerMillion) { }

    /**
     * The replay provider: says the lines of {@code speaker} from {@code transcript}
     * ("classpath:..." or a file path) in order, one per turn.
     */
    public record Replay(String transcript, String speaker, double charsPerSecond) { }
}
