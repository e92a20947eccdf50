package dev.parley.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.VirtualScheduler;
import dev.parley.model.ModelTestKit.Recorder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** First-token and whole-reply timeouts, in virtual time. */
class TimeoutModelClientTest {
    private final VirtualScheduler clock = new VirtualScheduler();
    private final FakeModel fake = new FakeModel();
    private final TimeoutModelClient client =
            new TimeoutModelClient(fake, clock, Duration.ofSeconds(120), Duration.ofSeconds(300));

    @Test
    void silentModelTimesOutAtTheFirstTokenDeadlineAndIsCancelled() {
        Recorder r = new Recorder();
        client.start(ModelTestKit.twoSeatRequest(), r);
        clock.advance(Duration.ofSeconds(119));
        assertFalse(r.finished());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(ModelError.Kind.TIMEOUT, r.error.kind());
        assertEquals("did not answer in 120 s", r.error.message());
        assertFalse(r.error.hasPartialText());
        assertTrue(fake.last().cancelled);
        fake.last().listener.onReply(ModelReply.of("too late"));
        assertEquals(1, r.ends);
        assertNull(r.reply);
    }

    @Test
    void firstTokenStopsTheFirstTimerButTheReplyTimerStillRuns() {
        Recorder r = new Recorder();
        client.start(ModelTestKit.twoSeatRequest(), r);
        clock.advance(Duration.ofSeconds(100));
        fake.last().listener.onDelta("Slowly");
        clock.advance(Duration.ofSeconds(150));
        assertFalse(r.finished(), "a model that is talking is not timed out at 120 s");
        clock.advance(Duration.ofSeconds(50));
        assertEquals(ModelError.Kind.TIMEOUT, r.error.kind());
        assertEquals("did not finish its reply in 300 s", r.error.message());
        assertEquals("Slowly", r.error.partialText());
        assertTrue(fake.last().cancelled);
    }

    @Test
    void replyInTimeCancelsTheTimers() {
        Recorder r = new Recorder();
        client.start(ModelTestKit.twoSeatRequest(), r);
        fake.last().listener.onDelta("Hi");
        fake.last().listener.onReply(ModelReply.of("Hi"));
        assertEquals(0, clock.pending());
        clock.advance(Duration.ofSeconds(600));
        assertEquals("Hi", r.reply.text());
        assertEquals(1, r.ends);
    }

    @Test
    void cancelStopsTimersAndInnerCallAndSilencesLateCallbacks() {
        Recorder r = new Recorder();
        var call = client.start(ModelTestKit.twoSeatRequest(), r);
        call.cancel();
        assertTrue(fake.last().cancelled);
        assertEquals(0, clock.pending());
        fake.last().listener.onDelta("x");
        fake.last().listener.onReply(ModelReply.of("x"));
        assertFalse(r.finished());
        assertTrue(r.deltas.isEmpty());
    }

    @Test
    void zeroDisablesATimeout() {
        TimeoutModelClient none = new TimeoutModelClient(fake, clock, Duration.ZERO, Duration.ZERO);
        Recorder r = new Recorder();
        none.start(ModelTestKit.twoSeatRequest(), r);
        assertEquals(0, clock.pending());
    }

    @Test
    void fractionalSecondsReadWell() {
        assertEquals("2.5 s", TimeoutModelClient.seconds(Duration.ofMillis(2500)));
        assertEquals("120 s", TimeoutModelClient.seconds(Duration.ofMinutes(2)));
    }
}
