package dev.parley.core;

import java.time.Duration;

/**
 * Capped exponential backoff, shared by everything that retries (model calls, IRC reconnects, Matrix requests):
 * the wait after {@code n} failures is {@code initial * 2^n}, capped at {@code max}.
 */
public record Backoff(Duration initial, Duration max) {
    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max: " + initial + ", " + max);
        }
    }

    /** The wait before the retry that follows {@code failures} earlier failures (0 = after the first). */
    public Duration delay(int failures) {
        long ms = initial.toMillis();
        for (int i = 0; i < failures && ms < max.toMillis(); i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, max.toMillis()));
    }

    /**
     * {@link #delay} with "equal jitter": half of it fixed, half random ({@code random01} in [0, 1]), so that
     * clients that failed together (seats behind one API, identities on one server) do not retry together.
     */
    public Duration jittered(int failures, double random01) {
        long d = delay(failures).toMillis();
        long half = d / 2;
        return Duration.ofMillis(Math.max(1, half + Math.round(random01 * (d - half))));
    }
}
