package dev.parley.config;

/**
 * The health monitor's thresholds. A message is "empty" when it adds fewer than {@code minNewWords} words that
 * were not seen in the last {@code window} messages; {@code emptyStreak} empty messages in a row fire it.
 * A speaker saying nearly the same thing (similarity at least {@code similarity}) {@code repeats} times in a
 * row also fires it.
 */
public record HealthConfig(
        boolean enabled,
        Action action,
        int window,
        int minNewWords,
        int emptyStreak,
        double similarity,
        int repeats) {
    public enum Action { STOP, PAUSE, NOTICE }
}
