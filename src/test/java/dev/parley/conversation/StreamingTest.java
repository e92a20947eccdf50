package dev.parley.conversation;

import static dev.parley.testsupport.TestConfigs.conversation;
import static dev.parley.testsupport.TestConfigs.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.parley.archive.JournalEvent;
import dev.parley.archive.MemoryJournal;
import dev.parley.config.ConversationConfig;
import dev.parley.config.ReplyConfig;
import dev.parley.model.ModelError;
import dev.parley.model.ModelReply;
import dev.parley.model.Usage;
import dev.parley.testsupport.ScriptedModel;
import dev.parley.testsupport.TestConfigs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** replies.stream-paragraphs: paragraphs are shown as they complete; the journal still has one message. */
class StreamingTest {
    private static ConversationConfig streaming(int turns) {
        return with(conversation("Ada", "Basil"), b -> b.stop(TestConfigs.stop(turns)).replies(new ReplyConfig(
                ReplyConfig.OnFailure.SKIP, ReplyConfig.EmptyReply.RETRY_THEN_SKIP, ReplyConfig.StreamCut.RETRY,
                true)));
    }

    @Test
    void completedParagraphsArePostedAtOnceAndTheJournalRecordsOneMessage() {
        ScriptedModel ada = new ScriptedModel().thenHold();
        Table t = new Table(streaming(1), ada, ScriptedModel.saying("unused")).start();
        ada.stream("First paragraph.\n\nSecond");
        t.clock.runDue();
        assertThat(t.room.posts()).containsExactly("First paragraph.");
        ada.stream(" paragraph.\n\nThird, still");
        t.clock.runDue();
        assertThat(t.room.posts()).containsExactly("First paragraph.", "Second paragraph.");
        ada.complete("First paragraph.\n\nSecond paragraph.\n\nThird, still typing.");
        t.runToEnd();
        assertThat(t.room.posts()).containsExactly("First paragraph.", "Second paragraph.", "Third, still typing.");
        assertThat(t.said()).extracting(JournalEvent.Said::text)
                .containsExactly("First paragraph.\n\nSecond paragraph.\n\nThird, still typing.");
        assertThat(t.journal.events()).filteredOn(JournalEvent.Draft.class::isInstance).hasSize(2);
    }

    @Test
    void aModelThatStartsSpeakingForAnotherIsCutWhileStreamingAndItsUsageIsStillCounted() {
        ScriptedModel ada = new ScriptedModel().thenHold();
        Table t = new Table(streaming(1), ada, ScriptedModel.saying("unused")).start();
        ada.stream("I think so.\n\nBasil: And I agree with");
        t.clock.runDue();
        ada.stream(" you.\n\nAda: Good.\n\n");
        t.clock.runDue();
        assertThat(t.room.posts()).noneMatch(p -> p.contains("agree") || p.contains("Good"));
        ada.complete(new ModelReply("I think so.\n\nBasil: And I agree with you.\n\nAda: Good.\n\n",
                new Usage(1000, 100, 0), "stop", false));
        t.runToEnd();
        assertThat(ada.cancelled()).isZero();
        assertThat(t.room.posts()).containsExactly("I think so.");
        assertThat(t.said()).extracting(JournalEvent.Said::text, JournalEvent.Said::inputTokens,
                JournalEvent.Said::outputTokens).containsExactly(tuple("I think so.", 1000L, 100L));
    }

    @Test
    void aReplyCutForImpersonationThatThenTimesOutIsStillPostedWithItsUsage() {
        ScriptedModel ada = new ScriptedModel().thenHold();
        Table t = new Table(streaming(1), ada, ScriptedModel.saying("unused")).start();
        ada.stream("I think so.\nBasil: And I agree");
        t.clock.runDue();
        ada.fail(ModelError.of(ModelError.Kind.TIMEOUT, "did not finish its reply in 120 s")
                .withPartialText("I think so.\nBasil: And I agree").withUsage(new Usage(900, 9, 0)));
        t.runToEnd();
        assertThat(t.said()).extracting(JournalEvent.Said::text, JournalEvent.Said::inputTokens,
                JournalEvent.Said::outputTokens).containsExactly(tuple("I think so.", 900L, 9L));
    }

    @Test
    void whilePausedNothingMoreIsShownAndResumeShowsTheRest() {
        ScriptedModel ada = new ScriptedModel().thenHold();
        Table t = new Table(streaming(1), ada, ScriptedModel.saying("unused")).start();
        ada.stream("One.\n\n");
        t.clock.runDue();
        t.say("kate", "!pause", true);
        ada.stream("Two.\n\nThree.");
        ada.complete("One.\n\nTwo.\n\nThree.");
        t.run(Duration.ofMinutes(1));
        assertThat(t.room.posts()).containsExactly("One.");
        t.say("kate", "!resume", true);
        t.runToEnd();
        assertThat(t.room.posts()).containsExactly("One.", "Two.\n\nThree.");
        assertThat(t.said()).extracting(JournalEvent.Said::text).containsExactly("One.\n\nTwo.\n\nThree.");
    }

    @Test
    void aRetryAfterNothingWasShownStartsTheReplyOver() {
        ScriptedModel ada = new ScriptedModel().thenHold();
        Table t = new Table(streaming(1), ada, ScriptedModel.saying("unused")).start();
        ada.stream("Half a thou");
        ada.retry();
        ada.stream("A whole thought.\n\nAnd another.");
        ada.complete("A whole thought.\n\nAnd another.");
        t.runToEnd();
        assertThat(t.room.posts()).containsExactly("A whole thought.", "And another.");
    }

    @Test
    void aRetryAfterParagraphsWereShownKeepsThemAsTheTurn() {
        ScriptedModel ada = new ScriptedModel().thenHold();
        Table t = new Table(streaming(1), ada, ScriptedModel.saying("unused")).start();
        ada.stream("Shown already.\n\nThen the stream was c");
        t.clock.runDue();
        ada.retry();
        t.runToEnd();
        assertThat(ada.cancelled()).isEqualTo(1);
        assertThat(t.room.posts()).containsExactly("Shown already.");
        assertThat(t.said()).extracting(JournalEvent.Said::text).containsExactly("Shown already.");
    }

    @Test
    void aStopMidStreamKeepsWhatWasShown() {
        ScriptedModel ada = new ScriptedModel().thenHold();
        Table t = new Table(streaming(5), ada, ScriptedModel.saying("unused")).start();
        ada.stream("Shown.\n\nNot shown");
        t.clock.runDue();
        t.say("kate", "!stop", true);
        assertThat(t.said()).extracting(JournalEvent.Said::text).containsExactly("Shown.");
    }

    @Test
    void aStopDuringTheTypingTimeOfAPartlyShownReplyKeepsTheShownPart() {
        ScriptedModel ada = new ScriptedModel().thenHold();
        ConversationConfig typing = with(streaming(5), b -> b.pacing(new dev.parley.config.PacingConfig(
                Duration.ZERO, Duration.ZERO, 1, Duration.ofMinutes(5), true)));
        Table t = new Table(typing, ada, ScriptedModel.saying("unused")).start();
        ada.stream("Seen by all.\n\n");
        ada.complete("Seen by all.\n\nStill being typed out.");
        t.run(Duration.ofSeconds(2));
        assertThat(t.room.posts()).containsExactly("Seen by all.");
        t.say("kate", "!stop", true);
        assertThat(t.said()).extracting(JournalEvent.Said::text).containsExactly("Seen by all.");
    }

    @Test
    void aCrashMidStreamIsRecoveredFromTheDrafts() {
        MemoryJournal journal = new MemoryJournal();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        journal.append(new JournalEvent.Start(1, t0, "test", List.of(
                new JournalEvent.SeatInfo("ada", "Ada", "replay", "test"),
                new JournalEvent.SeatInfo("basil", "Basil", "replay", "test")), List.of("memory")));
        journal.append(new JournalEvent.Draft(2, t0, "ada", "Posted before the crash."));
        ScriptedModel basil = ScriptedModel.saying("Basil answers.");
        Table t = new Table(streaming(2), journal, ScriptedModel.saying("unused"), basil).start().runToEnd();
        assertThat(t.said()).extracting(s -> s.speaker() + ": " + s.text() + " #" + s.turn())
                .containsExactly("Ada: Posted before the crash. #1", "Basil: Basil answers. #2");
        assertThat(basil.requests().get(0).turns().get(0).text()).isEqualTo("Ada: Posted before the crash.");
    }
}
