package dev.parley.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.archive.Journal;
import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalException;
import dev.parley.core.SeatId;
import dev.parley.core.VirtualScheduler;
import dev.parley.room.MemoryRoom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stage shows a batch only once its journal says it is durable, on the conversation's loop, in order. */
class StageTest {
    private static final SeatId ADA = SeatId.of("ada");

    /** A journal that says "durable" only when the test tells it to, on whatever thread the test is on. */
    private static final class LaterJournal implements Journal {
        final List<JournalEvent> events = new ArrayList<>();
        final List<Durable> waiting = new ArrayList<>();

        @Override
        public void append(JournalEvent event) {
            events.add(event);
        }

        @Override
        public void appendAllThen(List<JournalEvent> batch, Durable then) {
            events.addAll(batch);
            waiting.add(then);
        }

        @Override
        public List<JournalEvent> events() {
            return List.copyOf(events);
        }

        @Override
        public void close() {
        }
    }

    private final VirtualScheduler clock = new VirtualScheduler();
    private final List<Runnable> loop = new ArrayList<>();
    private final LaterJournal journal = new LaterJournal();
    private final MemoryRoom room = new MemoryRoom("#r", List.of(ADA));
    private final Stage stage = new Stage("talk", journal, List.of(room), clock, loop::add);

    private void runLoop() {
        while (!loop.isEmpty()) {
            loop.remove(0).run();
        }
    }

    private Stage.Recorded post(String text) {
        return stage.post(seq -> new JournalEvent.Said(seq, clock.now(), "Ada", JournalEvent.Said.MODEL, "ada", text,
                null, null, null, null, null, null, null, null), ADA, text);
    }

    @Test
    void aBatchToldDurableLaterOnTheSameThreadIsShownOnTheLoopNotLost() {
        post("first");
        post("second");
        assertThat(stage.showing()).isTrue();
        boolean[] ran = {false};
        stage.whenShown(() -> ran[0] = true);

        // The thread that appended is the one the journal's commit happens to run on later (a pool's thread).
        journal.waiting.forEach(Journal.Durable::done);
        assertThat(room.posts()).as("not shown from inside the journal's callback").isEmpty();

        runLoop();
        assertThat(room.posts()).containsExactly("first", "second");
        assertThat(stage.showing()).isFalse();
        assertThat(ran[0]).isTrue();
    }

    @Test
    void aFailureToldLaterStopsTheStageOnTheLoop() {
        post("first");
        journal.waiting.get(0).failed(new JournalException("disk full"));
        assertThat(stage.broken()).isFalse();
        try {
            runLoop();
        } catch (JournalException expected) {
            assertThat(expected).hasMessage("disk full");
        }
        assertThat(stage.broken()).isTrue();
        assertThat(room.posts()).isEmpty();
    }
}
