package dev.parley.host;

import static dev.parley.testsupport.TestConfigs.conversation;
import static dev.parley.testsupport.TestConfigs.pacing;
import static dev.parley.testsupport.TestConfigs.stop;
import static dev.parley.testsupport.TestConfigs.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.archive.JournalEvent;
import dev.parley.config.ConversationConfig;
import dev.parley.config.HostingConfig;
import dev.parley.config.RoomConfig;
import dev.parley.config.TimeWindow;
import dev.parley.core.SeatId;
import dev.parley.room.MemoryRoom;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host's life cycle in virtual time: episodes, waiting, cool-downs, windows, restarts, the cap. */
class HostTest {
    static final Instant NOON = Instant.parse("2026-03-02T12:00:00Z");
    static final String ROOM = "show:#show";

    @TempDir
    Path dir;

    /** Two seats in one (non-terminal) room, 2 turns an episode, hosted as {@code hosting} says. */
    static ConversationConfig show(HostingConfig hosting, String... seats) {
        return with(conversation(seats.length == 0 ? new String[] {"Ada", "Basil"} : seats), b -> b.id("show")
                .rooms(List.of(new RoomConfig.Irc("net", "#show", Optional.empty())))
                .stop(stop(2))
                .hosting(hosting));
    }

    static HostingConfig waiting() {
        return HostingConfig.DEFAULT;
    }

    static HostingConfig next(Duration coolDown, int max) {
        return new HostingConfig(List.of(), HostingConfig.AfterEnd.NEXT, coolDown, max, List.of(),
                HostingConfig.NextCast.SAME);
    }

    @Test
    void anEpisodeEndsTheRoomsStayAndStartBeginsEpisodeTwoWithANewJournal() {
        Studio s = new Studio(dir, NOON, show(waiting())).start();
        s.run(Duration.ofMinutes(1));

        List<Path> journals = s.journals("show");
        assertThat(journals).hasSize(1);
        assertThat(s.said(journals.get(0))).containsExactly("Ada: Ada 1", "Basil: Basil 1");
        assertThat(s.startOf(journals.get(0)).episode()).isEqualTo(1);
        MemoryRoom room = s.room(ROOM);
        assertThat(room.closed()).isFalse();
        assertThat(room.notices()).last().asString()
                .isEqualTo("Episode 1 is over. An operator starts the next with !start [opening line].");
        assertThat(s.transcriptOf(journals.get(0))).isPresent();

        s.say(ROOM, "!start Tell me about tides.").run(Duration.ofMinutes(1));

        journals = s.journals("show");
        assertThat(journals).hasSize(2);
        JournalEvent.Start second = s.startOf(journals.get(1));
        assertThat(second.episode()).isEqualTo(2);
        assertThat(second.openingLine()).isEqualTo("Tell me about tides.");
        assertThat(s.said(journals.get(1))).containsExactly("Ada: Ada 1", "Basil: Basil 1");
        assertThat(s.madeFor("ada").get(1).model().requests().get(0).turns().get(0).text())
                .isEqualTo("Tell me about tides.");
        assertThat(s.finished).isNotDone();
    }

    @Test
    void betweenEpisodesEpisodeCommandsAreRefusedAndStatusSaysWhatComesNext() {
        Studio s = new Studio(dir, NOON, show(waiting())).start().run(Duration.ofMinutes(1));

        s.say(ROOM, "!pause").say(ROOM, "!status").say(ROOM, "!cast ada basil").say(ROOM, "!cast ada");
        s.room(ROOM).say("mallory", "!start", false);
        s.settle();

        assertThat(s.room(ROOM).notices()).containsSequence(
                "No episode is running; !start begins one.",
                "Episode 1 ended (reached the limit of 2 turns); next: Ada ↔ Basil, waits for !start.",
                "Next episode: Ada ↔ Basil.",
                "A cast needs at least 2 seats; roster: ada (Ada), basil (Basil).",
                "mallory: sorry, only operators can run !start");
        assertThat(s.journals("show")).hasSize(1);
    }

    @Test
    void afterACoolDownTheNextEpisodeStartsByItself() {
        Studio s = new Studio(dir, NOON, show(next(Duration.ofMinutes(5), 0))).start().run(Duration.ofSeconds(30));

        assertThat(s.journals("show")).hasSize(1);
        assertThat(s.room(ROOM).notices()).contains("Episode 2 starts at 12:05 (in 5 min).");
        s.run(Duration.ofMinutes(4));
        assertThat(s.journals("show")).hasSize(1);
        s.run(Duration.ofMinutes(1));
        assertThat(s.journals("show")).hasSize(2);
        assertThat(s.startOf(s.journals("show").get(1)).episode()).isEqualTo(2);
    }

    @Test
    void noEpisodeStartsOutsideTheTimeWindows() {
        HostingConfig evenings = new HostingConfig(List.of(), HostingConfig.AfterEnd.WAIT, Duration.ZERO, 0,
                List.of(new TimeWindow(LocalTime.of(18, 0), LocalTime.of(23, 0))), HostingConfig.NextCast.SAME);
        Studio s = new Studio(dir, NOON, show(evenings)).start();

        assertThat(s.room(ROOM).notices()).containsExactly("Episode 1 starts at 18:00 (in 6 h 0 min).");
        s.say(ROOM, "!start");
        assertThat(s.room(ROOM).notices()).last().asString().isEqualTo(
                "Episodes start only in 18:00-23:00 (UTC); the next window opens at 18:00 (in 6 h 0 min).");
        s.run(Duration.ofHours(5).plusMinutes(59));
        assertThat(s.journals("show")).isEmpty();

        s.run(Duration.ofMinutes(2));
        assertThat(s.journals("show")).hasSize(1);
        assertThat(s.startOf(s.journals("show").get(0)).ts()).isEqualTo(Instant.parse("2026-03-02T18:00:00Z"));
    }

    @Test
    void aRestartWhileWaitingKeepsWaitingAndCountsOn() {
        new Studio(dir, NOON, show(waiting())).start().run(Duration.ofMinutes(1));

        // The process died between episodes (no shutdown): a new host reads the series' state.
        Studio again = new Studio(dir, NOON.plusSeconds(3600), show(waiting())).start().run(Duration.ofMinutes(1));
        assertThat(again.journals("show")).hasSize(1);
        assertThat(again.room(ROOM).notices())
                .containsExactly("Episode 1 is over. An operator starts the next with !start [opening line].");

        again.say(ROOM, "!start").run(Duration.ofMinutes(1));
        assertThat(again.journals("show")).hasSize(2);
        assertThat(again.startOf(again.journals("show").get(1)).episode()).isEqualTo(2);
    }

    @Test
    void aRestartWhileScheduledStartsAtTheSameTime() {
        new Studio(dir, NOON, show(next(Duration.ofMinutes(30), 0))).start().run(Duration.ofMinutes(1));

        Studio again = new Studio(dir, NOON.plusSeconds(600), show(next(Duration.ofMinutes(30), 0))).start();
        assertThat(again.room(ROOM).notices()).containsExactly("Episode 2 starts at 12:30 (in 20 min).");
        again.run(Duration.ofMinutes(19));
        assertThat(again.journals("show")).hasSize(1);
        again.run(Duration.ofMinutes(2));
        assertThat(again.journals("show")).hasSize(2);
    }

    @Test
    void afterTheLastEpisodeOfTheCapTheSeriesLeavesAndStaysDone() throws Exception {
        Studio s = new Studio(dir, NOON, show(next(Duration.ZERO, 2))).start().run(Duration.ofMinutes(5));

        assertThat(s.journals("show")).hasSize(2);
        assertThat(s.room(ROOM).notices()).contains("That was the last episode (2 of 2).");
        s.finished.get(5, TimeUnit.SECONDS);
        assertThat(s.room(ROOM).closed()).isTrue();

        Studio again = new Studio(dir, NOON.plusSeconds(3600), show(next(Duration.ZERO, 2))).start();
        again.finished.get(5, TimeUnit.SECONDS);
        assertThat(again.rooms).isEmpty();
        assertThat(again.journals("show")).hasSize(2);
    }

    @Test
    void aConversationShownOnlyInTheTerminalLeavesAfterItsEpisode() throws Exception {
        ConversationConfig demo = with(conversation("Ada", "Basil"), b -> b.id("demo").stop(stop(2)));
        Studio s = new Studio(dir, NOON, demo).start().run(Duration.ofMinutes(1));

        s.finished.get(5, TimeUnit.SECONDS);
        assertThat(s.journals("demo")).hasSize(1);
    }

    @Test
    void castPicksWhoJoinsAndPlaysTheNextEpisode() {
        HostingConfig two = new HostingConfig(List.of(SeatId.of("ada"), SeatId.of("basil")),
                HostingConfig.AfterEnd.WAIT, Duration.ZERO, 0, List.of(), HostingConfig.NextCast.SAME);
        Studio s = new Studio(dir, NOON, show(two, "Ada", "Basil", "Cyd")).start();
        assertThat(s.room(ROOM).seats()).containsExactlyInAnyOrder(SeatId.of("ada"), SeatId.of("basil"));
        s.run(Duration.ofMinutes(1));

        s.say(ROOM, "!cast nobody basil");
        assertThat(s.room(ROOM).notices()).last().asString()
                .isEqualTo("No seat \"nobody\" in the roster; roster: ada (Ada), basil (Basil), cyd (Cyd).");
        s.say(ROOM, "!cast basil cyd");
        assertThat(s.room(ROOM).shown()).filteredOn(x -> x.kind() == MemoryRoom.Kind.JOIN
                        || x.kind() == MemoryRoom.Kind.PART)
                .extracting(x -> x.kind() + " " + x.seat()).containsExactly("PART ada", "JOIN cyd");
        s.say(ROOM, "!start").run(Duration.ofMinutes(1));

        Path second = s.journals("show").get(1);
        assertThat(s.startOf(second).seats()).extracting(JournalEvent.SeatInfo::id).containsExactly("basil", "cyd");
        assertThat(s.said(second)).containsExactly("Basil: Basil 1", "Cyd: Cyd 1");
    }

    @Test
    void castIsRefusedWhileAnEpisodeRuns() {
        ConversationConfig slow = with(show(waiting(), "Ada", "Basil", "Cyd"), b -> b.pacing(pacing(5000, 5000)));
        Studio s = new Studio(dir, NOON, slow).start();
        s.say(ROOM, "!cast ada cyd");
        assertThat(s.room(ROOM).notices()).contains(
                "An episode is running; !cast picks who plays the next one, once it is over.");
        assertThat(s.room(ROOM).seats()).hasSize(3);
    }
}
