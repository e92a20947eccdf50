package dev.parley.irc;

import static org.assertj.core.api.Assertions.assertThat;
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
    void whatTheBudgetAllowsIsWrittenOnTheCallersThreadAndTheRestIsScheduled() {
        SendQueue q = new SendQueue(scheduler, sink, new LineBudget(scheduler, Duration.ofSeconds(1), 2));
        q.addAll(lines(0, 4));
        // No scheduler step yet: no hand-off to a worker for the lines the budget allows now (the relay's latency).
        assertEquals(lines(0, 2), written);
        scheduler.runUntilIdle(Duration.ofMinutes(1));
        assertEquals(lines(0, 4), written);
        assertEquals(List.of(0L, 0L, 1000L, 2000L), writtenAtMs);
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
        q.addAll(lines(0, 3), w -> writtenWhenDone.add(written.size()), null);
        q.addAll(List.of(), w -> writtenWhenDone.add(-1), null);
        scheduler.runUntilIdle(Duration.ofMinutes(1));
        assertEquals(List.of(-1, 3), writtenWhenDone);
        ready = false;
        q.addAll(lines(3, 5), w -> writtenWhenDone.add(-2), null);
        scheduler.runUntilIdle(Duration.ofMinutes(1));
        assertEquals(List.of(-1, 3), writtenWhenDone);
        q.close();
        assertEquals(List.of(-1, 3, -2), writtenWhenDone);
    }

    /** A connection whose server answers PINGs only when told: what it "received" is what was written. */
    private final List<String> pings = new ArrayList<>();
    private final SendQueue.Sink acknowledging = new SendQueue.Sink() {
        @Override
        public boolean ready() {
            return ready;
        }

        @Override
        public boolean write(String line) {
            return sink.write(line);
        }

        @Override
        public boolean acknowledges() {
            return true;
        }

        @Override
        public boolean ping(String token) {
            pings.add(token);
            return !failing;
        }
    };

    @Test
    void linesCountAsDeliveredOnlyOnceTheServerAnsweredThePingAfterThem() {
        SendQueue q = new SendQueue(scheduler, acknowledging, new LineBudget(scheduler, Duration.ZERO, 1));
        List<Boolean> acknowledged = new ArrayList<>();
        q.addAll(lines(0, 3), null, acknowledged::add);
        scheduler.runUntilIdle(Duration.ofMinutes(1));

        assertThat(written).isEqualTo(lines(0, 3));
        assertThat(pings).hasSize(1);
        assertThat(acknowledged).isEmpty();
        assertThat(q.size()).as("still waiting for the server").isEqualTo(3);
        q.acknowledged("someone else's token");
        assertThat(acknowledged).isEmpty();

        q.acknowledged(pings.get(0));
        assertThat(acknowledged).containsExactly(true);
        assertThat(q.size()).isZero();
    }

    @Test
    void linesWrittenIntoAConnectionThatDiedUnansweredAreWrittenAgainFirstOnTheNext() {
        SendQueue q = new SendQueue(scheduler, acknowledging, new LineBudget(scheduler, Duration.ZERO, 1));
        List<String> acknowledged = new ArrayList<>();
        q.addAll(List.of("first"), null, a -> acknowledged.add("first " + a));
        scheduler.runUntilIdle(Duration.ofMinutes(1));
        q.acknowledged(pings.get(0));
        q.addAll(List.of("second"), null, a -> acknowledged.add("second " + a));
        scheduler.runUntilIdle(Duration.ofMinutes(1));
        // The server died before answering the PING after "second"; "third" waits for the new connection.
        ready = false;
        q.connectionLost();
        q.addAll(List.of("third"), null, a -> acknowledged.add("third " + a));
        scheduler.runUntilIdle(Duration.ofMinutes(1));
        ready = true;
        q.kick();
        scheduler.runUntilIdle(Duration.ofMinutes(1));

        assertThat(written).containsExactly("first", "second", "second", "third");
        q.acknowledged(pings.get(pings.size() - 1));
        assertThat(acknowledged).containsExactly("first true", "second true", "third true");
    }

    @Test
    void closedBeforeTheAnswerTheLinesAreNotDelivered() {
        SendQueue q = new SendQueue(scheduler, acknowledging, new LineBudget(scheduler, Duration.ZERO, 1));
        List<Boolean> acknowledged = new ArrayList<>();
        q.addAll(List.of("bye"), null, acknowledged::add);
        scheduler.runUntilIdle(Duration.ofMinutes(1));
        q.close();
        assertThat(acknowledged).containsExactly(false);
    }
}
