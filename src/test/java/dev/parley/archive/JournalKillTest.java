package dev.parley.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer process killed with SIGKILL in the middle of appending: every append that returned is in the file,
 * and the journal reopens (cutting a torn tail if the kill landed mid-write) and goes on.
 */
class JournalKillTest {
    @Test
    void aKilledWriterLosesNoAcknowledgedEvent(@TempDir Path dir) throws Exception {
        killThreeTimes(dir.resolve("killed.jsonl"), null);
    }

    @Test
    void aKilledWriterCommittingThroughTheLogLosesNoAcknowledgedEvent(@TempDir Path dir) throws Exception {
        killThreeTimes(dir.resolve("killed.jsonl"), dir.resolve("logs"));
    }

    private static void killThreeTimes(Path file, Path log) throws Exception {
        long totalAcknowledged = 0;
        for (int round = 0; round < 3; round++) {
            long acknowledged = runAndKill(file, log, 1000 * (round + 1));
            if (log != null) {
                JournalCommitter.open(log).close(); // puts back what the log has beyond the file's end
            }
            assertTrue(acknowledged > totalAcknowledged, "the child made progress in round " + round);
            totalAcknowledged = acknowledged;
            long sizeBefore = Files.size(file);
            try (JsonlJournal journal = JsonlJournal.open(file)) {
                List<JournalEvent> events = journal.events();
                assertTrue(events.size() >= acknowledged,
                        "acknowledged " + acknowledged + " but only " + events.size() + " on disk");
                byte[] bytes = Files.readAllBytes(file);
                assertEquals('\n', bytes[bytes.length - 1], "the file ends on a clean line after reopening");
                System.out.printf("kill round %d: %d acknowledged, %d on disk, %d bytes torn off%n", round,
                        acknowledged, events.size(), sizeBefore - bytes.length);
                journal.append(new JournalEvent.Notice(events.size() + 1L, Instant.now(), "after the kill"));
            }
        }
    }

    /** Starts the child, waits until it has acknowledged at least {@code atLeast} appends, then SIGKILLs it. */
    private static long runAndKill(Path file, Path log, int atLeast) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                JournalWriterChild.class.getName(), file.toString(), "300"));
        if (log != null) {
            command.add(log.toString());
        }
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long last = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                last = Long.parseLong(line.trim());
                if (last >= atLeast) {
                    child.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no close()
                    break;
                }
            }
            // The child may have acknowledged a few more appends we did not read; they may only add to the file.
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child died");
        } finally {
            child.destroyForcibly();
        }
        return last;
    }
}
