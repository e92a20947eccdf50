package dev.parley.irc;

import dev.parley.core.Scheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

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

    private static final Runnable NOTHING = () -> { };

    private final Scheduler scheduler;
    private final Sink sink;
    private final LineBudget budget;
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    /** Runs after the line at the same position in {@link #lines} was written (null for most lines). */
    private final ArrayDeque<Runnable> afterLine = new ArrayDeque<>();
    private boolean draining;
    private boolean closed;

    SendQueue(Scheduler scheduler, Sink sink, LineBudget budget) {
        this.scheduler = scheduler;
        this.sink = sink;
        this.budget = budget;
    }

    void addAll(Collection<String> newLines) {
        addAll(newLines, null);
    }

    /**
     * Queues lines; {@code whenWritten} (if not null) runs once the last of them was written, or at once when
     * there are none, or when the queue is closed before (so that whoever waits on it is never stuck).
     */
    void addAll(Collection<String> newLines, Runnable whenWritten) {
        boolean runNow;
        synchronized (this) {
            runNow = closed || newLines.isEmpty();
            if (!runNow) {
                int i = 0;
                for (String l : newLines) {
                    lines.add(l);
                    afterLine.add(++i == newLines.size() && whenWritten != null ? whenWritten : NOTHING);
                }
            }
        }
        if (runNow) {
            if (whenWritten != null) {
                whenWritten.run();
            }
            return;
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
    void close() {
        List<Runnable> dropped;
        synchronized (this) {
            closed = true;
            lines.clear();
            dropped = new ArrayList<>(afterLine);
            afterLine.clear();
        }
        dropped.forEach(Runnable::run);
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
            Runnable after;
            synchronized (this) {
                if (closed) {
                    draining = false;
                    return;
                }
                lines.poll();
                after = afterLine.poll();
            }
            after.run();
        }
    }
}
