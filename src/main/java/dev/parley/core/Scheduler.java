package dev.parley.core;

import java.time.Duration;
import java.time.Instant;

/**
 * The only source of time and delay in the engine. Production uses {@link SystemScheduler};
 * tests use {@link VirtualScheduler} so that pacing and timeouts run instantly and deterministically.
 * Tasks may run on any thread: whoever needs order wraps the scheduler in an {@link EventLoop}.
 */
public interface Scheduler {
    Instant now();

    Cancellable schedule(Duration delay, Runnable task);

    default Cancellable execute(Runnable task) {
        return schedule(Duration.ZERO, task);
    }
}
