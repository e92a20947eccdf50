package dev.parley.model;

/** Token counts of one reply, as the provider reported them (0 where it did not). */
public record Usage(long inputTokens, long outputTokens, long cachedInputTokens) {
    public static final Usage NONE = new Usage(0, 0, 0);

    public long total() {
        return inputTokens + outputTokens;
    }

    public Usage plus(Usage o) {
        return new Usage(inputTokens + o.inputTokens, outputTokens + o.outputTokens,
                cachedInputTokens + o.cachedInputTokens);
    }
}
