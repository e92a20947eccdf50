package dev.parley.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void aFileIsReplacedWholeAndNothingIsLeftBeside() throws IOException {
        Path file = dir.resolve("sub/state.json");
        AtomicFile.replace(file, "old".getBytes(StandardCharsets.UTF_8));
        AtomicFile.replace(file, "new".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(file)).isEqualTo("new");
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void theFreshFileIsBornWithTheGivenPermissions() throws IOException {
        Path file = dir.resolve("secret.json");
        AtomicFile.replace(file, "{}".getBytes(StandardCharsets.UTF_8),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aReplaceThatFailsKeepsTheOldFileAndLeavesNoFreshOne() throws IOException {
        Path taken = Files.createDirectories(dir.resolve("taken"));
        Files.writeString(taken.resolve("inside"), "x"); // a non-empty directory cannot be replaced by a file
        assertThatThrownBy(() -> AtomicFile.replace(taken, "new".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
        assertThat(Files.isDirectory(taken)).isTrue();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(taken);
        }
    }
}
