package dev.parley.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wall-clock scheduler shared by all conversations: a small timer thread only fires timers, the work
 * itself runs on a worker pool so that one slow task never delays another conversation's timers.
 */
public final class SystemScheduler implements Scheduler, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SystemScheduler.class);

    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final ExecutorService workers;

    public SystemScheduler() {
        this(Clock.systemUTC(), defaultWorkers());
    }

    /**
     * Workers for this machine: four per core, at least 16. Workers do not only compute: a worker may wait out a
     * disk force (a journal without group commit forces on its conversation's loop; with it, the appender that
     * finds nothing else under way commits the group itself), and writes to a room's socket. With one worker per
     * core and a force per line, 1,000 journalling conversations ran at 4,600 turns/s with a p99 of 120 ms; with 8
     * or 16, at 6,300–6,500 turns/s and 16–33 ms (docs/benchmark.md).
     */
    public static int defaultWorkers() {
        return Math.max(16, 4 * Runtime.getRuntime().availableProcessors());
    }

    public SystemScheduler(Clock clock, int workerThreads) {
        this.clock = clock;
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, daemonThreads("parley-timer"));
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
        this.workers = Executors.newFixedThreadPool(workerThreads, daemonThreads("parley-worker"));
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                log.error("scheduled task failed", e);
            }
        };
        if (delay.isZero() || delay.isNegative()) {
            var f = workers.submit(guarded);
            return () -> f.cancel(false);
        }
        var f = timer.schedule(() -> workers.execute(guarded), delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
