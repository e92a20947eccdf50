package dev.parley.irc;

import dev.parley.core.Backoff;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The waits between one identity's reconnect attempts: jittered exponential backoff from {@code min} to
 * {@code max}, so that many identities dropped together do not reconnect in lockstep; a success starts over.
 */
final class ReconnectDelays {
    private final Backoff backoff;
    private final DoubleSupplier random;
    private int failures;

    ReconnectDelays(Duration min, Duration max, DoubleSupplier random) {
        this.backoff = new Backoff(min, max);
        this.random = random;
    }

    /** The delay before the next attempt; each call counts one more failure. */
    synchronized Duration next() {
        Duration d = backoff.jittered(failures, random.getAsDouble());
        failures = Math.min(failures + 1, 62);
        return d;
    }

    /** A connection succeeded: the next failure starts over from {@code min}. */
    synchronized void reset() {
        failures = 0;
    }
}
