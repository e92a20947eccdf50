package dev.parley.conversation;

import static dev.parley.testsupport.TestConfigs.conversation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.archive.Journal;
import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalException;
import dev.parley.archive.MemoryJournal;
import dev.parley.core.SeatId;
import dev.parley.core.VirtualScheduler;
import dev.parley.model.ModelClient;
import dev.parley.room.MemoryRoom;
import dev.parley.room.Room;
import dev.parley.room.RoomListener;
import dev.parley.testsupport.ScriptedModel;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A bug or a broken journal mid-turn ends the conversation with a reason, instead of freezing it forever. */
class BreakdownTest {
    private static final List<SeatId> IDS = List.of(SeatId.of("ada"), SeatId.of("basil"));

    private static Conversation build(Journal journal, List<Room> rooms, VirtualScheduler clock) {
        return new Conversation(ConversationTestConfigs.turns(conversation("Ada", "Basil"), 10),
                Map.<SeatId, ModelClient>of(IDS.get(0), ScriptedModel.saying("one", "three", "five"),
                        IDS.get(1), ScriptedModel.saying("two", "four", "six")),
                rooms, journal, clock, new Random(1), (s, o, l, c) -> Optional.empty(), e -> "none");
    }

    @Test
    void aRoomThatThrowsEndsTheConversationWithAReason() {
        MemoryJournal journal = new MemoryJournal();
        MemoryRoom watching = new MemoryRoom("watching", IDS);
        Room broken = new Room() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public void open(RoomListener listener) {
                IDS.forEach(s -> listener.onSeatPresence(s, true));
            }

            @Override
            public void post(SeatId seat, String text) {
                throw new IllegalStateException("no identity for " + seat + " (expected by the test)");
            }

            @Override
            public void notice(String text) { }

            @Override
            public void close() { }
        };
        VirtualScheduler clock = new VirtualScheduler();
        Conversation c = build(journal, List.of(watching, broken), clock);
        c.start();
        clock.runUntilIdle(Duration.ofHours(1));

        assertThat(c.stopped()).isCompletedWithValueMatching(r -> r.startsWith("parley hit an internal error "
                + "(IllegalStateException: no identity for ada"));
        List<JournalEvent> recorded = journal.events().stream()
                .filter(e -> !(e instanceof JournalEvent.Outgoing)).toList();
        assertThat(recorded.get(recorded.size() - 2)).isInstanceOf(JournalEvent.Stop.class);
        assertThat(watching.notices()).anyMatch(n -> n.startsWith("Conversation ended: parley hit an internal error"));
    }

    @Test
    void aJournalThatStopsWorkingSuspendsTheConversationWithOneNoticeAndTheDaemonCanExit() {
        MemoryJournal inner = new MemoryJournal();
        Journal failing = new Journal() {
            private boolean full;

            @Override
            public void append(JournalEvent event) {
                full |= event instanceof JournalEvent.Said s && "two".equals(s.text());
                if (full) {
                    throw new JournalException("cannot append event " + event.seq() + " to journal test.jsonl",
                            new IOException("No space left on device"));
                }
                inner.append(event);
            }

            @Override
            public List<JournalEvent> events() {
                return inner.events();
            }

            @Override
            public void close() { }
        };
        MemoryRoom room = new MemoryRoom("memory", IDS);
        VirtualScheduler clock = new VirtualScheduler();
        Conversation c = build(failing, List.of(room), clock);
        c.start();
        clock.runUntilIdle(Duration.ofHours(1));

        assertThat(c.stopped()).isCompletedExceptionally();
        assertThatThrownBy(() -> c.stopped().join()).hasRootCauseMessage("No space left on device")
                .hasMessageContaining("test is suspended, its archive cannot be written");
        assertThat(room.posts()).as("what was not journalled is never shown").containsExactly("one");
        assertThat(room.notices()).filteredOn(n -> n.contains("suspended")).containsExactly("This conversation is "
                + "suspended: parley cannot write its archive (No space left on device). Nothing more is said until "
                + "parley is started again with room to write.");
        assertThat(room.notices().get(room.notices().size() - 1)).contains("suspended");
        assertThat(inner.events()).noneMatch(JournalEvent.Stop.class::isInstance);
    }
}
