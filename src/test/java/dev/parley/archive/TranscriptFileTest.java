package dev.parley.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transcript file as it lands on disk beside its journal. */
class TranscriptFileTest {
    @TempDir
    Path dir;

    @Test
    void theTranscriptGetsTheSamePermissionsAsTheJournalBesideIt() throws Exception {
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
        Path journalFile = dir.resolve("c.jsonl");
        JsonlJournal.open(journalFile).close();
        Path transcript = dir.resolve("c.md");
        LocalDateTime at = LocalDateTime.of(2026, 1, 2, 3, 4, 5);
        TranscriptWriter.write(new Transcript(List.of("Ada", "Basil"), at, at,
                List.of(new Transcript.Entry("Ada", "Hello."))), transcript);

        assertThat(Files.getPosixFilePermissions(transcript)).isEqualTo(Files.getPosixFilePermissions(journalFile));
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("c.jsonl", "c.md");
        }
    }
}
