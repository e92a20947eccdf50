package dev.parley.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Identities with their own paced queues, writing to one channel, kept in call order by the sequencer. */
class RoomSequencerTest {
    private final VirtualScheduler scheduler = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<String> channel = new ArrayList<>();
    private final RoomSequencer sequencer = new RoomSequencer(scheduler, Duration.ofSeconds(30));

    /** One identity: its own queue and line budget (burst 4, one line a second, the defaults). */
    private final class Identity implements RoomSequencer.Outlet {
        final String nick;
        boolean joined = true;
        boolean connected = true;
        final SendQueue queue;

        Identity(String nick) {
            this.nick = nick;
            this.queue = new SendQueue(scheduler, new SendQueue.Sink() {
                @Override
                public boolean ready() {
                    return joined;
                }

                @Override
                public boolean write(String line) {
                    if (!connected) {
                        return false;
                    }
                    channel.add(nick + ": " + line);
                    return true;
                }
            }, new LineBudget(scheduler, Duration.ofSeconds(1), 4));
        }

        @Override
        public boolean joined() {
            return joined;
        }

        @Override
        public void send(List<String> lines, Consumer<Boolean> whenWritten, Consumer<Boolean> whenAcknowledged) {
            queue.addAll(lines, whenWritten, whenAcknowledged);
        }
    }

    private static List<String> lines(String who, int n) {
        return IntStream.range(0, n).mapToObj(i -> who + " " + i).toList();
    }

    private static List<String> said(String nick, List<String> lines) {
        return lines.stream().map(l -> nick + ": " + l).toList();
    }

    @Test
    void twoLongRepliesAndANoticeGoOutWholeAndInCallOrder() {
        Identity kimi = new Identity("KimiK2");
        Identity claude = new Identity("Claude");
        Identity control = new Identity("parley");
        sequencer.submit(kimi, lines("kimi", 10));
        sequencer.submit(claude, lines("claude", 10));
        sequencer.submit(control, List.of("Conversation ended"));
        CompletableFuture<Void> idle = sequencer.idle();
        scheduler.runUntilIdle(Duration.ofMinutes(1));
        List<String> expected = new ArrayList<>(said("KimiK2", lines("kimi", 10)));
        expected.addAll(said("Claude", lines("claude", 10)));
        expected.add("parley: Conversation ended");
        assertEquals(expected, channel);
        assertTrue(idle.isDone());
    }

    @Test
    void anIdentityOutOfTheChannelHoldsUpTheOthersOnlyForAWhileAndKeepsItsLines() {
        Identity kimi = new Identity("KimiK2");
        Identity control = new Identity("parley");
        kimi.joined = false;
        sequencer.submit(kimi, List.of("said while away"));
        sequencer.submit(control, List.of("notice"));
        scheduler.advance(Duration.ofSeconds(29));
        assertEquals(List.of(), channel, "waiting for Kimi to join");
        scheduler.runUntilIdle(Duration.ofMinutes(1));
        assertEquals(List.of("parley: notice"), channel);
        kimi.joined = true;
        kimi.queue.kick();
        scheduler.runUntilIdle(Duration.ofMinutes(1));
        assertEquals(List.of("parley: notice", "KimiK2: said while away"), channel);
    }

    @Test
    void anIdentityThatDropsMidReplyIsWaitedForOnlyAWhile() {
        Identity kimi = new Identity("KimiK2");
        Identity control = new Identity("parley");
        sequencer.submit(kimi, lines("kimi", 6));
        scheduler.runDue();
        assertEquals(4, channel.size(), "the burst went out");
        kimi.connected = false;
        kimi.joined = false;
        sequencer.submit(control, List.of("notice"));
        scheduler.runUntilIdle(Duration.ofMinutes(1));
        assertFalse(channel.contains("parley: notice"), "still waiting: nobody said the seat left");
        sequencer.absent(kimi);
        scheduler.runUntilIdle(Duration.ofMinutes(1));
        assertEquals("parley: notice", channel.get(channel.size() - 1));
    }

    @Test
    void flushHandsEverythingOverAndAClosedQueueReleasesItsWaiters() {
        Identity kimi = new Identity("KimiK2");
        Identity control = new Identity("parley");
        sequencer.submit(kimi, lines("kimi", 10));
        sequencer.submit(control, List.of("bye"));
        CompletableFuture<Void> idle = sequencer.idle();
        sequencer.flush();
        kimi.queue.close();
        assertTrue(idle.isDone());
        scheduler.runUntilIdle(Duration.ofMinutes(1));
        assertTrue(channel.contains("parley: bye"));
    }

    @Test
    void aBacklogKeepsItsOrderWhileTheIdentitiesJoinOneByOne() {
        Identity kimi = new Identity("KimiK2");
        Identity claude = new Identity("Claude");
        Identity control = new Identity("parley");
        kimi.joined = false;
        claude.joined = false;
        control.joined = false;
        sequencer.submit(control, List.of("Paused while Claude is away"));
        sequencer.submit(kimi, List.of("Kimi's reply"));
        sequencer.submit(claude, List.of("Claude's reply"));
        for (Identity who : List.of(claude, control, kimi)) { // the order they happen to join in
            scheduler.advance(Duration.ofSeconds(1));
            who.joined = true;
            sequencer.joined(who);
            who.queue.kick();
        }
        scheduler.runUntilIdle(Duration.ofMinutes(1));

        assertEquals(List.of("parley: Paused while Claude is away", "KimiK2: Kimi's reply", "Claude: Claude's reply"),
                channel);
    }
}
