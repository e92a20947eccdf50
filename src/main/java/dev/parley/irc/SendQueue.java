package dev.parley.irc;

import dev.parley.core.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;

/**
 * One connection's outgoing lines, paced by a token bucket ({@code burst} lines at once, then one per
 * {@code lineDelay}) on the shared {@link Scheduler}; callers only enqueue and never wait. While the sink is
 * not ready (disconnected, not yet in the channel) lines wait in order; a line the sink fails to write stays
 * first in the queue and is retried when {@link #kick()} is called after reconnecting. Lines are written by at
 * most one drain at a time, so their order on the wire is the order they were added.
 */
final class SendQueue {
    /** Where lines go: a live connection. */
    interface Sink {
        boolean ready();

        /** Writes one complete IRC line (without CR LF); false when the connection failed. */
        boolean write(String line);
    }

    private final Scheduler scheduler;
    private final Sink sink;
    private final Duration lineDelay;
    private final int burst;
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private double tokens;
    private Instant refilledAt;
    private boolean draining;
    private boolean closed;

    SendQueue(Scheduler scheduler, Sink sink, Duration lineDelay, int burst) {
        this.scheduler = scheduler;
        this.sink = sink;
        this.lineDelay = lineDelay;
        this.burst = burst;
        this.tokens = burst;
        this.refilledAt = scheduler.now();
    }

    void addAll(Collection<String> newLines) {
        synchronized (this) {
            if (closed) {
                return;
            }
            lines.addAll(newLines);
        }
        kick();
    }

    /** Starts draining if lines are waiting and nobody drains yet: call after the sink became ready. */
    void kick() {
        synchronized (this) {
            if (draining || lines.isEmpty() || closed) {
                return;
            }
            draining = true;
        }
        scheduler.execute(this::drain);
    }

    synchronized int size() {
        return lines.size();
    }

    /** Drops whatever is left; later lines are ignored. */
    synchronized void close() {
        closed = true;
        lines.clear();
    }

    private void drain() {
        while (true) {
            String line;
            synchronized (this) {
                if (closed || lines.isEmpty() || !sink.ready()) {
                    draining = false;
                    return;
                }
                refill();
                if (tokens < 1) {
                    long waitNanos = (long) Math.ceil((1 - tokens) * lineDelay.toNanos());
                    scheduler.schedule(Duration.ofNanos(Math.max(1, waitNanos)), this::drain);
                    return;
                }
                line = lines.peek();
            }
            // Written outside the lock: a slow socket must not block callers adding lines.
            if (!sink.write(line)) {
                synchronized (this) {
                    draining = false;
                }
                return;
            }
            synchronized (this) {
                lines.poll();
                if (!lineDelay.isZero()) {
                    tokens -= 1;
                }
            }
        }
    }

    private void refill() {
        Instant now = scheduler.now();
        if (lineDelay.isZero()) {
            tokens = burst;
        } else {
            long elapsed = Duration.between(refilledAt, now).toNanos();
            tokens = Math.min(burst, tokens + (double) elapsed / lineDelay.toNanos());
        }
        refilledAt = now;
    }
}
