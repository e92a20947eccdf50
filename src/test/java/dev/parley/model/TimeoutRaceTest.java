package dev.parley.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.Cancellable;
import dev.parley.core.SystemScheduler;
import dev.parley.model.ModelTestKit.Recorder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A token arriving just as the first-token deadline fires, on real threads: the provider delivers holding its own
 * lock (as SseCall does) and its cancel takes that lock. Every call must end, once, with no deadlock.
 */
class TimeoutRaceTest {
    /** Mimics an HTTP provider's locking: deliver under our lock; cancel takes the same lock. */
    static final class LockingModel implements ModelClient {
        @Override
        public Cancellable start(ModelRequest request, ReplyListener listener) {
            Object lock = new Object();
            Thread t = new Thread(() -> {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(500 + (long) (Math.random() * 1000)));
                synchronized (lock) {
                    listener.onDelta("hi");
                    listener.onReply(ModelReply.of("hi"));
                }
            });
            t.setDaemon(true);
            t.start();
            return () -> {
                synchronized (lock) {
                    t.interrupt();
                }
            };
        }

        @Override
        public String describe() {
            return "locking";
        }
    }

    @Test
    void tokenAtTheDeadlineNeverDeadlocks() throws Exception {
        try (SystemScheduler wall = new SystemScheduler()) {
            TimeoutModelClient client = new TimeoutModelClient(new LockingModel(), wall, Duration.ofMillis(1),
                    Duration.ofSeconds(10));
            int replies = 0;
            int timeouts = 0;
            for (int i = 0; i < 300; i++) {
                Recorder r = new Recorder();
                client.start(ModelTestKit.twoSeatRequest(), r);
                r.await();
                assertTrue(r.ends == 1);
                if (r.reply != null) {
                    replies++;
                } else {
                    timeouts++;
                }
            }
            System.out.printf("TimeoutRaceTest: 300 races, %d replies won, %d timeouts won%n", replies, timeouts);
        }
    }
}
