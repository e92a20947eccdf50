package dev.parley.conversation;

import dev.parley.core.Cancellable;
import dev.parley.model.ModelReply;
import java.time.Duration;
import java.util.List;

/**
 * The turn in progress, one at a time: the timer before it, the model call and what it has streamed so far, the
 * reply waiting for its typing time (or for {@code !resume}), and the once-per-turn retries already spent.
 * {@link Turns} drives it; this class only keeps it consistent (a call replaced or dropped is never acted on).
 */
final class TurnInProgress {
    /**
     * A reply ready to post, waiting for its typing time or for {@code !resume}. {@code unshown} is what the
     * rooms have not seen yet: all of it, unless paragraphs were posted while it streamed ({@code partlyShown}).
     */
    record Pending(Seat seat, String text, String unshown, boolean partlyShown, ModelReply reply,
                   Duration latency) { }

    Cancellable turnTimer;
    Cancellable postTimer;
    private Cancellable modelCall;
    /** The seat whose model is generating; null when no call is in flight. */
    Seat generating;
    Pending pending;
    private int callEpoch;
    boolean emptyRetried;
    /** The seat was asked once more after the gate withheld its reply: another hit skips its turn. */
    boolean gateRetried;
    /** The reply started speaking for someone else: nothing more is shown, its end is awaited for its usage. */
    boolean impersonating;
    ParagraphStream paragraphs = new ParagraphStream();
    final StringBuilder streamed = new StringBuilder();

    boolean busy() {
        return turnTimer != null || generating != null || pending != null;
    }

    /** A new model call for {@code seat} begins: returns its number; callbacks of earlier calls are ignored. */
    int beginCall(Seat seat) {
        generating = seat;
        paragraphs = new ParagraphStream();
        streamed.setLength(0);
        impersonating = false;
        return ++callEpoch;
    }

    void calling(Cancellable call) {
        modelCall = call;
    }

    /** Whether {@code epoch} is still the call in progress (not cancelled or replaced meanwhile). */
    boolean isCurrent(int epoch) {
        return epoch == callEpoch;
    }

    int epoch() {
        return callEpoch;
    }

    /** Ends the model call in progress: no callback of it will be acted on any more. */
    void dropModelCall() {
        callEpoch++;
        if (modelCall != null) {
            modelCall.cancel();
        }
    }

    /** The call has ended (answered, failed or withheld): no seat is generating any more. */
    void callEnded() {
        generating = null;
        modelCall = null;
    }

    /** Nothing more of this turn happens: no model call, no timer. */
    void halt() {
        dropModelCall();
        cancelTimers();
        modelCall = null;
    }

    void cancelTimers() {
        for (Cancellable timer : new Cancellable[] {turnTimer, postTimer}) {
            if (timer != null) {
                timer.cancel();
            }
        }
        turnTimer = postTimer = null;
    }

    /** What the rooms have seen of the reply streaming from {@code seat}, cleaned as its whole reply would be. */
    String shownSoFar(Seat seat, List<String> others) {
        return paragraphs.shown(ReplyGuard.clean(streamed.toString(), seat.name(), others));
    }

    /** Forgets what was streamed: the next reply starts with nothing shown. */
    void clearStream() {
        paragraphs = new ParagraphStream();
        streamed.setLength(0);
    }
}
