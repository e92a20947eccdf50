package dev.parley.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.core.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SendQueueTest {
    private final VirtualScheduler scheduler = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<String> written = new ArrayList<>();
    private final List<Long> writtenAtMs = new ArrayList<>();
    private boolean ready = true;
    private boolean failing;

    private final SendQueue.Sink sink = new SendQueue.Sink() {
        @Override
        public boolean ready() {
            return ready;
        }

        @Override
        public boolean write(String line) {
            if (failing) {
                return false;
            }
            written.add(line);
            writtenAtMs.add(Duration.between(Instant.parse("2026-01-01T00:00:00Z"), scheduler.now()).toMillis());
            return true;
        }
    };

    private static List<String> lines(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "L" + i).toList();
    }

    @Test
    void burstThenOneLinePerDelay() {
        SendQueue q = new SendQueue(scheduler, sink, new LineBudget(scheduler, Duration.ofSeconds(1), 3));
        q.addAll(lines(0, 6));
        scheduler.runUntilIdle(Duration.ofMinutes(1));
        assertEquals(lines(0, 6), written);
        assertEquals(List.of(0L, 0L, 0L, 1000L, 2000L, 3000L), writtenAtMs);
    }

    @Test
    void zeroDelaySendsEverythingAtOnce() {
        SendQueue q = new SendQueue(scheduler, sink, new LineBudget(scheduler, Duration.ZERO, 1));
        q.addAll(lines(0, 50));
        scheduler.runDue();
        assertEquals(lines(0, 50), written);
    }

    @Test
    void linesWaitWhileNotReadyAndKeepTheirOrder() {
        ready = false;
        SendQueue q = new SendQueue(scheduler, sink, new LineBudget(scheduler, Duration.ZERO, 1));
        q.addAll(lines(0, 3));
        q.addAll(lines(3, 5));
        scheduler.runUntilIdle(Duration.ofMinutes(1));
        assertEquals(List.of(), written);
        assertEquals(5, q.size());
        ready = true;
        q.kick();
        scheduler.runDue();
        assertEquals(lines(0, 5), written);
    }

    @Test
    void aFailedWriteIsRetriedAfterKickNeitherLostNorDoubled() {
        SendQueue q = new SendQueue(scheduler, sink, new LineBudget(scheduler, Duration.ZERO, 1));
        q.addAll(lines(0, 2));
        scheduler.runDue();
        failing = true;
        q.addAll(lines(2, 5));
        scheduler.runDue();
        assertEquals(lines(0, 2), written);
        failing = false;
        q.addAll(lines(5, 6));
        q.kick();
        scheduler.runDue();
        assertEquals(lines(0, 6), written);
    }

    @Test
    void closedQueueDropsLines() {
        SendQueue q = new SendQueue(scheduler, sink, new LineBudget(scheduler, Duration.ZERO, 1));
        q.close();
        q.addAll(lines(0, 2));
        scheduler.runDue();
        assertEquals(List.of(), written);
    }

    @Test
    void queuesSharingALineBudgetStayWithinIt() {
        LineBudget budget = new LineBudget(scheduler, Duration.ofSeconds(1), 2);
        SendQueue a = new SendQueue(scheduler, sink, budget);
        SendQueue b = new SendQueue(scheduler, sink, budget);
        a.addAll(List.of("a0", "a1", "a2"));
        b.addAll(List.of("b0", "b1", "b2"));
        scheduler.runUntilIdle(Duration.ofMinutes(1));
        assertEquals(6, written.size());
        // Two at once (the burst), then one a second, whichever queue they come from.
        assertEquals(List.of(0L, 0L, 1000L, 2000L, 3000L, 4000L), writtenAtMs);
        assertEquals(List.of("a0", "a1", "a2"), written.stream().filter(l -> l.startsWith("a")).toList());
        assertEquals(List.of("b0", "b1", "b2"), written.stream().filter(l -> l.startsWith("b")).toList());
    }

    @Test
    void whenWrittenRunsAfterTheLastLineOrWhenTheQueueIsClosed() {
        SendQueue q = new SendQueue(scheduler, sink, new LineBudget(scheduler, Duration.ofSeconds(1), 1));
        List<Integer> writtenWhenDone = new ArrayList<>();
        q.addAll(lines(0, 3), w -> writtenWhenDone.add(written.size()));
        q.addAll(List.of(), w -> writtenWhenDone.add(-1));
        scheduler.runUntilIdle(Duration.ofMinutes(1));
        assertEquals(List.of(-1, 3), writtenWhenDone);
        ready = false;
        q.addAll(lines(3, 5), w -> writtenWhenDone.add(-2));
        scheduler.runUntilIdle(Duration.ofMinutes(1));
        assertEquals(List.of(-1, 3), writtenWhenDone);
        q.close();
        assertEquals(List.of(-1, 3, -2), writtenWhenDone);
    }
}
