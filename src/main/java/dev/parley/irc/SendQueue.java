package dev.parley.irc;

import dev.parley.core.Scheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

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

    private static final Consumer<Boolean> NOTHING = written -> { };

    private final Scheduler scheduler;
    private final Sink sink;
    private final LineBudget budget;
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    /** Told after the line at the same position in {@link #lines} was written (true) or dropped (false). */
    private final ArrayDeque<Consumer<Boolean>> afterLine = new ArrayDeque<>();
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
     * Queues lines; {@code whenDone} (if not null) is told true once the last of them was written (at once when
     * there are none), or false when the queue is closed before (so that whoever waits on it is never stuck, and
     * knows the lines did not go out).
     */
    void addAll(Collection<String> newLines, Consumer<Boolean> whenDone) {
        boolean runNow;
        boolean wasClosed;
        synchronized (this) {
            wasClosed = closed;
            runNow = closed || newLines.isEmpty();
            if (!runNow) {
                int i = 0;
                for (String l : newLines) {
                    lines.add(l);
                    afterLine.add(++i == newLines.size() && whenDone != null ? whenDone : NOTHING);
                }
            }
        }
        if (runNow) {
            if (whenDone != null) {
                whenDone.accept(!wasClosed);
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
        List<Consumer<Boolean>> dropped;
        synchronized (this) {
            closed = true;
            lines.clear();
            dropped = new ArrayList<>(afterLine);
            afterLine.clear();
        }
        dropped.forEach(d -> d.accept(false));
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
            Consumer<Boolean> after;
            synchronized (this) {
                if (closed) {
                    draining = false;
                    return;
                }
                lines.poll();
                after = afterLine.poll();
            }
            after.accept(true);
        }
    }
}
