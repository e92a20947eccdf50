package dev.parley.matrix;

import java.time.Duration;

/**
 * Delays between retries of a failed request (5xx, network error): doubling from {@code initial} up to
 * {@code max}, so a homeserver that restarts is found again quickly but a dead one is not hammered.
 */
public record Backoff(Duration initial, Duration max) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max: " + initial + ", " + max);
        }
    }

    /** The delay before retry number {@code failures} (0 = after the first failure). */
    public Duration delay(int failures) {
        long ms = initial.toMillis();
        for (int i = 0; i < failures && ms < max.toMillis(); i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, max.toMillis()));
    }
}
