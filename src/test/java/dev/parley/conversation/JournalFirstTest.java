package dev.parley.conversation;

import static dev.parley.testsupport.TestConfigs.conversation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.archive.JournalEvent;
import dev.parley.archive.MemoryJournal;
import dev.parley.core.SeatId;
import dev.parley.core.VirtualScheduler;
import dev.parley.model.ModelClient;
import dev.parley.room.Room;
import dev.parley.room.RoomListener;
import dev.parley.testsupport.ScriptedModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The journal is the source of truth: whatever a room is shown must already be in it. */
class JournalFirstTest {
    @Test
    void everyPostAndNoticeIsAlreadyJournalledWhenTheRoomSeesIt() {
        var config = conversation("Ada", "Basil");
        MemoryJournal journal = new MemoryJournal();
        List<String> violations = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        Room checking = new Room() {
            @Override
            public String name() {
                return "checking";
            }

            @Override
            public void open(RoomListener listener) {
                config.seats().forEach(s -> listener.onSeatPresence(s.id(), true));
            }

            @Override
            public void post(SeatId seat, String text) {
                seen.add(text);
                boolean journalled = journal.events().stream().anyMatch(e ->
                        e instanceof JournalEvent.Said s && s.text().equals(text) && s.seat().equals(seat.value()));
                if (!journalled) {
                    violations.add(text);
                }
            }

            @Override
            public void notice(String text) {
                seen.add(text);
                if (journal.events().stream().noneMatch(e -> e instanceof JournalEvent.Notice n
                        && n.text().equals(text))) {
                    violations.add(text);
                }
            }

            @Override
            public void close() { }
        };
        VirtualScheduler clock = new VirtualScheduler();
        Map<SeatId, ModelClient> models = Map.of(
                SeatId.of("ada"), ScriptedModel.saying("one", "three"),
                SeatId.of("basil"), ScriptedModel.saying("two", "four"));
        Conversation c = new Conversation(ConversationTestConfigs.turns(config, 4), models, List.of(checking),
                journal, clock, new Random(1), (s, o, l, ctl) -> Optional.empty(), e -> "none");
        c.start();
        clock.runUntilIdle(Duration.ofHours(1));

        assertThat(seen).contains("one", "two", "three", "four");
        assertThat(violations).isEmpty();
        assertThat(c.stopped()).isDone();
    }
}
