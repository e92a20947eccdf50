package dev.parley.model;

import dev.parley.config.ModelConfig;

/**
 * Token counts of one reply, as the provider reported them (0 where it did not).
 * {@code inputTokens} counts the whole prompt; {@code cachedInputTokens} is the part of it served from a
 * prompt cache (OpenAI's {@code cached_tokens}, Anthropic's {@code cache_read_input_tokens}).
 */
public record Usage(long inputTokens, long outputTokens, long cachedInputTokens) {
    public static final Usage NONE = new Usage(0, 0, 0);

    public long total() {
        return inputTokens + outputTokens;
    }

    public Usage plus(Usage o) {
        return new Usage(inputTokens + o.inputTokens, outputTokens + o.outputTokens,
                cachedInputTokens + o.cachedInputTokens);
    }

    /**
     * US dollars at list price. Cached input is priced as plain input: providers discount it, so this errs on
     * the high side, which is the safe side for a cost stop condition.
     */
    public double cost(ModelConfig.Price price) {
        return (inputTokens * price.inputPerMillion() + outputTokens * price.outputPerMillion()) / 1_000_000.0;
    }
}
