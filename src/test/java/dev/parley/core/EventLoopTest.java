package dev.parley.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventLoopTest {
    /** A scheduler whose tasks run only when the test says so, in the order they were handed over. */
    private static final class StepScheduler implements Scheduler {
        final Deque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public Instant now() {
            return Instant.EPOCH;
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            tasks.add(task);
            return () -> tasks.remove(task);
        }

        void step() {
            tasks.poll().run();
        }
    }

    @Test
    void tasksRunOneAtATimeInTheOrderPosted() {
        VirtualScheduler clock = new VirtualScheduler();
        EventLoop loop = new EventLoop(clock);
        List<String> ran = new ArrayList<>();
        loop.execute(() -> {
            ran.add("a");
            loop.execute(() -> ran.add("c"));
            ran.add("b");
        });
        loop.execute(() -> ran.add("d"));
        clock.runDue();
        assertThat(ran).containsExactly("a", "b", "d", "c");
    }

    @Test
    void aTimerCancelledAfterItFiredButBeforeItsTaskRanDoesNotRun() {
        StepScheduler scheduler = new StepScheduler();
        EventLoop loop = new EventLoop(scheduler);
        List<String> ran = new ArrayList<>();
        Cancellable[] timer = new Cancellable[1];
        loop.execute(() -> {
            scheduler.step(); // the timer fires while the loop is busy: its task is queued behind this one
            timer[0].cancel();
            ran.add("busy");
        });
        timer[0] = loop.schedule(Duration.ofSeconds(1), () -> ran.add("timer"));
        while (!scheduler.tasks.isEmpty()) {
            scheduler.step();
        }
        assertThat(ran).containsExactly("busy");
    }

    @Test
    void aTimerThatFiresWhileTheLoopIsIdleRunsItsTaskOnTheTimersOwnThread() {
        StepScheduler scheduler = new StepScheduler();
        EventLoop loop = new EventLoop(scheduler);
        List<String> ran = new ArrayList<>();
        loop.schedule(Duration.ofSeconds(1), () -> ran.add("timer"));
        scheduler.step();
        assertThat(ran).as("no second hand-off to drain the loop").containsExactly("timer");
        assertThat(scheduler.tasks).isEmpty();
    }

    @Test
    void aTaskThatThrowsDoesNotStopTheLoop() {
        VirtualScheduler clock = new VirtualScheduler();
        EventLoop loop = new EventLoop(clock);
        List<String> ran = new ArrayList<>();
        loop.execute(() -> {
            throw new IllegalStateException("boom (expected by the test)");
        });
        loop.execute(() -> ran.add("after"));
        clock.runDue();
        assertThat(ran).containsExactly("after");
    }
}
