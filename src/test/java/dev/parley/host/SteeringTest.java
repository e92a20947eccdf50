package dev.parley.host;

import static dev.parley.host.HostTest.NOON;
import static dev.parley.host.HostTest.ROOM;
import static dev.parley.testsupport.TestConfigs.conversation;
import static dev.parley.testsupport.TestConfigs.pacing;
import static dev.parley.testsupport.TestConfigs.stop;
import static dev.parley.testsupport.TestConfigs.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.archive.JournalEvent;
import dev.parley.config.ConversationConfig;
import dev.parley.config.HealthConfig;
import dev.parley.config.HostingConfig;
import dev.parley.config.RoomConfig;
import dev.parley.core.SeatId;
import dev.parley.model.ModelError;
import dev.parley.model.ModelRequest;
import dev.parley.room.MemoryRoom;
import dev.parley.testsupport.ScriptedModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operators steering a running episode: every act takes effect from the next turn and is journalled. */
class SteeringTest {
    @TempDir
    Path dir;

    /** Ada, Basil and Cyd on the roster, Ada and Basil cast; a turn every 10 s; 40 turns. */
    ConversationConfig show() {
        HostingConfig two = new HostingConfig(List.of(SeatId.of("ada"), SeatId.of("basil")),
                HostingConfig.AfterEnd.WAIT, Duration.ZERO, 0, List.of(), HostingConfig.NextCast.SAME);
        return with(conversation("Ada", "Basil", "Cyd"), b -> b.id("show")
                .rooms(List.of(new RoomConfig.Irc("net", "#show", Optional.empty())))
                .pacing(pacing(10_000, 10_000)).stop(stop(40)).hosting(two)
                // The counting models' lines ("Ada 7") bring one new word each: not a lively exchange.
                .health(new HealthConfig(false, HealthConfig.Action.STOP, 8, 2, 6, 0.8, 3, 20, 5, 0.68, 4, 0.1, 6, 0.04, 6, 0.2)));
    }

    Studio studio() {
        return new Studio(dir, NOON, show()).start();
    }

    static List<String> systems(ScriptedModel m) {
        return m.requests().stream().map(ModelRequest::system).toList();
    }

    List<JournalEvent> journal(Studio s) {
        return s.events(s.journals("show").get(0));
    }

    @Test
    void inviteBringsARosterSeatInAndDismissSendsOneOut() {
        Studio s = studio().run(Duration.ofSeconds(25));
        assertThat(s.said(s.journals("show").get(0))).containsExactly("Ada: Ada 1", "Basil: Basil 1");

        s.say(ROOM, "!invite basil").say(ROOM, "!invite zed").say(ROOM, "!invite cyd");
        assertThat(s.room(ROOM).notices()).contains("Basil is already in.",
                "No seat \"zed\" in the roster; roster: ada (Ada), basil (Basil), cyd (Cyd).",
                "Inviting Cyd; it takes turns once it is in.", "Cyd has joined.");
        assertThat(s.room(ROOM).seats()).contains(SeatId.of("cyd"));
        s.run(Duration.ofSeconds(30));
        assertThat(s.said(s.journals("show").get(0))).containsSubsequence("Basil: Basil 1", "Cyd: Cyd 1",
                "Ada: Ada 2");

        s.say(ROOM, "!dismiss ada");
        assertThat(s.room(ROOM).shown()).filteredOn(x -> x.kind() == MemoryRoom.Kind.PART)
                .extracting(MemoryRoom.Shown::seat).containsExactly(SeatId.of("ada"));
        int adaAsked = s.madeFor("ada").get(0).model().requests().size();
        s.run(Duration.ofSeconds(60));
        assertThat(s.madeFor("ada").get(0).model().requests()).hasSize(adaAsked);

        s.say(ROOM, "!dismiss basil").say(ROOM, "!dismiss cyd");
        assertThat(s.room(ROOM).notices()).last().asString()
                .isEqualTo("Cyd is the last seat; !stop ends the episode.");
        assertThat(journal(s)).filteredOn(JournalEvent.Steer.class::isInstance).map(JournalEvent.Steer.class::cast)
                .extracting(e -> e.by() + " " + e.action() + " " + e.seat())
                .containsExactly("kate invite cyd", "kate dismiss ada", "kate dismiss basil");
    }

    @Test
    void retractTakesMessagesOutOfTheContextAndTheTranscriptButNotTheJournal() {
        Studio s = studio().run(Duration.ofSeconds(25));

        s.say(ROOM, "!retract");
        assertThat(s.room(ROOM).notices()).contains("A message from Basil was retracted by kate.",
                "Retracted 1 message.");
        assertThat(s.room(ROOM).texts(MemoryRoom.Kind.RETRACT)).containsExactly("Basil 1");
        s.run(Duration.ofSeconds(10));

        ScriptedModel ada = s.madeFor("ada").get(0).model();
        assertThat(ada.lastRequest().turns()).extracting(t -> t.text()).noneMatch(t -> t.contains("Basil 1"));
        s.say(ROOM, "!stop").run(Duration.ofSeconds(1));
        Path journal = s.journals("show").get(0);
        assertThat(s.said(journal)).contains("Basil: Basil 1");
        assertThat(journal(s)).filteredOn(JournalEvent.Retract.class::isInstance).hasSize(1);
        assertThat(s.transcriptOf(journal).orElseThrow()).contains("Ada 1", "Ada 2").doesNotContain("Basil 1");
    }

    @Test
    void retryRetractsTheLastModelMessageAndTheSameSeatAnswersAgain() {
        Studio s = studio();
        s.say(ROOM, "!retry");
        assertThat(s.room(ROOM).notices()).last().asString()
                .isEqualTo("Nothing to retry: no seat has said anything.");
        s.run(Duration.ofSeconds(25));

        s.say(ROOM, "!retry").run(Duration.ofSeconds(10));

        assertThat(s.room(ROOM).notices()).contains("Retracted; Basil answers again.");
        assertThat(s.said(s.journals("show").get(0))).containsExactly("Ada: Ada 1", "Basil: Basil 1",
                "Basil: Basil 2");
        s.say(ROOM, "!stop").run(Duration.ofSeconds(1));
        assertThat(s.transcriptOf(s.journals("show").get(0)).orElseThrow()).doesNotContain("Basil 1")
                .contains("Basil 2");
    }

    @Test
    void aNoteReachesOnlyThatSeatsNextRequest() {
        Studio s = studio().run(Duration.ofSeconds(5));
        s.say(ROOM, "!note basil Bring up the lighthouse.").say(ROOM, "!note zed hi");
        assertThat(s.room(ROOM).notices()).contains("Noted: Basil reads it in its next turn.");
        assertThat(s.room(ROOM).notices()).last().asString().startsWith("No seat \"zed\"; seats: ");
        s.run(Duration.ofSeconds(40));

        List<String> basil = systems(s.madeFor("basil").get(0).model());
        assertThat(basil.get(0)).contains("Bring up the lighthouse.");
        assertThat(basil.subList(1, basil.size())).noneMatch(x -> x.contains("lighthouse"));
        assertThat(systems(s.madeFor("ada").get(0).model())).noneMatch(x -> x.contains("lighthouse"));
        assertThat(s.room(ROOM).posts()).noneMatch(p -> p.contains("lighthouse"));
    }

    @Test
    void systemReplacesThePromptAndModelSwitchesTheModelFromTheNextTurn() {
        Studio s = studio().run(Duration.ofSeconds(5));
        s.say(ROOM, "!system basil You are a pirate.").say(ROOM, "!model basil big-model").run(Duration.ofSeconds(20));

        assertThat(s.madeFor("basil")).extracting(m -> m.seat().model().model()).containsExactly("test", "big-model");
        ScriptedModel swapped = s.madeFor("basil").get(1).model();
        assertThat(swapped.requests()).hasSize(1);
        assertThat(swapped.lastRequest().system()).isEqualTo("You are a pirate.");
        assertThat(s.madeFor("basil").get(0).model().requests()).isEmpty();
        assertThat(s.events(s.journals("show").get(0))).filteredOn(JournalEvent.Said.class::isInstance)
                .map(JournalEvent.Said.class::cast).filteredOn(x -> "basil".equals(x.seat()))
                .extracting(JournalEvent.Said::model).containsExactly("big-model");
    }

    @Test
    void aModelTheProviderRefusesIsReportedAndTheSeatKeepsItsModel() {
        Studio s = new Studio(dir, NOON, show());
        s.scripts.put("basil", seat -> seat.model().model().equals("no-such-model")
                ? new ScriptedModel().thenFail(ModelError.of(ModelError.Kind.PERMANENT, "404: no such model"))
                : Studio.counting("Basil"));
        s.start().run(Duration.ofSeconds(5));
        s.say(ROOM, "!model basil no-such-model").run(Duration.ofSeconds(20));

        assertThat(s.room(ROOM).notices()).contains("Basil: 404: no such model — back to test instead of no-such-model.");
        s.run(Duration.ofSeconds(20));
        assertThat(s.said(s.journals("show").get(0))).contains("Basil: Basil 1");
    }

    @Test
    void topicIsSetInTheRoomsAndReachesTheModelsAsTheOperatorsLine() {
        Studio s = studio().run(Duration.ofSeconds(5));
        s.say(ROOM, "!topic Lighthouses at night").run(Duration.ofSeconds(10));

        assertThat(s.room(ROOM).texts(MemoryRoom.Kind.TOPIC)).containsExactly("Lighthouses at night");
        assertThat(s.madeFor("ada").get(0).model().lastRequest().turns()).extracting(t -> t.text())
                .anyMatch(t -> t.contains("kate: Topic: Lighthouses at night"));
    }

    @Test
    void reloadAddsAConversationAndABrokenConfigIsRefusedWhileTheFirstRunsOn() {
        Studio s = studio().run(Duration.ofSeconds(5));
        ConversationConfig second = with(show(), b -> b.id("late")
                .rooms(List.of(new RoomConfig.Irc("net", "#late", Optional.empty()))));

        s.say(ROOM, "!reload check");
        assertThat(s.room(ROOM).notices()).last().asString().isEqualTo("The config has not changed.");
        s.config = s.config(show(), second);
        s.say(ROOM, "!reload check");
        assertThat(s.room(ROOM).notices()).last().asString().isEqualTo("A reload would add late.");
        assertThat(s.rooms).doesNotContainKey("late:#late");

        s.say(ROOM, "!reload").run(Duration.ofSeconds(15));
        assertThat(s.room(ROOM).notices()).contains("Reloaded: add late.");
        assertThat(s.journals("late")).hasSize(1);
        assertThat(s.said(s.journals("late").get(0))).contains("Ada: Ada 1");

        s.configBroken = true;
        s.say(ROOM, "!reload");
        assertThat(s.room(ROOM).notices()).last().asString()
                .isEqualTo("The config has 1 problem (see the log); nothing changed.");
        int before = s.said(s.journals("show").get(0)).size();
        s.run(Duration.ofSeconds(30));
        assertThat(s.said(s.journals("show").get(0)).size()).isGreaterThan(before);
    }

    @Test
    void aConversationAddedByAReloadThatCannotStartIsLeftOutAndTheOthersRunOn() {
        Studio s = studio().run(Duration.ofSeconds(5));
        s.unreachable.add("late");
        s.config = s.config(show(), with(show(), b -> b.id("late")
                .rooms(List.of(new RoomConfig.Irc("net", "#late", Optional.empty())))));

        s.say(ROOM, "!reload");
        assertThat(s.room(ROOM).notices()).contains("Reloaded: add late.");
        int before = s.said(s.journals("show").get(0)).size();
        s.run(Duration.ofSeconds(30));
        assertThat(s.finished).isNotDone();
        assertThat(s.said(s.journals("show").get(0)).size()).isGreaterThan(before);
    }
}
