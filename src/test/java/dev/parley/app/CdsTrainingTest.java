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
    void theTrainingRunsAnEpisodeOnItsOwnIrcServerAndOneOnItsOwnHomeserverAndExitsCleanly() throws Exception {
        // At info the engine says how each episode ended.
        Process training = new ProcessBuilder(java(), "-Dparley.log=info", "-cp", System.getProperty("java.class.path"),
                CdsTraining.class.getName()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("training.log").toFile()).start();

        boolean ended = training.waitFor(CdsTraining.TRAINING_LIMIT_SECONDS, TimeUnit.SECONDS);
        if (!ended) {
            training.destroyForcibly();
        }

        assertThat(ended).as("training ended in time; its output:\n%s", Files.readString(dir.resolve("training.log")))
                .isTrue();
        String output = Files.readString(dir.resolve("training.log"));
        assertThat(training.exitValue()).as("exit code; output:\n%s", output).isZero();
        // Both starts ran to the end: a Matrix room that never opened would leave its classes out of the archive.
        assertThat(output).contains("training ended: reached the limit of 4 turns")
                .contains("training-matrix ended: reached the limit of 4 turns");
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
