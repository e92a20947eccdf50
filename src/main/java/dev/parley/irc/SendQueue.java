package dev.parley.irc;

import dev.parley.core.Scheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;

/**
 * The outgoing lines of one connection to one channel, paced by the connection's {@link LineBudget} on the shared
 * {@link Scheduler}; callers only enqueue and never wait. While the sink is
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
    private final LineBudget budget;
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private boolean draining;
    private boolean closed;

    SendQueue(Scheduler scheduler, Sink sink, LineBudget budget) {
        this.scheduler = scheduler;
        this.sink = sink;
        this.budget = budget;
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
                Duration wait = budget.take();
                if (!wait.isZero()) {
                    scheduler.schedule(wait, this::drain);
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
            }
        }
    }
}
