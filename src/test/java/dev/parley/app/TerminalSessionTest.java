package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.archive.Archive;
import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalReader;
import dev.parley.archive.TranscriptParser;
import dev.parley.config.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parley run} in-process with lines on stdin, as a person at the terminal would type them: a plain line
 * is a human message the transcript keeps, and {@code !stop} (the terminal's human is an operator) ends it.
 */
class TerminalSessionTest {
    @TempDir
    Path dir;

    @Test
    void aTypedLineIsAMessageAndBangStopEndsTheConversation() throws Exception {
        Path conf = dir.resolve("demo.conf");
        Files.writeString(conf, """
                transcripts-dir = "%s"
                conversations = [
                  {
                    id = typed
                    seats = [
                      { id = ada, name = Ada, model { provider = replay, replay { transcript = "classpath:dialogues/demo.md" } } }
                      { id = basil, name = Basil, model { provider = replay, replay { transcript = "classpath:dialogues/demo.md" } } }
                    ]
                    rooms = [ { type = terminal, human-name = "Zoe", colours = false } ]
                    # Long enough that both typed lines are read before the first seat speaks.
                    pacing { min-delay = 2s, max-delay = 2s, typing-chars-per-second = 0 }
                  }
                ]
                """.formatted(dir.resolve("transcripts").toString().replace("\\", "\\\\")));
        ByteArrayInputStream stdin = new ByteArrayInputStream(
                "hello from the keyboard\n!stop that will do\n".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = new Cli(stdin, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), ConfigLoader.withEnvironment(Map.of()));
        FutureTask<Integer> task = new FutureTask<>(() -> cli.run("run", "--config", conf.toString()));
        Thread runner = new Thread(task, "terminal-session-under-test");
        runner.setDaemon(true);
        runner.start();

        assertThat(task.get(30, TimeUnit.SECONDS)).as("exit code; stderr %s", err).isEqualTo(0);

        String shown = out.toString(StandardCharsets.UTF_8);
        assertThat(shown).contains("* Conversation ended: stopped by Zoe: that will do.");
        Path journal;
        try (var files = Files.list(dir.resolve("transcripts/typed"))) {
            journal = files.filter(f -> f.toString().endsWith(".jsonl")).findFirst().orElseThrow();
        }
        List<JournalEvent> events = JournalReader.read(journal);
        assertThat(ReplayTest.lastStop(events).reason()).isEqualTo("stopped by Zoe: that will do");
        assertThat(events).filteredOn(JournalEvent.Command.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((JournalEvent.Command) e).authorized()).isTrue());
        List<JournalEvent.Said> said = ParleyProcess.messages(events);
        assertThat(said).singleElement().satisfies(m -> {
            assertThat(m.speaker()).isEqualTo("Zoe");
            assertThat(m.isModel()).isFalse();
            assertThat(m.text()).isEqualTo("hello from the keyboard");
        });
        assertThat(TranscriptParser.read(Archive.transcriptOf(journal)).messages())
                .extracting(e -> e.speaker() + ": " + e.text()).containsExactly("Zoe: hello from the keyboard");
        assertThat(shown).contains("Transcript: " + Archive.transcriptOf(journal));
    }
}
