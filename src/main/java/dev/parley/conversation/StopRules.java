package dev.parley.conversation;

import dev.parley.config.StopConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * The stop conditions a conversation checks after every turn (the wall-time limit is a timer, the operator's
 * {@code !stop} and the health monitor act directly). Each rule answers with the reason told to the room.
 * The turn limit can be changed while running ({@code !turns}).
 */
final class StopRules {
    /** What the rules look at after a turn. */
    record Progress(int turns, String lastModelText, int consecutiveFailures, long tokens, double cost) { }

    private final StopConfig config;
    private int maxTurns;

    StopRules(StopConfig config) {
        this.config = config;
        this.maxTurns = config.maxTurns();
    }

    int maxTurns() {
        return maxTurns;
    }

    void setMaxTurns(int maxTurns) {
        this.maxTurns = maxTurns;
    }

    Duration maxDuration() {
        return config.maxDuration();
    }

    Optional<String> check(Progress p) {
        if (maxTurns > 0 && p.turns() >= maxTurns) {
            return Optional.of("reached the limit of " + maxTurns + " turns");
        }
        if (!config.endToken().isEmpty() && p.lastModelText() != null && p.turns() >= config.endTokenMinTurns()
                && p.lastModelText().contains(config.endToken())) {
            return Optional.of("a seat said the end token " + config.endToken());
        }
        if (config.maxConsecutiveFailures() > 0 && p.consecutiveFailures() >= config.maxConsecutiveFailures()) {
            return Optional.of(p.consecutiveFailures() + " model failures in a row");
        }
        if (config.maxTokens() > 0 && p.tokens() >= config.maxTokens()) {
            return Optional.of("used " + p.tokens() + " tokens, the limit is " + config.maxTokens());
        }
        if (config.maxCost().isPresent() && p.cost() >= config.maxCost().get()) {
            return Optional.of(String.format(java.util.Locale.ROOT, "cost $%.4f reached the limit of $%.4f",
                    p.cost(), config.maxCost().get()));
        }
        return Optional.empty();
    }
}
