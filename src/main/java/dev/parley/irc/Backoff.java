package dev.parley.irc;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Capped exponential backoff with jitter for reconnects: attempt n waits a random time between half and all of
 * {@code min * 2^n}, capped at {@code max}, so that many identities dropped together do not reconnect in lockstep.
 */
final class Backoff {
    private final Duration min;
    private final Duration max;
    private final DoubleSupplier random;
    private int attempt;

    Backoff(Duration min, Duration max, DoubleSupplier random) {
        this.min = min;
        this.max = max;
        this.random = random;
    }

    /** The delay before the next attempt; each call counts one more failure. */
    synchronized Duration next() {
        long base = min.toMillis();
        long cap = max.toMillis();
        long exp = attempt >= 30 ? cap : Math.min(cap, base << attempt);
        attempt++;
        double factor = 0.5 + 0.5 * random.getAsDouble();
        return Duration.ofMillis(Math.max(1, Math.round(exp * factor)));
    }

    /** A connection succeeded: the next failure starts over from {@code min}. */
    synchronized void reset() {
        attempt = 0;
    }
}
