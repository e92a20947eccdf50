package dev.parley.config;

import java.time.Duration;

/**
 * Before each turn, a delay drawn uniformly from [minDelay, maxDelay]; then, before posting, typing time of
 * length / typingCharsPerSecond capped at typingMax (0 chars/s turns typing time off).
 */
public record PacingConfig(Duration minDelay, Duration maxDelay, double typingCharsPerSecond, Duration typingMax,
                           boolean showTyping) {
}
