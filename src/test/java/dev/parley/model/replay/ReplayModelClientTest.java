package dev.parley.model.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.VirtualScheduler;
import dev.parley.model.ModelError;
import dev.parley.model.ModelTestKit;
import dev.parley.model.ModelTestKit.Recorder;
import dev.parley.model.Usage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayModelClientTest {
    private final VirtualScheduler clock = new VirtualScheduler();

    @Test
    void saysTheLinesInOrderWordByWordThenRunsOut() {
        ReplayModelClient replay = new ReplayModelClient(List.of(" ", "Hello there,\nfriend.", "Bye."), clock, 0);
        Recorder first = new Recorder();
        replay.start(ModelTestKit.twoSeatRequest(), first);
        assertFalse(first.finished(), "never answers on the caller's thread");
        clock.runDue();
        assertEquals(" ", first.reply.text(), "a blank line is said as it is");
        assertEquals(Usage.NONE, first.reply.usage());

        Recorder second = new Recorder();
        replay.start(ModelTestKit.twoSeatRequest(), second);
        clock.runDue();
        assertEquals(List.of("Hello ", "there,\n", "friend."), second.deltas);
        assertEquals("Hello there,\nfriend.", second.reply.text());

        Recorder third = new Recorder();
        replay.start(ModelTestKit.twoSeatRequest(), third);
        clock.runDue();
        assertEquals("Bye.", third.reply.text());

        Recorder fourth = new Recorder();
        replay.start(ModelTestKit.twoSeatRequest(), fourth);
        clock.runDue();
        assertEquals(ModelError.Kind.PERMANENT, fourth.error.kind());
        assertEquals("replay script exhausted after 3 lines", fourth.error.message());
    }

    @Test
    void pacedAtTheTypingSpeedInVirtualTime() {
        ReplayModelClient replay = new ReplayModelClient(List.of("abcd efgh"), clock, 10); // 10 chars/s
        Recorder r = new Recorder();
        replay.start(ModelTestKit.twoSeatRequest(), r);
        clock.advance(Duration.ofMillis(499));
        assertTrue(r.deltas.isEmpty());
        clock.advance(Duration.ofMillis(1)); // "abcd " is 5 chars: 0.5 s
        assertEquals(List.of("abcd "), r.deltas);
        clock.advance(Duration.ofMillis(399));
        assertFalse(r.finished());
        clock.advance(Duration.ofMillis(1)); // "efgh" 4 more chars: 0.9 s
        assertEquals("abcd efgh", r.reply.text());
    }

    @Test
    void aCancelledLineIsGivenBackAndNothingIsReported() {
        ReplayModelClient replay = new ReplayModelClient(List.of("one two", "three"), clock, 1);
        Recorder r = new Recorder();
        var call = replay.start(ModelTestKit.twoSeatRequest(), r);
        clock.advance(Duration.ofSeconds(4));
        assertEquals(List.of("one "), r.deltas);
        call.cancel();
        clock.advance(Duration.ofMinutes(1));
        assertFalse(r.finished());
        assertEquals(0, replay.position());

        Recorder again = new Recorder();
        replay.start(ModelTestKit.twoSeatRequest(), again);
        clock.advance(Duration.ofMinutes(1));
        assertEquals("one two", again.reply.text());
    }

    @Test
    void negativeSpeedIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ReplayModelClient(List.of(), clock, -1));
    }

    @Test
    void wordsKeepTheirWhitespace() {
        assertEquals(List.of("  a ", "b\n\n", "c"), ReplayModelClient.words("  a b\n\nc"));
        assertEquals(List.of(), ReplayModelClient.words(""));
    }
}
