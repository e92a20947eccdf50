package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalReader;
import dev.parley.archive.Transcript;
import dev.parley.archive.TranscriptParser;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command: {@code java -jar parley.jar} with no arguments, from an empty directory, nobody
 * typing. The bundled demo runs to its end and leaves a transcript of exactly the bundled dialogue.
 */
class DefaultRunIT {
    @Test
    void theJarWithNoArgumentsRunsTheDemoToItsEnd(@TempDir Path workDir) throws Exception {
        long started = System.nanoTime();
        int exit;
        String stdout;
        try (ParleyProcess parley = ParleyProcess.start(workDir, "default")) {
            exit = parley.waitFor(Duration.ofMinutes(3));
            stdout = parley.stdout();
            assertThat(exit).as("exit code\n%s", parley.output()).isEqualTo(0);
            // Logging is bound by Main (LogProvider), and SLF4J does not say so on every start.
            assertThat(parley.stderr()).doesNotContain("SLF4J");
        }
        System.out.printf("DefaultRunIT: the demo ran in %.1f s%n", (System.nanoTime() - started) / 1e9);

        Path transcriptFile = workDir.resolve(found(stdout, "Transcript: (.+)"));
        Path journalFile = workDir.resolve(found(stdout, "Journal: +(.+)"));
        assertThat(transcriptFile).isRegularFile().hasFileName(
                journalFile.getFileName().toString().replace(".jsonl", ".md"));
        assertThat(journalFile).isRegularFile();
        assertThat(transcriptFile.toAbsolutePath().normalize())
                .startsWith(workDir.resolve("transcripts").toAbsolutePath());

        Transcript transcript = TranscriptParser.read(transcriptFile);
        assertThat(transcript.title()).containsExactly("Ada", "Basil");
        assertThat(String.join(" ↔ ", transcript.title())).isEqualTo("Ada ↔ Basil");
        assertThat(transcript.messages()).isEqualTo(bundledDemo().messages());
        assertThat(transcript.messages().get(transcript.messages().size() - 1).text()).contains("^C^C");

        List<JournalEvent> journal = JournalReader.read(journalFile);
        assertThat(ParleyProcess.finalStop(journal).reason()).contains("end token");
        assertThat(ParleyProcess.messages(journal)).extracting(JournalEvent.Said::text)
                .isEqualTo(transcript.messages().stream().map(Transcript.Entry::text).toList());
    }

    private static Transcript bundledDemo() throws Exception {
        try (InputStream in = DefaultRunIT.class.getClassLoader().getResourceAsStream("dialogues/demo.md")) {
            assertThat(in).as("dialogues/demo.md on the classpath").isNotNull();
            return TranscriptParser.parse(in.readAllBytes());
        }
    }

    private static String found(String stdout, String regex) {
        Matcher m = Pattern.compile("(?m)^" + regex + "$").matcher(stdout);
        assertThat(m.find()).as("stdout has a line matching %s:\n%s", regex, stdout).isTrue();
        return m.group(1).strip();
    }
}
