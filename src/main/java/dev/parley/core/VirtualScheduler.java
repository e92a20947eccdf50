package dev.parley.core;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * Scheduler in virtual time for tests and instant replays: nothing runs until {@link #advance} or
 * {@link #runUntilIdle} is called, and then tasks run on the calling thread in time order
 * (ties in the order they were scheduled). Not thread-safe by design; one test thread drives it.
 */
public final class VirtualScheduler implements Scheduler {
    private record Task(Instant at, long order, Runnable run, boolean[] cancelled) { }

    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) -> {
        int c = a.at.compareTo(b.at);
        return c != 0 ? c : Long.compare(a.order, b.order);
    });
    private Instant now;
    private long order;

    public VirtualScheduler() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    public VirtualScheduler(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        boolean[] cancelled = {false};
        Duration d = delay.isNegative() ? Duration.ZERO : delay;
        queue.add(new Task(now.plus(d), order++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    /** Runs every task due within {@code d} from now, then sets the clock to now + d. */
    public void advance(Duration d) {
        Instant end;
        synchronized (this) {
            end = now.plus(d);
        }
        runUntil(end);
        synchronized (this) {
            if (now.isBefore(end)) {
                now = end;
            }
        }
    }

    /** Runs tasks, jumping the clock forward, until none is left or {@code limit} of virtual time passed. */
    public void runUntilIdle(Duration limit) {
        Instant end;
        synchronized (this) {
            end = now.plus(limit);
        }
        runUntil(end);
    }

    /** Runs only the tasks due now (zero delay), without moving the clock. */
    public void runDue() {
        runUntil(now());
    }

    public synchronized int pending() {
        return (int) queue.stream().filter(t -> !t.cancelled[0]).count();
    }

    private void runUntil(Instant end) {
        while (true) {
            Task next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.at.isAfter(end)) {
                    return;
                }
                queue.poll();
                if (next.cancelled[0]) {
                    continue;
                }
                if (next.at.isAfter(now)) {
                    now = next.at;
                }
            }
            next.run.run();
        }
    }
}
