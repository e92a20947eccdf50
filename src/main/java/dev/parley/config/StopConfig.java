package dev.parley.config;

import java.time.Duration;
import java.util.Optional;

/**
 * When a conversation ends by itself. 0 (or empty) means no limit. The end token is honoured only
 * once {@code endTokenMinTurns} turns have been taken.
 */
public record StopConfig(
        int maxTurns,
        Duration maxDuration,
        String endToken,
        int endTokenMinTurns,
        int maxConsecutiveFailures,
        long maxTokens,
        Optional<Double> maxCost) {
}
