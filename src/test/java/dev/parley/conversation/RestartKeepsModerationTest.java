package dev.parley.conversation;

import static dev.parley.testsupport.TestConfigs.conversation;
import static dev.parley.testsupport.TestConfigs.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.archive.JournalEvent;
import dev.parley.archive.MemoryJournal;
import dev.parley.config.ConversationConfig;
import dev.parley.core.SeatId;
import dev.parley.core.Speaker;
import dev.parley.testsupport.ScriptedModel;
import dev.parley.testsupport.TestConfigs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What moderators decided outlives a restart: a pause stays until {@code !resume}, a mute until {@code !unmute}. */
class RestartKeepsModerationTest {
    private static final ConversationConfig CONFIG = with(conversation("Ada", "Basil"),
            b -> b.stop(TestConfigs.stop(8)).pacing(ConversationTest.TestPacing.fixed(1000)));

    private static ScriptedModel counting(String name) {
        int[] n = {0};
        return new ScriptedModel().otherwise(r -> name + " says thing number " + ++n[0] + " of " + name);
    }

    @Test
    void aConversationPausedWhenTheProcessDiedPicksUpPausedUntilResume() {
        MemoryJournal journal = new MemoryJournal();
        Table first = new Table(CONFIG, journal, counting("a"), counting("b")).start();
        first.run(Duration.ofMillis(2000));
        first.say("kate", "!pause", true);
        first.run(Duration.ofSeconds(5));
        int before = first.said().size();

        Table second = new Table(CONFIG, journal, counting("a2"), counting("b2")).start();
        second.run(Duration.ofMinutes(10));
        assertThat(second.said()).hasSize(before);
        assertThat(second.room.posts()).isEmpty();
        assertThat(second.room.notices()).singleElement().asString()
                .contains("still paused by kate").endsWith("!resume goes on.");

        second.say("kate", "!resume", true);
        second.runToEnd();
        assertThat(second.said()).extracting(JournalEvent.Said::turn).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void aResumedPauseIsNotKeptAndNeitherIsAPauseForASeatAway() {
        MemoryJournal journal = new MemoryJournal();
        Table first = new Table(CONFIG, journal, counting("a"), counting("b")).start();
        first.run(Duration.ofMillis(1000));
        first.say("kate", "!pause", true).say("kate", "!resume", true);
        first.run(Duration.ofMillis(1000));
        first.room.presence(SeatId.of("basil"), false);
        first.clock.runDue();
        assertThat(first.journal.events()).filteredOn(JournalEvent.Pause.class::isInstance).hasSize(2);

        Table second = new Table(CONFIG, journal, counting("a2"), counting("b2")).start().runToEnd();
        assertThat(second.said()).hasSize(8);
        assertThat(second.room.notices()).noneMatch(n -> n.contains("still paused"));
    }

    @Test
    void aSeatMutedBeforeTheRestartStaysMutedUntilUnmute() {
        MemoryJournal journal = new MemoryJournal();
        Table first = new Table(CONFIG, journal, counting("a"), counting("b")).start();
        first.run(Duration.ofMillis(1000));
        first.say("kate", "!mute basil", true);
        first.run(Duration.ofMillis(3000));

        Table second = new Table(CONFIG, journal, counting("a2"), counting("b2")).start();
        second.run(Duration.ofSeconds(2));
        assertThat(second.saidBy()).hasSize(6).noneMatch(line -> line.startsWith("Basil: b2"));
        second.say("kate", "!unmute basil", true).runToEnd();
        assertThat(second.saidBy()).anyMatch(line -> line.startsWith("Basil: b2"));
        assertThat(journal.events()).filteredOn(JournalEvent.Steer.class::isInstance)
                .extracting(e -> ((JournalEvent.Steer) e).action())
                .containsExactly(JournalEvent.Steer.MUTE, JournalEvent.Steer.UNMUTE);
    }

    @Test
    void theJournalSaysWhoIsMutedAndWhichPauseStands() {
        Instant t = Instant.parse("2026-11-29T10:00:00Z");
        Map<SeatId, Speaker> seats = Map.of(SeatId.of("ada"), Speaker.seat(SeatId.of("ada"), "Ada"),
                SeatId.of("basil"), Speaker.seat(SeatId.of("basil"), "Basil"));
        List<JournalEvent> events = List.of(
                new JournalEvent.Withheld(1, t, "basil", "Basil", "bad", "words.txt:3", "", "muted"),
                new JournalEvent.Steer(2, t, "kate", JournalEvent.Steer.MUTE, "ada", null),
                new JournalEvent.Steer(3, t, "kate", JournalEvent.Steer.UNMUTE, "ada", null),
                new JournalEvent.Failure(4, t, "ada", "PERMANENT", "no such model", "muted"),
                new JournalEvent.Pause(5, t, "parley", "by the health monitor: nothing new"));
        Resumption r = Resumption.of(events, seats);
        assertThat(r.steering().muted()).containsExactly(SeatId.of("basil"));
        assertThat(r.pause()).get().extracting(JournalEvent.Pause::reason).asString().startsWith("by the health");
    }
}
