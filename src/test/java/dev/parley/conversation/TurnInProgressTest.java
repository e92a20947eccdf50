package dev.parley.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testsupport.ScriptedModel;
import dev.parley.testsupport.TestConfigs;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The turn in progress keeps itself consistent: a dropped or replaced call is never acted on again. */
class TurnInProgressTest {
    private final Seat ada = new Seat(TestConfigs.seat("ada", "Ada"), ScriptedModel.saying("hi"));

    @Test
    void aNewCallMakesTheOldOneStale() {
        TurnInProgress t = new TurnInProgress();
        int first = t.beginCall(ada);
        assertThat(t.isCurrent(first)).isTrue();
        int second = t.beginCall(ada);
        assertThat(t.isCurrent(first)).isFalse();
        assertThat(t.isCurrent(second)).isTrue();
    }

    @Test
    void droppingACallCancelsItAndItsCallbacksAreStale() {
        TurnInProgress t = new TurnInProgress();
        AtomicInteger cancelled = new AtomicInteger();
        int epoch = t.beginCall(ada);
        t.calling(cancelled::incrementAndGet);
        t.dropModelCall();
        assertThat(cancelled).hasValue(1);
        assertThat(t.isCurrent(epoch)).isFalse();
        assertThat(t.generating).as("still generating until the caller ends the call").isSameAs(ada);
        t.callEnded();
        assertThat(t.busy()).isFalse();
    }

    @Test
    void aNewCallStartsWithNothingStreamed() {
        TurnInProgress t = new TurnInProgress();
        t.beginCall(ada);
        t.streamed.append("Hello there.\n\nAnd more");
        t.impersonating = true;
        t.beginCall(ada);
        assertThat(t.streamed).isEmpty();
        assertThat(t.impersonating).isFalse();
        assertThat(t.shownSoFar(ada, List.of("Basil"))).isEmpty();
    }

    @Test
    void haltCancelsTimersAndTheCall() {
        TurnInProgress t = new TurnInProgress();
        AtomicInteger cancelled = new AtomicInteger();
        t.turnTimer = cancelled::incrementAndGet;
        t.postTimer = cancelled::incrementAndGet;
        int epoch = t.beginCall(ada);
        t.calling(cancelled::incrementAndGet);
        t.halt();
        assertThat(cancelled).hasValue(3);
        assertThat(t.turnTimer).isNull();
        assertThat(t.postTimer).isNull();
        assertThat(t.isCurrent(epoch)).isFalse();
    }
}
