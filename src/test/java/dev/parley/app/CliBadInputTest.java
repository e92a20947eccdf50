package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.parley.archive.Transcript;
import dev.parley.archive.TranscriptWriter;
import dev.parley.config.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input at the command line, as a new user produces it: each case ends with one clear line and the right exit
 * code, never a stack trace and never a hang.
 */
class CliBadInputTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return run(() -> false, args);
    }

    private int run(BooleanSupplier console, String... args) {
        Cli cli = new Cli(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ConfigLoader(Map.of(), console));
        return cli.run(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path file(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /** A file of {@code bytes} that takes no disk space (sparse): reading it whole would exhaust the heap. */
    private Path huge(String name, long bytes) throws Exception {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(bytes);
        }
        return p;
    }

    private void assertOneLine(String expectedStart) {
        assertThat(err()).startsWith(expectedStart).doesNotContain("\tat ", "Exception", "Error:");
        assertThat(err().lines().count()).isEqualTo(1);
    }

    @Test
    void anUnexpectedErrorBecomesOneLineAndExitOne() throws Exception {
        Path conf = file("ok.conf", """
                conversations = [ { id = talk, seats = [ { id = ada, model { provider = replay,
                  replay { transcript = "classpath:dialogues/demo.md", speaker = Ada } } } ],
                  rooms = [ { type = terminal } ] } ]
                """);
        int code = run(() -> {
            throw new OutOfMemoryError("Java heap space");
        }, "check", "--config", conf.toString());
        assertThat(code).isEqualTo(1);
        assertOneLine("parley: out of memory");
    }

    @Test
    void aConfigNestedThousandsDeepIsAConfigProblemNotAStackOverflow() throws Exception {
        Path conf = file("deep.conf", "a = " + "{b:".repeat(2000) + "1" + "}".repeat(2000) + "\n");
        assertThat(Files.size(conf)).isLessThan(13_000);
        assertThat(run("check", "--config", conf.toString())).isEqualTo(2);
        assertThat(err()).contains(conf + ":1: nested too deeply").doesNotContain("\tat ", "StackOverflow");
    }

    @Test
    void renderAndReplayRefuseAThreeGigabyteFileBeforeReadingIt() throws Exception {
        Path journal = huge("big.jsonl", 3L << 30);
        assertThat(run("render", journal.toString())).isEqualTo(1);
        assertOneLine("parley: journal " + journal + " is 3.0 GB; parley reads journals of at most");
        err.reset();
        Path transcript = huge("big.md", 3L << 30);
        assertThat(run("replay", transcript.toString())).isEqualTo(1);
        assertOneLine("parley: transcript " + transcript + " is 3.0 GB; parley reads transcripts of at most");
    }

    @Test
    void aConfigFileTooLargeToBeAConfigIsRefusedBeforeReadingIt() throws Exception {
        Path conf = huge("big.conf", 3L << 30);
        assertThat(run("check", "--config", conf.toString())).isEqualTo(2);
        assertThat(err()).contains(conf + ": the file is 3.0 GB; parley reads configs of at most 16 MB");
    }

    @Test
    void replayOfATranscriptWithNoMessagesSaysThereIsNothingToReplayInsteadOfHanging() throws Exception {
        LocalDateTime at = LocalDateTime.of(2026, 11, 26, 9, 0);
        Path empty = dir.resolve("empty.md");
        TranscriptWriter.write(new Transcript(List.of("Ada", "Basil"), at, at, List.of()), empty);
        assertThat(Files.readString(empty)).contains("**Messages:** 0");
        Path conf = file("terminal.conf", """
                conversations = [ { id = talk, seats = [
                  { id = ada, model { provider = replay, replay { transcript = "classpath:dialogues/demo.md", speaker = Ada } } }
                  { id = basil, model { provider = replay, replay { transcript = "classpath:dialogues/demo.md", speaker = Basil } } } ]
                  rooms = [ { type = terminal, colours = false } ], pacing { min-delay = 0s, max-delay = 0s } } ]
                transcripts-dir = "%s"
                """.formatted(dir.resolve("t")));
        int code = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> run("replay", empty.toString(), "--config", conf.toString()));
        assertThat(code).as(err()).isEqualTo(1);
        assertOneLine("parley: transcript " + empty + " has no messages: there is nothing to replay");
    }

    @Test
    void aMissingRequiredIncludeIsReportedAtTheIncludeInPlainWords() throws Exception {
        Path conf = file("main.conf", "transcripts-dir = t\n\ninclude required(\"missing.conf\")\n");
        assertThat(run("check", "--config", conf.toString())).isEqualTo(2);
        assertThat(err()).contains("  " + conf + ":3: include required(\"missing.conf\"): no such file "
                        + dir.resolve("missing.conf"))
                .doesNotContain("java.", "Exception");
    }

    @Test
    void checkReportsAReplaySeatWhoseSpeakerIsNotInItsTranscript() throws Exception {
        Path conf = file("zed.conf", """
                transcripts-dir = "%s"
                conversations = [ { id = talk, seats = [
                  { id = ada, model { provider = replay, replay { transcript = "classpath:dialogues/demo.md", speaker = Ada } } }
                  { id = zed, model { provider = replay,
                      replay { transcript = "classpath:dialogues/demo.md", speaker = Zed } } } ]
                  rooms = [ { type = terminal, colours = false } ] } ]
                """.formatted(dir.resolve("t")));
        assertThat(run("check", "--config", conf.toString())).isEqualTo(2);
        assertThat(err()).contains(conf + ":5: conversations.0.seats.1.model.replay.speaker: transcript "
                + "classpath:dialogues/demo.md has no messages by \"Zed\" (speakers: Ada, Basil)");
        err.reset();
        assertThat(run("run", "--config", conf.toString())).as("run says the same, before starting").isEqualTo(2);
        assertThat(err()).contains("has no messages by \"Zed\"");
    }

    @Test
    void nineHundredThousandUnknownKeysListTheFirstFiftyAndCountTheRestQuickly() throws Exception {
        StringBuilder text = new StringBuilder("transcripts-dir = t\n");
        for (int i = 0; i < 900_000; i++) {
            text.append("k").append(i).append(" = 1\n");
        }
        Path conf = file("keys.conf", text.toString());
        assertThat(Files.size(conf)).isGreaterThan(9_000_000);
        // CPU time of this thread, not wall time: the machine this runs on may be busy with other builds.
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long wallStart = System.nanoTime();
        long cpuStart = threads.getCurrentThreadCpuTime();
        int code = run("check", "--config", conf.toString());
        long millis = (threads.getCurrentThreadCpuTime() - cpuStart) / 1_000_000;
        System.out.println("check of 900,000 unknown keys: " + millis + " ms of CPU, "
                + (System.nanoTime() - wallStart) / 1_000_000 + " ms of wall time");
        assertThat(code).isEqualTo(2);
        List<String> lines = err().lines().toList();
        assertThat(lines.get(0)).isEqualTo("parley: the configuration has 900001 problems; the first 50:");
        assertThat(lines).hasSize(52);
        assertThat(lines.get(1)).startsWith("  " + conf + ":1: missing required key \"conversations\"");
        assertThat(lines.get(2)).startsWith("  " + conf + ":2: k0: unknown key");
        assertThat(lines.get(51)).isEqualTo("  ... and 899951 more");
        assertThat(millis).isLessThan(15_000);
    }
}
