package dev.parley.irc;

import dev.parley.core.Scheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The outgoing lines of one connection to one channel, paced by the connection's {@link LineBudget} on the shared
 * {@link Scheduler}; callers never wait for the budget: {@link #addAll} writes on the caller's thread what the budget
 * allows at once (a socket write of a few lines) and schedules the rest. While the sink is
 * not ready (disconnected, not yet in the channel) lines wait in order; a line the sink fails to write stays
 * first in the queue and is retried when {@link #kick()} is called after reconnecting. Lines are written by at
 * most one drain at a time, so their order on the wire is the order they were added.
 *
 * <p>Written is not yet received: a line can sit in the kernel's buffer of a connection the server never reads
 * again. Where the sink can {@linkplain Sink#ping ping}, a PING follows each run of written lines, and they count
 * as <em>acknowledged</em> once its PONG is back (a server answers lines in order, so it has read them). Lines
 * whose PONG never came when the connection was lost are sent again, first, on the next connection: at least
 * once, with the smallest window IRC allows (see docs/irc.md).
 */
final class SendQueue {
    /** Where lines go: a live connection. */
    interface Sink {
        boolean ready();

        /** Writes one complete IRC line (without CR LF); false when the connection failed. */
        boolean write(String line);

        /** Whether it can {@link #ping}; a sink that cannot counts lines acknowledged once written. */
        default boolean acknowledges() {
            return false;
        }

        /** Writes {@code PING :token}, whose PONG the owner passes to {@link #acknowledged}; false if it failed. */
        default boolean ping(String token) {
            return false;
        }
    }

    /** One queued line, and whom to tell when it was written and when the server acknowledged it. */
    private record Line(String text, Consumer<Boolean> written, Consumer<Boolean> acknowledged) { }

    private static final Consumer<Boolean> NOTHING = done -> { };
    /** Tokens unique in the process, so a PONG meant for another channel's queue is never taken for ours. */
    private static final AtomicLong TOKENS = new AtomicLong();

    private final Scheduler scheduler;
    private final Sink sink;
    private final LineBudget budget;
    private final ArrayDeque<Line> lines = new ArrayDeque<>();
    /** Written, waiting for a PONG: in order, each with the token of the PING sent after it (null: none yet). */
    private final ArrayDeque<Line> unacknowledged = new ArrayDeque<>();
    private final ArrayDeque<String> tokens = new ArrayDeque<>();
    /** How many of {@link #unacknowledged}, from the oldest, each token in {@link #tokens} covers. */
    private final ArrayDeque<Integer> covered = new ArrayDeque<>();
    private int pinged;
    private boolean draining;
    private boolean closed;

    SendQueue(Scheduler scheduler, Sink sink, LineBudget budget) {
        this.scheduler = scheduler;
        this.sink = sink;
        this.budget = budget;
    }

    void addAll(Collection<String> newLines) {
        addAll(newLines, null, null);
    }

    /**
     * Queues lines; {@code whenWritten} (if not null) is told true once the last of them was written (at once when
     * there are none), or false when the queue is closed before (so that whoever waits on it is never stuck, and
     * knows the lines did not go out). {@code whenAcknowledged} likewise, once the server acknowledged them.
     */
    void addAll(Collection<String> newLines, Consumer<Boolean> whenWritten, Consumer<Boolean> whenAcknowledged) {
        boolean runNow;
        boolean wasClosed;
        synchronized (this) {
            wasClosed = closed;
            runNow = closed || newLines.isEmpty();
            if (!runNow) {
                int i = 0;
                for (String l : newLines) {
                    boolean last = ++i == newLines.size();
                    lines.add(new Line(l, last && whenWritten != null ? whenWritten : NOTHING,
                            last && whenAcknowledged != null ? whenAcknowledged : NOTHING));
                }
            }
        }
        if (runNow) {
            if (whenWritten != null) {
                whenWritten.accept(!wasClosed);
            }
            if (whenAcknowledged != null) {
                whenAcknowledged.accept(!wasClosed);
            }
            return;
        }
        if (claimDrain()) {
            // Written on the caller's thread, as far as the budget allows now (the rest is scheduled, never
            // waited for): a hand-off to the worker pool here was the largest part of the relay gap, one thread
            // wake-up per message between the PONG that lets a room's next item go and that item's lines.
            drain();
        }
    }

    /** Starts draining if lines are waiting and nobody drains yet: call after the sink became ready. */
    void kick() {
        if (claimDrain()) {
            scheduler.execute(this::drain);
        }
    }

    private synchronized boolean claimDrain() {
        if (draining || lines.isEmpty() || closed) {
            return false;
        }
        draining = true;
        return true;
    }

    /** Lines not yet acknowledged: queued, or written and waiting for their PONG. */
    synchronized int size() {
        return lines.size() + unacknowledged.size();
    }

    /** The server answered {@code PING :token}: every line written before that PING has reached it. */
    void acknowledged(String token) {
        List<Line> done = new ArrayList<>();
        synchronized (this) {
            if (!tokens.contains(token)) {
                return;
            }
            while (!tokens.isEmpty()) {
                String t = tokens.poll();
                int n = covered.poll();
                for (int i = 0; i < n; i++) {
                    done.add(unacknowledged.poll());
                }
                pinged -= n;
                if (t.equals(token)) {
                    break;
                }
            }
        }
        done.forEach(l -> l.acknowledged().accept(true));
    }

    /**
     * The connection is gone: lines written on it but not acknowledged may never have reached the server. They go
     * first in the queue again, to be written on the next connection. The server may have read some of them: those
     * are repeated, which is the price of losing none.
     */
    void connectionLost() {
        synchronized (this) {
            List<Line> again = new ArrayList<>(unacknowledged);
            unacknowledged.clear();
            tokens.clear();
            covered.clear();
            pinged = 0;
            for (int i = again.size() - 1; i >= 0; i--) {
                lines.addFirst(again.get(i));
            }
        }
    }

    /** Drops whatever is left; later lines are ignored. */
    void close() {
        List<Line> unanswered;
        List<Line> dropped;
        synchronized (this) {
            closed = true;
            unanswered = new ArrayList<>(unacknowledged);
            dropped = new ArrayList<>(lines);
            lines.clear();
            unacknowledged.clear();
        }
        unanswered.forEach(l -> l.acknowledged().accept(false));
        for (Line l : dropped) {
            l.written().accept(false);
            l.acknowledged().accept(false);
        }
    }

    private void drain() {
        while (true) {
            Line line;
            synchronized (this) {
                if (closed || lines.isEmpty() || !sink.ready()) {
                    draining = false;
                    pingIfDue();
                    return;
                }
                Duration wait = budget.take();
                if (!wait.isZero()) {
                    // No PING per paced line: the run is acknowledged as a whole once the queue is empty.
                    scheduler.schedule(wait, this::drain);
                    return;
                }
                line = lines.peek();
            }
            // Written outside the lock: a slow socket must not block callers adding lines.
            if (!sink.write(line.text())) {
                synchronized (this) {
                    draining = false;
                }
                return;
            }
            synchronized (this) {
                if (closed) {
                    draining = false;
                    return;
                }
                lines.poll();
                unacknowledged.add(line);
            }
            line.written().accept(true);
        }
    }

    /**
     * After a run of written lines, asks the server to acknowledge them (a PING is a few bytes, written under the
     * lock so that no line can slip between the run and its PING); a sink that cannot ping acknowledges them now.
     */
    private void pingIfDue() {
        int fresh = unacknowledged.size() - pinged;
        if (fresh == 0 || closed) {
            return;
        }
        if (!sink.acknowledges()) {
            List<Line> done = new ArrayList<>(unacknowledged);
            unacknowledged.clear();
            pinged = 0;
            scheduler.execute(() -> done.forEach(l -> l.acknowledged().accept(true)));
            return;
        }
        String token = "parley-" + TOKENS.incrementAndGet();
        if (sink.ready() && sink.ping(token)) {
            tokens.add(token);
            covered.add(fresh);
            pinged += fresh;
        }
        // Otherwise the connection is going: connectionLost() puts them back in the queue.
    }
}
