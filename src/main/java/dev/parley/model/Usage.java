package dev.parley.model;

import dev.parley.config.ModelConfig;

/**
 * Token counts of one reply, as the provider reported them; where it reported nothing (a call cancelled by a
 * timeout, a server that sends no usage), a high-side estimate from {@link #withEstimates}.
 * {@code inputTokens} counts the whole prompt; {@code cachedInputTokens} is the part of it served from a
 * prompt cache (OpenAI's {@code cached_tokens}, Anthropic's {@code cache_read_input_tokens}).
 */
public record Usage(long inputTokens, long outputTokens, long cachedInputTokens) {
    public static final Usage NONE = new Usage(0, 0, 0);

    /**
     * A high-side token count for text nobody counted: one token per three UTF-8 bytes. Tokenizers give about one
     * per four characters of English and about one per CJK character (three bytes), so this rarely undercounts,
     * which is the safe side for {@code stop.max-cost}.
     */
    public static long estimateTokens(String text) {
        return text == null || text.isEmpty() ? 0
                : (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 2) / 3;
    }

    /** The estimated input of a request: its system prompt and turns, plus a few tokens of framing per turn. */
    public static long estimateInput(ModelRequest request) {
        long tokens = estimateTokens(request.system()) + 4;
        for (Turn t : request.turns()) {
            tokens += estimateTokens(t.text()) + 4;
        }
        return tokens;
    }

    /** This usage with each count the provider left at 0 replaced by an estimate: input given, output of {@code text}. */
    public Usage withEstimates(long inputEstimate, String outputText) {
        return new Usage(inputTokens > 0 ? inputTokens : inputEstimate,
                outputTokens > 0 ? outputTokens : estimateTokens(outputText), cachedInputTokens);
    }

    /**
     * For a reply cut short: the output is at least what its text counts, because a count reported before the end
     * (Anthropic's {@code message_start} says 1) only grows.
     */
    public Usage withOutputAtLeast(String text) {
        return new Usage(inputTokens, Math.max(outputTokens, estimateTokens(text)), cachedInputTokens);
    }

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
