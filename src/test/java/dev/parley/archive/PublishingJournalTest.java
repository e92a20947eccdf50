package dev.parley.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web's journal wrapper is the journal to everyone else: same name, same one-write batches. */
class PublishingJournalTest {
    @TempDir
    Path dir;

    @Test
    void itKeepsTheNameParcelsAreKeyedByAndPublishesABatchAfterItsOneWrite() {
        JournalFeed feed = new JournalFeed();
        try (JsonlJournal file = JsonlJournal.open(dir.resolve("talk-20260101-120000.jsonl"))) {
            PublishingJournal journal = PublishingJournal.of(file, feed);
            JournalFeed.Subscription reader = feed.subscribe(episode -> true, 10, () -> { });
            assertThat(journal.name()).isEqualTo(file.name()).isEqualTo("talk-20260101-120000");

            Instant t = Instant.parse("2026-01-01T12:00:00Z");
            journal.appendAll(List.of(new JournalEvent.Notice(1, t, "hello"),
                    new JournalEvent.Outgoing(2, t, List.of("irc #talk"), JournalEvent.Outgoing.NOTICE, null, null,
                            "hello")));

            assertThat(file.events()).hasSize(2);
            assertThat(reader.drain()).extracting(p -> p.event().seq()).containsExactly(1L, 2L);
        }
    }
}
