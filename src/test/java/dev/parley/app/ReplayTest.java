package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalReader;
import dev.parley.archive.Transcript;
import dev.parley.archive.TranscriptParser;
import dev.parley.archive.TranscriptWriter;
import dev.parley.config.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parley replay TRANSCRIPT --config CONF}, in-process with zero pacing and a terminal room on an empty
 * stdin: the staged conversation says the archived messages again, in order, and the health monitor still
 * stops a degenerate one.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReplayTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void aReplayedTranscriptHasTheSameMessagesInTheSameOrder() throws Exception {
        List<Transcript.Entry> said = List.of(
                new Transcript.Entry("Ada", " "),
                new Transcript.Entry("Basil", "Hello? Did you mean to say something, Ada?"),
                new Transcript.Entry("Ada", "Sorry, here is my list:\n\n---\n\nfirst item, after a rule"),
                new Transcript.Entry("Carol", "Hi both, I am only watching today."),
                new Transcript.Entry("Basil", "Welcome, Carol! We were discussing lists with rules in them."),
                new Transcript.Entry("Ada", "Horizontal rules, to be precise; Markdown makes them from three dashes."),
                new Transcript.Entry("Basil", "Then I shall draw one under this conversation. Goodbye."));
        Path original = writeTranscript("talk.md", said);
        Transcript expected = TranscriptParser.read(original);
        assertThat(expected.messages()).isEqualTo(said);

        int code = replay(original);

        assertThat(code).as("exit code; stderr: %s", err).isEqualTo(0);
        Path transcript = onlyFile(dir.resolve("transcripts/replay-talk"), ".md");
        Transcript replayed = TranscriptParser.read(transcript);
        assertThat(replayed.title()).containsExactly("Ada", "Basil");
        assertThat(replayed.messages()).isEqualTo(expected.messages());
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Transcript: " + transcript);
        List<JournalEvent> journal = JournalReader.read(onlyFile(dir.resolve("transcripts/replay-talk"), ".jsonl"));
        assertThat(lastStop(journal).reason()).startsWith("reached the limit of 6 turns");
        List<JournalEvent.Said> messages = journal.stream().filter(JournalEvent.Said.class::isInstance)
                .map(JournalEvent.Said.class::cast).toList();
        assertThat(messages).filteredOn(m -> m.speaker().equals("Carol"))
                .singleElement().satisfies(m -> assertThat(m.isModel()).isFalse());
        assertThat(messages).filteredOn(JournalEvent.Said::isModel).extracting(JournalEvent.Said::turn)
                .containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void humansBeforeTheFirstAndAfterTheLastSeatMessageAreReplayedToo() throws Exception {
        List<Transcript.Entry> said = List.of(
                new Transcript.Entry("Dora", "Good evening, both; the floor is yours."),
                new Transcript.Entry("Ada", "Thank you, Dora. Shall we talk about kites?"),
                new Transcript.Entry("Basil", "Kites, and the strings that hold them down."),
                new Transcript.Entry("Dora", "Lovely. That is all we have time for tonight."));
        Path original = writeTranscript("evening.md", said);

        assertThat(replay(original)).as("exit code; stderr: %s", err).isEqualTo(0);

        Path transcript = onlyFile(dir.resolve("transcripts/replay-evening"), ".md");
        assertThat(TranscriptParser.read(transcript).messages()).isEqualTo(said);
        List<JournalEvent> journal = JournalReader.read(onlyFile(dir.resolve("transcripts/replay-evening"), ".jsonl"));
        assertThat(lastStop(journal).reason()).isEqualTo("stopped by replay: the end of the transcript");
    }

    @Test
    void aTranscriptOfHumansOnlyIsReplayedAndEnds() throws Exception {
        List<Transcript.Entry> said = List.of(
                new Transcript.Entry("Dora", "Is anyone here yet?"),
                new Transcript.Entry("Emil", "Only me, and the seats never came."));
        Path original = writeTranscript("empty-stage.md", said);

        assertThat(replay(original)).as("exit code; stderr: %s", err).isEqualTo(0);

        Path transcript = onlyFile(dir.resolve("transcripts/replay-empty-stage"), ".md");
        assertThat(TranscriptParser.read(transcript).messages()).isEqualTo(said);
    }

    @Test
    void theHealthMonitorStopsADegenerateReplay() throws Exception {
        List<Transcript.Entry> pingPong = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pingPong.add(i % 2 == 0 ? new Transcript.Entry("Ada", "ack") : new Transcript.Entry("Basil", "ok"));
        }
        Path original = writeTranscript("acks.md", pingPong);

        assertThat(replay(original)).as("exit code; stderr: %s", err).isEqualTo(0);

        List<JournalEvent> journal = JournalReader.read(onlyFile(dir.resolve("transcripts/replay-acks"), ".jsonl"));
        JournalEvent.Stop stop = lastStop(journal);
        assertThat(stop.reason()).startsWith("the health monitor");
        assertThat(journal).filteredOn(JournalEvent.Health.class::isInstance).singleElement()
                .extracting(e -> ((JournalEvent.Health) e).rule()).isEqualTo("repeat");
        long messages = journal.stream().filter(JournalEvent.Said.class::isInstance).count();
        assertThat(messages).as("stopped well before the script ran out").isLessThan(20);
    }

    /**
     * The stop event, which must be the last event but for the notices saying so in the rooms (the engine
     * journals "Conversation ended: ..." right after the stop, since everything shown in a room is journalled)
     * and the {@code !stop} command that caused it (journalled with its answer, so after the stop), each with what
     * the rooms are to show of it.
     */
    static JournalEvent.Stop lastStop(List<JournalEvent> journal) {
        int i = journal.size() - 1;
        while (i > 0 && saysItStopped(journal.get(i))) {
            i--;
        }
        assertThat(journal.get(i)).as("last event but notices and the stop command")
                .isInstanceOf(JournalEvent.Stop.class);
        assertThat(journal.stream().filter(JournalEvent.Stop.class::isInstance)).hasSize(1);
        return (JournalEvent.Stop) journal.get(i);
    }

    private static boolean saysItStopped(JournalEvent e) {
        return e instanceof JournalEvent.Notice || e instanceof JournalEvent.Outgoing
                || e instanceof JournalEvent.Command c && c.text().contains("stop");
    }

    private int replay(Path transcript) throws IOException {
        Path conf = dir.resolve("replay.conf");
        Files.writeString(conf, """
                transcripts-dir = "%s"
                conversations = [
                  {
                    id = base
                    seats = [
                      { id = x, model { provider = replay, replay { transcript = "classpath:dialogues/demo.md", speaker = Ada } } }
                      { id = y, model { provider = replay, replay { transcript = "classpath:dialogues/demo.md", speaker = Basil } } }
                    ]
                    rooms = [ { type = terminal, colours = false } ]
                    pacing { min-delay = 0s, max-delay = 0s, typing-chars-per-second = 0 }
                  }
                ]
                """.formatted(dir.resolve("transcripts").toString().replace("\\", "\\\\")));
        Cli cli = new Cli(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), ConfigLoader.withEnvironment(Map.of()));
        // Run on a thread of its own so a replay that never ends fails here, showing its journal, instead of
        // hanging the build.
        FutureTask<Integer> task = new FutureTask<>(() -> cli.run("replay", transcript.toString(), "--config",
                conf.toString()));
        Thread runner = new Thread(task, "replay-under-test");
        runner.setDaemon(true);
        runner.start();
        try {
            return task.get(15, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the replay did not end within 15 s; journal so far:\n" + journals(), e);
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    private String journals() throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir.resolve("transcripts"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                sb.append(p).append(":\n").append(Files.readString(p));
            }
        }
        return sb.toString();
    }

    private Path writeTranscript(String name, List<Transcript.Entry> messages) {
        Path file = dir.resolve(name);
        TranscriptWriter.write(new Transcript(List.of("Ada", "Basil"), LocalDateTime.parse("2026-11-26T09:00:00"),
                LocalDateTime.parse("2026-11-26T09:05:00"), messages), file);
        return file;
    }

    private static Path onlyFile(Path folder, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> found = files.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
            assertThat(found).as("%s files in %s", suffix, folder).hasSize(1);
            return found.get(0);
        }
    }
}
