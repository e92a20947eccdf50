package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.archive.JournalEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptPlacesTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static JournalEvent.Said said(long seq, String seat, String text) {
        return new JournalEvent.Said(seq, T, seat, seat == null ? JournalEvent.Said.HUMAN : JournalEvent.Said.MODEL,
                seat, text, null, null, null, null, null, null, null, null);
    }

    @Test
    void theReplyBeingStreamedWhenKilledCountsAsSaid() {
        List<JournalEvent> journal = List.of(
                said(1, "ada", "one"),
                said(2, null, "a human"),
                new JournalEvent.Draft(3, T, "basil", "first paragraph of two"),
                new JournalEvent.Draft(4, T, "basil", "second paragraph"),
                new JournalEvent.Draft(5, T, "ada", "streamed, then finished"),
                said(6, "ada", "streamed, then finished\n\nand its end"));

        ScriptPlaces places = ScriptPlaces.of(journal);

        assertThat(places.saidBy("ada")).isEqualTo(2);
        assertThat(places.saidBy("basil")).as("its unfinished reply becomes its message on resume").isEqualTo(1);
        assertThat(places.saidBy("carol")).isZero();
        assertThat(places.messages()).isEqualTo(4);
    }
}
