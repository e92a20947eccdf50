package dev.parley.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where conversations are archived, and what a user is told when that place cannot be made. */
class ArchiveTest {
    @TempDir
    Path dir;

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
