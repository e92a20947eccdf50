package dev.parley.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where conversations are archived, which episode is left to resume, and what a user is told when that place
 * cannot be made. */
class ArchiveTest {
    private static final Instant T = Instant.parse("2026-11-29T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void theNewestJournalWithoutAStopIsTheOneToResume() {
        Archive archive = new Archive(dir, ZoneId.of("UTC"));
        assertThat(archive.unfinishedJournal("talk")).isEmpty();
        try (JsonlJournal j = archive.newJournal("talk", T)) {
            // A message that quotes a stop event is a message: its quotes are escaped in the line.
            j.appendAll(List.of(new JournalEvent.Notice(1, T, "{\"type\":\"stop\",\"seq\":2}"),
                    new JournalEvent.Notice(2, T, "still going")));
        }
        Optional<JsonlJournal> unfinished = archive.unfinishedJournal("talk");
        assertThat(unfinished).isPresent();
        try (JsonlJournal j = unfinished.get()) {
            assertThat(j.events()).hasSize(2);
            j.appendAll(List.of(new JournalEvent.Stop(3, T, "done"), new JournalEvent.Notice(4, T, "Conversation ended")));
        }
        assertThat(archive.unfinishedJournal("talk")).as("a stop followed by its notice").isEmpty();
    }

    @Test
    void aStopWrittenWithItsTypeNotFirstStillEndsTheEpisode() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("talk"));
        Files.writeString(folder.resolve("talk-20261129-100000.jsonl"),
                "{\"type\":\"notice\",\"seq\":1,\"ts\":\"2026-11-29T10:00:00Z\",\"text\":\"hello\"}\n"
                        + "{\"seq\":2,\"ts\":\"2026-11-29T10:00:01Z\",\"reason\":\"by hand\",\"type\":\"stop\"}\n");
        assertThat(new Archive(dir, ZoneId.of("UTC")).unfinishedJournal("talk")).isEmpty();
    }

    @Test
    void aTranscriptsDirThatCannotBeCreatedSaysWhyInTheOperatingSystemsWords() throws Exception {
        Path file = Files.writeString(dir.resolve("tr"), "a file, not a directory");
        Throwable underAFile = catchThrowable(() -> new Archive(file.resolve("torture"), ZoneId.of("UTC"))
                .openJournal("talk", Instant.EPOCH));
        assertThat(underAFile).hasMessage("cannot create " + file.resolve("torture").resolve("talk")
                + ": Not a directory (" + file.resolve("torture") + ")");

        Throwable isAFile = catchThrowable(() -> new Archive(dir, ZoneId.of("UTC")).openJournal("tr", Instant.EPOCH));
        assertThat(isAFile).hasMessage("cannot create " + file + ": it exists and is not a directory");
    }
}
