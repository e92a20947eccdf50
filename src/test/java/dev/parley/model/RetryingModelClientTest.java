package dev.parley.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.ModelConfig;
import dev.parley.config.ReplyConfig.StreamCut;
import dev.parley.core.VirtualScheduler;
import dev.parley.model.ModelError.Kind;
import dev.parley.model.ModelTestKit.Recorder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Backoff, Retry-After, stream-cut policy and cancel, in virtual time against a hand-driven fake. */
class RetryingModelClientTest {
    private final VirtualScheduler clock = new VirtualScheduler();
    private final FakeModel fake = new FakeModel();
    private final ModelConfig.Retry retry = new ModelConfig.Retry(4, Duration.ofSeconds(2), Duration.ofSeconds(30));

    private RetryingModelClient client(StreamCut cut, double jitter) {
        return new RetryingModelClient(fake, clock, retry, cut, () -> jitter);
    }

    private static ModelError err(Kind kind) {
        return ModelError.of(kind, kind.name().toLowerCase());
    }

    @Test
    void retryAfterIsHonouredExactly() {
        Recorder r = new Recorder();
        client(StreamCut.RETRY, 0.5).start(ModelTestKit.twoSeatRequest(), r);
        fake.last().listener.onError(new ModelError(Kind.RATE_LIMITED, "rate limited (429)", 429, Duration.ofSeconds(7)));

        assertEquals(List.of(Duration.ofSeconds(7)), r.retryDelays);
        clock.advance(Duration.ofMillis(6999));
        assertEquals(1, fake.calls.size(), "no retry before the server's 7 s");
        clock.advance(Duration.ofMillis(1));
        assertEquals(2, fake.calls.size(), "retried at exactly 7 s virtual");
        fake.last().listener.onDelta("ok");
        fake.last().listener.onReply(ModelReply.of("ok"));
        assertEquals("ok", r.reply.text());
        assertNull(r.error);
    }

    @Test
    void exponentialBackoffWithEqualJitterCappedAtMaxDelay() {
        // jitter 0 gives the lower half: base 2 s -> 1, 2, 4 s ; jitter ~1 gives the full 2, 4, 8 s
        RetryingModelClient low = client(StreamCut.RETRY, 0.0);
        assertEquals(Duration.ofSeconds(1), low.backoff(1));
        assertEquals(Duration.ofSeconds(2), low.backoff(2));
        assertEquals(Duration.ofSeconds(4), low.backoff(3));
        assertEquals(Duration.ofSeconds(15), low.backoff(10), "capped at 30 s, half of it fixed");
        RetryingModelClient high = client(StreamCut.RETRY, 0.999_999);
        assertEquals(Duration.ofSeconds(8).toMillis(), high.backoff(3).toMillis(), 1);
        assertEquals(Duration.ofSeconds(30).toMillis(), high.backoff(40).toMillis(), 1);
    }

    @Test
    void transientFailuresRetryUntilMaxAttemptsThenReportWithTheCount() {
        Recorder r = new Recorder();
        client(StreamCut.RETRY, 0.0).start(ModelTestKit.twoSeatRequest(), r);
        Duration elapsed = Duration.ZERO;
        for (int i = 1; i <= 4; i++) {
            assertEquals(i, fake.calls.size());
            fake.last().listener.onError(err(Kind.TRANSIENT));
            if (i < 4) {
                Duration wait = r.retryDelays.get(i - 1);
                elapsed = elapsed.plus(wait);
                clock.advance(wait);
            }
        }
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)), r.retryDelays);
        assertEquals(Duration.ofSeconds(7), elapsed);
        assertEquals(Kind.TRANSIENT, r.error.kind());
        assertEquals("transient (after 4 tries)", r.error.message());
        assertEquals(1, r.ends);
    }

    @Test
    void permanentIsNeverRetried() {
        Recorder r = new Recorder();
        client(StreamCut.RETRY, 0.0).start(ModelTestKit.twoSeatRequest(), r);
        fake.last().listener.onError(new ModelError(Kind.PERMANENT, "model not found (404)", 404, null));
        clock.advance(Duration.ofMinutes(10));
        assertEquals(1, fake.calls.size());
        assertEquals("model not found (404)", r.error.message());
        assertTrue(r.retries.isEmpty());
    }

    @Test
    void timeoutsAreNeverRetriedSoASilentModelHoldsTheRoomOnlyOnce() {
        Recorder r = new Recorder();
        client(StreamCut.RETRY, 0.0).start(ModelTestKit.twoSeatRequest(), r);
        fake.last().listener.onError(ModelError.of(Kind.TIMEOUT, "did not answer in 120 s"));
        clock.advance(Duration.ofMinutes(5));
        assertEquals(1, fake.calls.size());
        assertEquals("did not answer in 120 s", r.error.message());
        assertTrue(r.retries.isEmpty());

        Recorder cut = new Recorder();
        client(StreamCut.RETRY, 0.0).start(ModelTestKit.twoSeatRequest(), cut);
        fake.last().listener.onDelta("Slow");
        fake.last().listener.onError(ModelError.of(Kind.TIMEOUT, "did not finish its reply in 300 s").withPartialText("Slow"));
        clock.advance(Duration.ofMinutes(5));
        assertEquals(2, fake.calls.size());
        assertEquals(Kind.TIMEOUT, cut.error.kind());
        assertEquals("Slow", cut.error.partialText());
    }

    @Test
    void retryAfterLongerThanMaxDelayIsReportedAtOnce() {
        Recorder r = new Recorder();
        client(StreamCut.RETRY, 0.0).start(ModelTestKit.twoSeatRequest(), r);
        fake.last().listener.onError(new ModelError(Kind.RATE_LIMITED, "rate limited (429)", 429, Duration.ofHours(1)));
        assertEquals(Kind.RATE_LIMITED, r.error.kind());
        assertEquals("rate limited (429); server asks to wait 3600 s", r.error.message());
        assertEquals(Duration.ofHours(1), r.error.retryAfter());
        assertEquals(0, clock.pending());
    }

    @Test
    void streamCutIsRetriedOnceUnderRetryAndTheListenerHearsTheDeltasAreVoid() {
        Recorder r = new Recorder();
        client(StreamCut.RETRY, 0.0).start(ModelTestKit.twoSeatRequest(), r);
        fake.last().listener.onDelta("Half");
        fake.last().listener.onError(ModelError.of(Kind.TRANSIENT, "stream cut mid-reply").withPartialText("Half"));
        assertEquals(1, r.retries.size());
        clock.advance(r.retryDelays.get(0));
        fake.last().listener.onDelta("Half");
        fake.last().listener.onError(ModelError.of(Kind.TRANSIENT, "stream cut mid-reply").withPartialText("Half"));
        clock.advance(Duration.ofMinutes(5));
        assertEquals(2, fake.calls.size(), "a cut is retried once only");
        assertEquals("stream cut mid-reply", r.error.message());
        assertEquals("Half", r.error.partialText());
    }

    @Test
    void streamCutUnderKeepDeliversThePartialReply() {
        Recorder r = new Recorder();
        client(StreamCut.KEEP, 0.0).start(ModelTestKit.twoSeatRequest(), r);
        fake.last().listener.onDelta("Half a thought");
        fake.last().listener.onError(ModelError.of(Kind.RATE_LIMITED, "overloaded mid-reply").withPartialText("Half a thought"));
        assertEquals(new ModelReply("Half a thought", Usage.NONE, "", true), r.reply);
        assertEquals(1, fake.calls.size());
    }

    @Test
    void cancelDuringTheWaitMeansNoRetryAndNoCallback() {
        Recorder r = new Recorder();
        var call = client(StreamCut.RETRY, 0.0).start(ModelTestKit.twoSeatRequest(), r);
        fake.last().listener.onError(err(Kind.TRANSIENT));
        call.cancel();
        clock.advance(Duration.ofMinutes(5));
        assertEquals(1, fake.calls.size());
        assertFalse(r.finished());
    }

    @Test
    void cancelDuringACallCancelsItAndSilencesIt() {
        Recorder r = new Recorder();
        var call = client(StreamCut.RETRY, 0.0).start(ModelTestKit.twoSeatRequest(), r);
        call.cancel();
        assertTrue(fake.last().cancelled);
        fake.last().listener.onDelta("late");
        fake.last().listener.onError(err(Kind.TRANSIENT));
        clock.advance(Duration.ofMinutes(5));
        assertFalse(r.finished());
        assertTrue(r.deltas.isEmpty());
        assertEquals(1, fake.calls.size());
    }

    @Test
    void callbacksFromAnAbandonedAttemptAreIgnored() {
        Recorder r = new Recorder();
        client(StreamCut.RETRY, 0.0).start(ModelTestKit.twoSeatRequest(), r);
        FakeModel.Call first = fake.last();
        first.listener.onError(err(Kind.TRANSIENT));
        clock.advance(Duration.ofSeconds(1));
        first.listener.onReply(ModelReply.of("stale"));
        assertFalse(r.finished());
        fake.last().listener.onReply(ModelReply.of("fresh"));
        assertEquals("fresh", r.reply.text());
    }
}
