package dev.parley.core;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A serial executor on a shared {@link Scheduler}: tasks posted here run one at a time, in order,
 * never concurrently, but on whatever thread the scheduler provides. Each conversation owns one,
 * so its state needs no locks and a slow conversation never blocks another.
 */
public final class EventLoop implements Executor {
    private static final Logger log = LoggerFactory.getLogger(EventLoop.class);

    private final Scheduler scheduler;
    private final Predicate<Throwable> onFailure;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean draining;

    public EventLoop(Scheduler scheduler) {
        this(scheduler, failure -> false);
    }

    /**
     * @param onFailure told (on the loop, after the failed task) when a task threw. The loop itself goes on; the
     *                  owner decides whether its state can still be trusted. It returns true for a failure it
     *                  expected and explains to the user itself (a journal that cannot be written): that one is
     *                  logged with its stack trace at debug level only; anything else is a bug, logged as an error.
     */
    public EventLoop(Scheduler scheduler, Predicate<Throwable> onFailure) {
        this.scheduler = scheduler;
        this.onFailure = onFailure;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** Posts a task to run after those already posted. Safe from any thread. */
    @Override
    public void execute(Runnable task) {
        if (queued(task)) {
            scheduler.execute(this::drain);
        }
    }

    /**
     * Runs {@code task} on this loop after {@code delay}. Cancelling works until the task starts: a timer that
     * already fired has queued the task on the loop, and the flag keeps it from running there.
     */
    public Cancellable schedule(Duration delay, Runnable task) {
        AtomicBoolean cancelled = new AtomicBoolean();
        Runnable unlessCancelled = () -> {
            if (!cancelled.get()) {
                task.run();
            }
        };
        if (delay.isZero() || delay.isNegative()) {
            execute(unlessCancelled); // no timer needed: straight onto the loop's queue
            return () -> cancelled.set(true);
        }
        // The scheduler runs a timer's task on a worker of its own: the loop drains right there, rather than
        // waking a second worker to do it (a hop on every paced turn).
        Cancellable timer = scheduler.schedule(delay, () -> executeHere(unlessCancelled));
        return () -> {
            cancelled.set(true);
            timer.cancel();
        };
    }

    /** Like {@link #execute}, but drains on the calling thread when nothing drains yet. */
    private void executeHere(Runnable task) {
        if (queued(task)) {
            drain();
        }
    }

    /** Queues {@code task}; true when nothing drains the loop yet, so the caller must see that something does. */
    private boolean queued(Runnable task) {
        synchronized (queue) {
            queue.add(task);
            if (draining) {
                return false;
            }
            draining = true;
            return true;
        }
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (queue) {
                next = queue.poll();
                if (next == null) {
                    draining = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                failed(e);
            }
        }
    }

    private void failed(Throwable e) {
        boolean expected;
        try {
            expected = onFailure.test(e);
        } catch (RuntimeException | Error again) {
            log.error("event loop task failed", e);
            log.error("handling a failed task failed too", again);
            return;
        }
        if (expected) {
            log.debug("event loop task failed", e);
        } else {
            log.error("event loop task failed", e);
        }
    }
}
