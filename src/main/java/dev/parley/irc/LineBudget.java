package dev.parley.irc;

import dev.parley.core.Scheduler;
import java.time.Duration;
import java.time.Instant;

/**
 * The pacing of one connection, a token bucket: {@code burst} lines at once, then one per {@code lineDelay}.
 * Shared by the connection's per-channel queues, since the server counts lines per connection. Thread-safe.
 */
final class LineBudget {
    private final Scheduler scheduler;
    private final Duration lineDelay;
    private final int burst;
    private double tokens;
    private Instant refilledAt;

    LineBudget(Scheduler scheduler, Duration lineDelay, int burst) {
        this.scheduler = scheduler;
        this.lineDelay = lineDelay;
        this.burst = burst;
        this.tokens = burst;
        this.refilledAt = scheduler.now();
    }

    /**
     * Takes one line's worth when available and returns zero; otherwise takes nothing and returns how long until
     * a line may go. Taking before writing keeps several queues sharing the budget within it.
     */
    synchronized Duration take() {
        if (lineDelay.isZero()) {
            return Duration.ZERO;
        }
        refill();
        if (tokens >= 1) {
            tokens -= 1;
            return Duration.ZERO;
        }
        return Duration.ofNanos(Math.max(1, (long) Math.ceil((1 - tokens) * lineDelay.toNanos())));
    }

    private void refill() {
        Instant now = scheduler.now();
        long elapsed = Duration.between(refilledAt, now).toNanos();
        tokens = Math.min(burst, tokens + (double) elapsed / lineDelay.toNanos());
        refilledAt = now;
    }
}
