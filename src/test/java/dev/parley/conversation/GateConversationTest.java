package dev.parley.conversation;

import static dev.parley.testsupport.TestConfigs.conversation;
import static dev.parley.testsupport.TestConfigs.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.parley.archive.JournalEvent;
import dev.parley.archive.MemoryJournal;
import dev.parley.archive.Transcript;
import dev.parley.archive.TranscriptWriter;
import dev.parley.config.ConversationConfig;
import dev.parley.config.ModerationConfig;
import dev.parley.config.ReplyConfig;
import dev.parley.testsupport.ScriptedModel;
import dev.parley.testsupport.TestConfigs;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/** The moderation gate in the engine, in virtual time: what the rooms see, what the journal keeps. */
class GateConversationTest {
    private static final ModerationConfig LISTS = new ModerationConfig(true, List.of(new ModerationConfig.WordList(
            "words.txt", List.of(new ModerationConfig.Rule("words.txt", 1, "grawlix", false)))), false,
            ModerationConfig.Limits.NONE, ModerationConfig.OnHit.RETRY_THEN_SKIP, 3, ModerationConfig.Humans.PASS,
            Optional.empty());

    private static ConversationConfig gated(int turns, ModerationConfig m) {
        return with(conversation("Ada", "Basil"), b -> b.stop(TestConfigs.stop(turns))).withModeration(m);
    }

    private static List<JournalEvent.Withheld> withheld(Table t) {
        return t.journal.events().stream().filter(JournalEvent.Withheld.class::isInstance)
                .map(JournalEvent.Withheld.class::cast).toList();
    }

    private static List<String> notices(Table t) {
        return t.room.shown().stream().filter(s -> s.seat() == null).map(s -> s.text()).toList();
    }

    @Test
    void aHitIsWithheldAndTheSeatIsAskedOnceMoreKnowingOnlyThatItWasWithheld() {
        ScriptedModel ada = ScriptedModel.saying("You grawlix!", "Let me put that better.");
        Table t = new Table(gated(2, LISTS), ada, ScriptedModel.saying("Fair enough.")).start().runToEnd();

        assertThat(t.room.posts()).containsExactly("Let me put that better.", "Fair enough.");
        assertThat(notices(t)).contains("A message from Ada was withheld by the filter.");
        assertThat(withheld(t)).extracting(JournalEvent.Withheld::speaker, JournalEvent.Withheld::text,
                JournalEvent.Withheld::rule, JournalEvent.Withheld::action)
                .containsExactly(tuple("Ada", "You grawlix!", "words.txt:1", "retried"));
        String retryContext = ada.requests().get(1).system() + ada.requests().get(1).turns();
        assertThat(retryContext).contains("withheld").doesNotContain("grawlix");
        assertThat(t.saidBy()).containsExactly("Ada: Let me put that better.", "Basil: Fair enough.");
    }

    @Test
    void aSecondHitSkipsTheTurnAndAThirdInTheEpisodeMutesTheSeatUntilUnmute() {
        ScriptedModel ada = ScriptedModel.saying("grawlix one", "grawlix two", "grawlix three", "Clean at last.");
        ScriptedModel basil = ScriptedModel.saying("Hm.", "Ada?").thenHold();
        Table t = new Table(gated(4, LISTS), ada, basil).start().runToEnd();

        assertThat(withheld(t)).extracting(JournalEvent.Withheld::text, JournalEvent.Withheld::action)
                .containsExactly(tuple("grawlix one", "retried"), tuple("grawlix two", "skipped"),
                        tuple("grawlix three", "muted"));
        assertThat(t.room.posts()).containsExactly("Hm.", "Ada?");
        assertThat(notices(t)).containsOnlyOnce("A message from Ada was withheld by the filter. Ada is muted until "
                + "an operator says !unmute ada.");
        assertThat(ada.requests()).hasSize(3);

        t.say("kate", "!unmute ada", true);
        basil.complete("Welcome back.");
        t.runToEnd();
        assertThat(t.room.posts()).containsExactly("Hm.", "Ada?", "Welcome back.", "Clean at last.");
    }

    @Test
    void aStreamedReplyWhoseThirdParagraphMatchesKeepsTheFirstTwoAndShowsNothingMore() {
        ConversationConfig c = with(conversation("Ada", "Basil"), b -> b.stop(TestConfigs.stop(2)).replies(
                new ReplyConfig(ReplyConfig.OnFailure.SKIP, ReplyConfig.EmptyReply.RETRY_THEN_SKIP,
                        ReplyConfig.StreamCut.RETRY, true))).withModeration(LISTS);
        ScriptedModel ada = new ScriptedModel().thenHold();
        Table t = new Table(c, ada, ScriptedModel.saying("Go on.")).start();
        ada.stream("One.\n\n");
        t.clock.runDue();
        ada.stream("Two.\n\n");
        t.clock.runDue();
        ada.stream("Three, a grawlix.\n\nFour.\n\n");
        t.clock.runDue();
        t.runToEnd();

        assertThat(t.room.posts()).containsExactly("One.", "Two.", "Go on.");
        assertThat(t.saidBy()).containsExactly("Ada: One.\n\nTwo.", "Basil: Go on.");
        assertThat(withheld(t)).extracting(JournalEvent.Withheld::text, JournalEvent.Withheld::action)
                .containsExactly(tuple("Three, a grawlix.\n\nFour.", "cut"));
        assertThat(ada.cancelled()).isEqualTo(1);
    }

    @Test
    void theTranscriptNeverShowsAWithheldText() {
        ScriptedModel ada = ScriptedModel.saying("grawlix", "Sorry.");
        Table t = new Table(gated(2, LISTS), ada, ScriptedModel.saying("Ok.")).start().runToEnd();
        String markdown = TranscriptWriter.render(Transcript.fromJournal(t.journal.events(), ZoneId.of("UTC")));
        assertThat(markdown).contains("Sorry.").doesNotContain("grawlix");
    }

    @Test
    void filterOffLetsMessagesThroughForTheEpisodeAndIsJournalled() {
        ScriptedModel ada = new ScriptedModel().thenHold();
        Table t = new Table(gated(1, LISTS), ada, ScriptedModel.saying("unused")).start();
        t.say("kate", "!filter off", true);
        ada.complete("grawlix, allowed now");
        t.runToEnd();
        assertThat(t.room.posts()).containsExactly("grawlix, allowed now");
        t.say("kate", "!status", true);
        assertThat(t.room.shown().get(t.room.shown().size() - 1).text()).endsWith(", filter off");
        assertThat(t.journal.events()).filteredOn(JournalEvent.Steer.class::isInstance)
                .extracting(e -> ((JournalEvent.Steer) e).action(), e -> ((JournalEvent.Steer) e).text())
                .containsExactly(tuple("filter", "off"));
    }

    @Test
    void filterShowsItsCounts() {
        Table t = new Table(gated(2, LISTS), ScriptedModel.saying("grawlix", "Sorry."),
                ScriptedModel.saying("Ok.")).start().runToEnd();
        t.say("kate", "!filter", true);
        assertThat(t.room.shown().get(t.room.shown().size() - 1).text())
                .startsWith("Filter on: 1 list rules; 3 checked, 1 withheld; strikes: {ada=1}");
    }

    @Test
    void aHumansMatchingMessageIsShownButKeptFromTheModelsWhenConfigured() {
        ModerationConfig keep = new ModerationConfig(true, LISTS.lists(), false, ModerationConfig.Limits.NONE,
                ModerationConfig.OnHit.RETRY_THEN_SKIP, 3, ModerationConfig.Humans.KEEP_FROM_MODELS,
                Optional.empty());
        ScriptedModel ada = new ScriptedModel().thenHold();
        ScriptedModel basil = ScriptedModel.saying("Hi Joe.");
        Table t = new Table(gated(2, keep), ada, basil).start();
        t.say("joe", "you are all grawlix", false);
        t.say("joe", "hello models", false);
        ada.complete("Hello.");
        t.runToEnd();

        assertThat(t.saidBy()).contains("joe: you are all grawlix");
        String seen = basil.lastRequest().turns().toString();
        assertThat(seen).contains("hello models").doesNotContain("grawlix");
        assertThat(withheld(t)).extracting(JournalEvent.Withheld::speaker, JournalEvent.Withheld::action)
                .containsExactly(tuple("joe", "kept-from-models"));
    }

    @Test
    void aReplyWaitsForTheModerationServiceAndIsPostedOnlyWhenItPasses() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(new MockResponse.Builder().setHeader("Content-Type", "application/json").body(
                    "{\"results\":[{\"flagged\":true,\"categories\":{\"hate\":true}}]}").build());
            server.enqueue(new MockResponse.Builder().code(503).build());
            server.enqueue(new MockResponse.Builder().code(503).build());
            ModerationConfig m = new ModerationConfig(true, List.of(), false, ModerationConfig.Limits.NONE,
                    ModerationConfig.OnHit.RETRY_THEN_SKIP, 3, ModerationConfig.Humans.PASS, Optional.of(
                    new ModerationConfig.Api(server.url("/v1/moderations").toString(), "m", Optional.empty(),
                            Map.of(), Duration.ofSeconds(5), ModerationConfig.WhenDown.PASS_WITH_NOTICE)));
            Table t = new Table(gated(2, m), ScriptedModel.saying("Something hateful.", "Something kind."),
                    ScriptedModel.saying("Thanks.")).start();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                t.clock.runUntilIdle(Duration.ofMinutes(1));
                return t.stopped();
            });
            assertThat(t.room.posts()).containsExactly("Something kind.", "Thanks.");
            assertThat(withheld(t)).extracting(JournalEvent.Withheld::rule).containsExactly("moderation-api:hate");
            assertThat(notices(t)).containsOnlyOnce("The moderation service is not answering; messages go out "
                    + "checked by the word lists and limits only (moderation service unavailable: HTTP 503).");
        }
    }

    @Test
    void aRestartKeepsTheStrikesAndTheFilterSwitch() {
        MemoryJournal journal = new MemoryJournal();
        Table first = new Table(gated(4, LISTS), journal, ScriptedModel.saying("grawlix one", "grawlix two"),
                new ScriptedModel().thenHold()).start();
        first.clock.runDue();
        assertThat(withheld(first)).hasSize(2);

        ScriptedModel ada = ScriptedModel.saying("grawlix three", "unused");
        Table second = new Table(gated(4, LISTS), journal, ada, ScriptedModel.saying("Hm.", "Still here.")).start()
                .runToEnd();
        assertThat(withheld(second)).extracting(JournalEvent.Withheld::text, JournalEvent.Withheld::action)
                .endsWith(tuple("grawlix three", "muted"));

        MemoryJournal other = new MemoryJournal();
        Table off = new Table(gated(1, LISTS), other, new ScriptedModel().thenHold(),
                ScriptedModel.saying("unused")).start();
        off.say("kate", "!filter off", true);
        Table again = new Table(gated(1, LISTS), other, ScriptedModel.saying("grawlix, still allowed"),
                ScriptedModel.saying("unused")).start().runToEnd();
        assertThat(again.room.posts()).containsExactly("grawlix, still allowed");
    }
}
