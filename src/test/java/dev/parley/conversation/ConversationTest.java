package dev.parley.conversation;

import static dev.parley.testsupport.TestConfigs.conversation;
import static dev.parley.testsupport.TestConfigs.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.archive.JournalEvent;
import dev.parley.archive.MemoryJournal;
import dev.parley.config.ConversationConfig.TurnPolicyKind;
import dev.parley.config.HealthConfig;
import dev.parley.config.PacingConfig;
import dev.parley.config.ReplyConfig;
import dev.parley.config.StopConfig;
import dev.parley.model.ModelError;
import dev.parley.model.ModelReply;
import dev.parley.model.Usage;
import dev.parley.testsupport.ScriptedModel;
import dev.parley.testsupport.TestConfigs;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConversationTest {
    private static final String[] TOPICS = {"tide pools", "barnacle glue", "kelp forests", "hermit crabs",
        "storm surges", "lighthouse lenses", "sea glass", "whale songs", "coral spawning", "driftwood"};

    /** A model that says something new every turn ("a line 3 about hermit crabs"), so the health monitor stays quiet. */
    private static ScriptedModel counting(String name) {
        int[] n = {0};
        return new ScriptedModel().otherwise(r -> line(name, ++n[0]));
    }

    private static String line(String name, int n) {
        return name + " line " + n + " about " + TOPICS[(n * 3 + name.length()) % TOPICS.length];
    }

    @Test
    void roundRobinAlternatesAndStopsAtTheTurnLimitWithItsReason() {
        Table t = new Table(with(conversation("Ada", "Basil"), b -> b.stop(new StopConfig(4, Duration.ZERO, "^C^C",
                4, 3, 0, Optional.empty()))), counting("a"), counting("b")).start().runToEnd();

        assertThat(t.saidBy()).containsExactly("Ada: " + line("a", 1), "Basil: " + line("b", 1),
                "Ada: " + line("a", 2), "Basil: " + line("b", 2));
        assertThat(t.stopEvent().reason()).isEqualTo("reached the limit of 4 turns");
        assertThat(t.room.notices()).contains("Conversation ended: reached the limit of 4 turns.");
        assertThat(t.room.posts()).hasSize(4);
        assertThat(t.transcripts).hasSize(1);
    }

    @Test
    void pauseHoldsAReplyBeingGeneratedAndResumePostsItOnce() {
        ScriptedModel ada = new ScriptedModel().thenHold().then("after");
        Table t = new Table(conversation("Ada", "Basil"), ada, ScriptedModel.saying("basil speaks")).start();
        assertThat(ada.holding()).isTrue();

        t.say("kate", "!pause", true);
        ada.complete("held reply");
        t.run(Duration.ofMinutes(5));
        assertThat(t.room.posts()).isEmpty();
        assertThat(t.journal.events()).anyMatch(JournalEvent.Pause.class::isInstance);

        t.say("kate", "!resume", true);
        t.run(Duration.ofSeconds(1));
        assertThat(t.room.posts()).startsWith("held reply", "basil speaks");
        assertThat(t.room.posts().stream().filter("held reply"::equals)).hasSize(1);
    }

    @Test
    void pauseBetweenTurnsStopsTheNextTurnUntilResume() {
        Table t = new Table(with(conversation("Ada", "Basil"), b -> b.pacing(TestPacing.fixed(2000))),
                counting("a"), counting("b")).start();
        t.run(Duration.ofMillis(2000));
        assertThat(t.room.posts()).hasSize(1);
        t.say("kate", "!pause", true);
        t.run(Duration.ofMinutes(1));
        assertThat(t.room.posts()).hasSize(1);
        t.say("kate", "!resume", true);
        t.run(Duration.ofMillis(2000));
        assertThat(t.room.posts()).hasSize(2);
    }

    @Test
    void aNonOperatorIsRefusedAndNothingChanges() {
        Table t = new Table(with(conversation("Ada", "Basil"), b -> b.pacing(TestPacing.fixed(1000))),
                counting("a"), counting("b")).start();
        t.say("mallory", "!stop", false);
        t.run(Duration.ofSeconds(3));
        assertThat(t.stopped()).isFalse();
        assertThat(t.room.notices()).contains("refused");
        JournalEvent.Command cmd = t.journal.events().stream().filter(JournalEvent.Command.class::isInstance)
                .map(JournalEvent.Command.class::cast).findFirst().orElseThrow();
        assertThat(cmd.authorized()).isFalse();
        assertThat(cmd.sender()).isEqualTo("mallory");
    }

    @Test
    void aModelReplyStartingWithACommandIsJustText() {
        Table t = new Table(with(conversation("Ada", "Basil"), b -> b.stop(TestConfigs.stop(3))),
                ScriptedModel.saying("!stop everything", "!pause"), ScriptedModel.saying("!stop now")).start()
                .runToEnd();
        assertThat(t.room.posts()).containsExactly("!stop everything", "!stop now", "!pause");
        assertThat(t.stopEvent().reason()).isEqualTo("reached the limit of 3 turns");
        assertThat(t.journal.events()).noneMatch(JournalEvent.Command.class::isInstance);
    }

    @Test
    void operatorStopEndsAtOnceWithTheReason() {
        ScriptedModel ada = new ScriptedModel().thenHold();
        Table t = new Table(conversation("Ada", "Basil"), ada, counting("b")).start();
        t.say("kate", "!stop enough for today", true);
        assertThat(t.stopEvent().reason()).isEqualTo("stopped by kate: enough for today");
        assertThat(ada.cancelled()).isEqualTo(1);
        assertThat(t.room.notices()).contains("Conversation ended: stopped by kate: enough for today.");
    }

    @Test
    void endTokenIsHonouredOnlyAfterTheMinimumTurns() {
        Table t = new Table(conversation("Ada", "Basil"),
                ScriptedModel.saying("^C^C", "tide pools at dawn", "^C^C"),
                ScriptedModel.saying("and why is that", "because of the crabs")).start().runToEnd();
        assertThat(t.said()).hasSize(5);
        assertThat(t.stopEvent().reason()).isEqualTo("a seat said the end token ^C^C");
    }

    @Test
    void consecutiveFailuresStopTheConversation() {
        ModelError down = ModelError.of(ModelError.Kind.TRANSIENT, "server error (503)");
        Table t = new Table(conversation("Ada", "Basil"),
                new ScriptedModel().thenFail(down).thenFail(down),
                new ScriptedModel().thenFail(down)).start().runToEnd();
        assertThat(t.stopEvent().reason()).isEqualTo("3 model failures in a row");
        assertThat(t.room.notices()).contains("Ada failed: server error (503); skipping its turn.");
        assertThat(t.journal.events()).filteredOn(JournalEvent.Failure.class::isInstance).hasSize(3);
    }

    @Test
    void aPermanentErrorMutesTheSeatUntilUnmuted() {
        ScriptedModel ada = new ScriptedModel().thenFail(
                ModelError.of(ModelError.Kind.PERMANENT, "model not found (404)")).then("I am back");
        Table t = new Table(with(conversation("Ada", "Basil"), b -> b.stop(TestConfigs.stop(6))
                .pacing(TestPacing.fixed(1000))), ada, counting("b")).start();
        t.run(Duration.ofSeconds(3));
        assertThat(t.room.notices()).contains("Ada: model not found (404) — seat muted (an operator can !unmute ada).");
        assertThat(t.saidBy()).allMatch(s -> s.startsWith("Basil: "));
        t.say("kate", "!unmute ada", true);
        t.runToEnd();
        assertThat(t.saidBy()).contains("Ada: I am back");
    }

    @Test
    void whenEveryModelHasFailedForGoodTheConversationEnds() {
        ModelError gone = ModelError.of(ModelError.Kind.PERMANENT, "unauthorized (401): check api-key-env");
        Table t = new Table(with(conversation("Ada", "Basil"), b -> b.stop(new StopConfig(10, Duration.ZERO, "^C^C", 4,
                0, 0, Optional.empty()))), new ScriptedModel().thenFail(gone), new ScriptedModel().thenFail(gone))
                .start().runToEnd();
        assertThat(t.stopEvent().reason()).isEqualTo("no seat can speak: every model failed for good");
    }

    @Test
    void seatsMutedByAnOperatorWaitForUnmute() {
        Table t = new Table(with(conversation("Ada", "Basil"), b -> b.pacing(TestPacing.fixed(1000))),
                counting("a"), counting("b")).start();
        t.say("kate", "!mute ada", true);
        t.say("kate", "!mute basil", true);
        t.run(Duration.ofMinutes(10));
        assertThat(t.stopped()).isFalse();
        assertThat(t.room.posts()).isEmpty();
        t.say("kate", "!unmute basil", true);
        t.run(Duration.ofSeconds(1));
        assertThat(t.saidBy()).containsExactly("Basil: " + line("b", 1));
    }

    @Test
    void aTimeoutIsReportedAndTheConversationGoesOn() {
        Table t = new Table(with(conversation("Ada", "Basil"), b -> b.stop(TestConfigs.stop(2))),
                new ScriptedModel().thenFail(ModelError.of(ModelError.Kind.TIMEOUT, "did not answer in 120 s"))
                        .then("late but here"),
                counting("b")).start().runToEnd();
        assertThat(t.room.notices()).contains("Ada did not answer in 120 s; skipping its turn.");
        assertThat(t.saidBy()).containsExactly("Basil: " + line("b", 1), "Ada: late but here");
    }

    @Test
    void onFailurePausePausesTheConversation() {
        Table t = new Table(with(conversation("Ada", "Basil"), b -> b.replies(new ReplyConfig(
                ReplyConfig.OnFailure.PAUSE, ReplyConfig.EmptyReply.RETRY_THEN_SKIP, ReplyConfig.StreamCut.RETRY,
                false))),
                new ScriptedModel().thenFail(ModelError.of(ModelError.Kind.TIMEOUT, "did not answer in 120 s")),
                counting("b")).start().run(Duration.ofMinutes(1));
        assertThat(t.room.posts()).isEmpty();
        t.say("kate", "!status", true);
        assertThat(t.room.notices()).anyMatch(n -> n.startsWith("Ada ↔ Basil: paused, turn 0"));
    }

    @Test
    void statusIncludesWhatARoomHasToSay() {
        Table t = new Table(conversation("Ada", "Basil"), counting("a"), counting("b")).start();
        t.room.status("matrix !r:hs: end-to-end encrypted, and parley cannot read it");
        t.say("kate", "!status", true);
        assertThat(t.room.notices()).anyMatch(n -> n.startsWith("Ada ↔ Basil: ")
                && n.endsWith("; matrix !r:hs: end-to-end encrypted, and parley cannot read it"));
    }

    @Test
    void anEmptyReplyIsRetriedOnceThenSkipped() {
        ScriptedModel ada = ScriptedModel.saying("   ", "");
        Table t = new Table(with(conversation("Ada", "Basil"), b -> b.stop(TestConfigs.stop(1))), ada,
                counting("b")).start().runToEnd();
        assertThat(ada.requests()).hasSize(2);
        assertThat(t.room.notices()).contains("Ada gave an empty reply; skipping its turn.");
        assertThat(t.saidBy()).containsExactly("Basil: " + line("b", 1));
    }

    @Test
    void anEmptyReplyIsPostedAsIsWhenConfigured() {
        Table t = new Table(with(conversation("Ada", "Basil"), b -> b.stop(TestConfigs.stop(2)).replies(
                new ReplyConfig(ReplyConfig.OnFailure.SKIP, ReplyConfig.EmptyReply.POST, ReplyConfig.StreamCut.KEEP,
                        false))), ScriptedModel.saying(" "), ScriptedModel.saying("hello?")).start().runToEnd();
        assertThat(t.room.posts()).containsExactly(" ", "hello?");
    }

    @Test
    void aHumanSteppingInReachesTheNextSeatsContext() {
        ScriptedModel basil = counting("b");
        Table t = new Table(with(conversation("Ada", "Basil"), b -> b.pacing(TestPacing.fixed(1000))),
                counting("a"), basil).start();
        t.run(Duration.ofMillis(1000));
        t.say("kate", "keep it short, please", false);
        t.run(Duration.ofMillis(1000));
        assertThat(basil.requests()).hasSize(1);
        String lastUser = basil.lastRequest().turns().get(basil.lastRequest().turns().size() - 1).text();
        assertThat(lastUser).isEqualTo("Ada: " + line("a", 1) + "\nkate: keep it short, please");
        assertThat(t.saidBy()).contains("kate: keep it short, please");
        assertThat(t.said().get(1).kind()).isEqualTo("human");
    }

    @Test
    void nextGivesTheTurnToTheNamedSeat() {
        Table t = new Table(with(conversation("Ada", "Basil", "Cleo"), b -> b.pacing(TestPacing.fixed(1000))),
                counting("a"), counting("b"), counting("c")).start();
        t.run(Duration.ofMillis(1000));
        t.say("kate", "!next cleo", true);
        t.run(Duration.ofMillis(1000));
        assertThat(t.saidBy()).containsExactly("Ada: " + line("a", 1), "Cleo: " + line("c", 1));
        assertThat(t.room.notices()).contains("Cleo speaks next.");
        t.say("kate", "!next nobody", true);
        assertThat(t.room.notices()).anyMatch(n -> n.startsWith("No seat \"nobody\"; seats: ada (Ada)"));
    }

    @Test
    void manualPolicyWaitsForNext() {
        Table t = new Table(with(conversation("Ada", "Basil"), b -> b.turnPolicy(TurnPolicyKind.MANUAL)),
                counting("a"), counting("b")).start().run(Duration.ofMinutes(5));
        assertThat(t.room.posts()).isEmpty();
        t.say("kate", "!next basil", true);
        t.run(Duration.ofSeconds(1));
        assertThat(t.saidBy()).containsExactly("Basil: " + line("b", 1));
        t.run(Duration.ofMinutes(5));
        assertThat(t.room.posts()).hasSize(1);
    }

    @Test
    void withoutAutoStartAnOperatorStartsItWithAnOpeningLine() {
        ScriptedModel ada = counting("a");
        Table t = new Table(with(conversation("Ada", "Basil"), b -> b.autoStart(false)), ada, counting("b"))
                .start().run(Duration.ofMinutes(1));
        assertThat(ada.requests()).isEmpty();
        t.say("kate", "!start Talk about tide pools.", true);
        t.run(Duration.ofSeconds(1));
        assertThat(ada.requests().get(0).turns().get(0).text()).isEqualTo("Talk about tide pools.");
    }

    @Test
    void turnsAndPaceCommandsChangeTheRunningConversation() {
        Table t = new Table(with(conversation("Ada", "Basil"), b -> b.pacing(TestPacing.fixed(1000))),
                counting("a"), counting("b")).start();
        t.say("kate", "!pace 10", true);
        t.say("kate", "!turns 2", true);
        t.run(Duration.ofSeconds(1));
        assertThat(t.room.posts()).hasSize(1);
        t.run(Duration.ofSeconds(9));
        assertThat(t.room.posts()).hasSize(1);
        t.run(Duration.ofSeconds(1));
        assertThat(t.room.posts()).hasSize(2);
        assertThat(t.stopEvent().reason()).isEqualTo("reached the limit of 2 turns");
    }

    @Test
    void statusTellsTheState() {
        Table t = new Table(conversation("Ada", "Basil"), new ScriptedModel().thenHold(), counting("b")).start();
        t.say("kate", "!status", true);
        assertThat(t.room.notices()).anyMatch(n -> n.equals("Ada ↔ Basil: Ada is thinking, turn 0 of 20, pace 0 s,"
                + " 0 tokens"));
    }

    @Test
    void transcriptCommandWritesTheTranscriptSoFar() {
        Table t = new Table(conversation("Ada", "Basil"), new ScriptedModel().thenHold(), counting("b")).start();
        t.say("kate", "!transcript", true);
        assertThat(t.room.notices()).contains("Transcript so far: memory:transcript");
    }

    @Test
    void maxDurationStopsTheConversation() {
        Table t = new Table(with(conversation("Ada", "Basil"), b -> b.pacing(TestPacing.fixed(60_000))
                .stop(new StopConfig(0, Duration.ofMinutes(5), "^C^C", 4, 3, 0, Optional.empty()))),
                counting("a"), counting("b")).start().runToEnd();
        assertThat(t.said()).hasSize(4);
        assertThat(t.stopEvent().reason()).isEqualTo("reached the time limit of 5 min");
        assertThat(t.stopEvent().ts()).isEqualTo(t.journal.events().get(0).ts().plus(Duration.ofMinutes(5)));
    }

    @Test
    void tokenAndCostLimitsStopTheConversation() {
        ScriptedModel ada = new ScriptedModel().otherwise(r -> "x");
        ada.then(new ModelReply("long answer", new Usage(600, 500, 0), "stop", false));
        Table t = new Table(with(conversation("Ada", "Basil"), b -> b.stop(new StopConfig(0, Duration.ZERO, "^C^C",
                4, 3, 1000, Optional.empty()))), ada, counting("b")).start().runToEnd();
        assertThat(t.stopEvent().reason()).isEqualTo("used 1100 tokens, the limit is 1000");
        assertThat(t.said().get(0).inputTokens()).isEqualTo(600L);
    }

    @Test
    void impersonationIsCutBeforeItReachesTheRoom() {
        Table t = new Table(with(conversation("Ada", "Basil"), b -> b.stop(TestConfigs.stop(1))),
                ScriptedModel.saying("Ada: I think so.\nBasil: I agree!\nAda: good"), counting("b"))
                .start().runToEnd();
        assertThat(t.room.posts()).containsExactly("I think so.");
    }

    @Test
    void healthMonitorStopsAnAcknowledgementLoop() {
        Table t = new Table(with(conversation("Ada", "Basil"), b -> b.stop(TestConfigs.stop(40))),
                ScriptedModel.saying("Shall we talk about tide pools and crabs?", "ack", "ok.", "ack", ".", "ok"),
                ScriptedModel.saying("Yes, the crabs hide under rocks at low tide.", "ack.", "still waiting",
                        "still waiting.", "ok", ".")).start().runToEnd();
        assertThat(t.stopEvent().reason()).startsWith("the health monitor stopped it: ");
        assertThat(t.said().size()).isLessThanOrEqualTo(12);
        // The journal says which rule fired and on what figures, right before the stop it caused.
        List<JournalEvent> events = t.journal.events();
        JournalEvent.Health health = events.stream().filter(JournalEvent.Health.class::isInstance)
                .map(JournalEvent.Health.class::cast).findFirst().orElseThrow();
        assertThat(events.get(events.indexOf(health) + 1)).isInstanceOf(JournalEvent.Stop.class);
        assertThat(health.action()).isEqualTo("stop");
        assertThat(t.stopEvent().reason()).endsWith(health.evidence());
        assertThat(health.rule()).isIn("nothing-new", "echo", "repeat");
        assertThat(health.figures()).isNotEmpty();
    }

    @Test
    void healthMonitorStaysQuietOnALivelyShortLineDialogue() {
        List<String> ada = List.of("Tide pools at dawn?", "Bring the thermos.", "Coffee, black.", "Crabs first?",
                "Under the kelp.", "Anemones close fast.", "Starfish regrow arms.", "Seriously? All five?",
                "Barnacles glue headfirst.", "Gulls steal sandwiches.");
        List<String> basil = List.of("Only if it's low tide.", "Soup or coffee?", "Deal. Rocks are slippery.",
                "Hermit ones, yes.", "Watch your fingers.", "Touch gently then.", "Even the tiny ones?",
                "Given months, yes.", "Weird but brilliant.", "Guard lunch then!");
        Table t = new Table(with(conversation("Ada", "Basil"), b -> b.stop(TestConfigs.stop(20))),
                ScriptedModel.saying(ada.toArray(String[]::new)), ScriptedModel.saying(basil.toArray(String[]::new)))
                .start().runToEnd();
        assertThat(t.said()).hasSize(20);
        assertThat(t.stopEvent().reason()).isEqualTo("reached the limit of 20 turns");
    }

    @Test
    void healthMonitorCanPauseInstead() {
        Table t = new Table(with(conversation("Ada", "Basil"), b -> b.health(new HealthConfig(true,
                HealthConfig.Action.PAUSE, 8, 2, 4, 0.8, 3, 20, 5, 0.68, 4, 0.1, 6, 0.04, 6, 0.2))),
                ScriptedModel.saying("Let us begin with kelp forests.", "ack", "ack", "ack"),
                ScriptedModel.saying("Kelp grows fast in cold water.", "ok", "ok", "ok")).start().runToEnd();
        assertThat(t.stopped()).isFalse();
        assertThat(t.journal.events()).filteredOn(JournalEvent.Pause.class::isInstance)
                .extracting(e -> ((JournalEvent.Pause) e).reason()).singleElement().asString()
                .startsWith("by the health monitor: ");
    }

    @Test
    void aSeatLeavingPausesAndItsReturnResumes() {
        Table t = new Table(with(conversation("Ada", "Basil"), b -> b.pacing(TestPacing.fixed(1000))),
                counting("a"), counting("b")).start();
        t.run(Duration.ofMillis(1000));
        t.room.presence(dev.parley.core.SeatId.of("basil"), false);
        t.clock.runDue();
        t.run(Duration.ofMinutes(1));
        assertThat(t.room.posts()).hasSize(1);
        t.room.presence(dev.parley.core.SeatId.of("basil"), true);
        t.clock.runDue();
        t.run(Duration.ofMillis(1000));
        assertThat(t.room.posts()).hasSize(2);
    }

    @Test
    void aRestartResumesFromTheJournalWithoutRepeatingAnything() {
        MemoryJournal journal = new MemoryJournal();
        Table first = new Table(with(conversation("Ada", "Basil"), b -> b.stop(TestConfigs.stop(6))
                .pacing(TestPacing.fixed(1000))), journal, counting("a"), counting("b")).start();
        first.run(Duration.ofMillis(3000));
        assertThat(first.said()).hasSize(3);

        ScriptedModel basil = counting("b2");
        Table second = new Table(with(conversation("Ada", "Basil"), b -> b.stop(TestConfigs.stop(6))
                .pacing(TestPacing.fixed(1000))), journal, counting("a2"), basil).start().runToEnd();
        assertThat(second.said()).extracting(JournalEvent.Said::turn).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(second.saidBy().subList(0, 4)).containsExactly("Ada: " + line("a", 1),
                "Basil: " + line("b", 1), "Ada: " + line("a", 2), "Basil: " + line("b2", 1));
        assertThat(basil.requests().get(0).turns()).extracting(dev.parley.model.Turn::text)
                .contains("Ada: " + line("a", 2));
        assertThat(journal.events()).filteredOn(JournalEvent.Restart.class::isInstance).hasSize(1);
        assertThat(second.room.posts()).hasSize(3);
    }

    /** Pacing helpers. */
    static final class TestPacing {
        static PacingConfig fixed(long ms) {
            return new PacingConfig(Duration.ofMillis(ms), Duration.ofMillis(ms), 0, Duration.ZERO, true);
        }
    }
}
