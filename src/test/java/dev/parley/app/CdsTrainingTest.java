package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data-sharing step of {@code mvn package} must never fail a build, and its training run must keep
 * working as the config and the engine change (a broken training would only show as a slower start).
 */
class CdsTrainingTest {
    @TempDir
    Path dir;

    @Test
    void theTrainingRunsAnEpisodeAgainstItsOwnIrcServerAndExitsCleanly() throws Exception {
        Process training = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
                CdsTraining.class.getName()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("training.log").toFile()).start();

        boolean ended = training.waitFor(CdsTraining.TRAINING_LIMIT_SECONDS, TimeUnit.SECONDS);
        if (!ended) {
            training.destroyForcibly();
        }

        assertThat(ended).as("training ended in time; its output:\n%s", Files.readString(dir.resolve("training.log")))
                .isTrue();
        assertThat(training.exitValue()).as("exit code; output:\n%s", Files.readString(dir.resolve("training.log")))
                .isZero();
    }

    @Test
    void aTrainingThatCannotRunLeavesNoArchiveAndDoesNotThrow() {
        Path archive = dir.resolve("parley.jsa");

        boolean made = CdsTraining.makeArchive(archive, List.of("-XX:+NoSuchOptionInAnyJvm"));

        assertThat(made).isFalse();
        assertThat(archive).doesNotExist();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
