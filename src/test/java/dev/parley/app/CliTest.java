package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalReader;
import dev.parley.archive.JsonlJournal;
import dev.parley.archive.Transcript;
import dev.parley.archive.TranscriptWriter;
import dev.parley.config.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in-process: exit codes, what goes to stdout and stderr, and that secrets stay secret. */
class CliTest {
    private static final String SECRET = "sk-test-VERY-secret-4242";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return run(new ConfigLoader(Map.of(), () -> false), args);
    }

    private int run(ConfigLoader loader, String... args) {
        Cli cli = new Cli(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), loader);
        return cli.run(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpPrintsTheUsageAndExitsZero() {
        assertThat(run("--help")).isEqualTo(0);
        assertThat(out()).isEqualTo(Cli.USAGE + System.lineSeparator());
        assertThat(out()).contains("parley check --config FILE", "parley render JOURNAL", "parley replay TRANSCRIPT");
        assertThat(err()).isEmpty();
    }

    @Test
    void versionPrintsOneLineAndExitsZero() {
        assertThat(run("--version")).isEqualTo(0);
        assertThat(out()).startsWith("parley ").endsWith(System.lineSeparator());
        assertThat(out().lines().count()).isEqualTo(1);
        assertThat(err()).isEmpty();
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        assertUsageError(run("frobnicate"), "parley: unknown command \"frobnicate\"");
    }

    @Test
    void aMissingArgumentIsAUsageError() {
        assertUsageError(run("render"), "parley: render needs JOURNAL");
    }

    @Test
    void checkWithoutConfigIsAUsageError() {
        assertUsageError(run("check"), "parley: check needs --config FILE");
    }

    @Test
    void anOptionWithoutItsValueIsAUsageError() {
        assertUsageError(run("check", "--config"), "parley: --config needs a value");
    }

    @Test
    void anUnexpectedArgumentIsAUsageError() {
        assertUsageError(run("--help", "extra"), "parley: unexpected argument \"extra\" for --help");
    }

    @Test
    void anUnexpectedArgumentAfterRenderIsAUsageError() throws Exception {
        Path journal = writeJournal();
        assertUsageError(run("render", journal.toString(), "other.jsonl"),
                "parley: unexpected argument \"other.jsonl\" for render");
    }

    private void assertUsageError(int code, String firstLine) {
        assertThat(code).isEqualTo(2);
        List<String> lines = err().lines().toList();
        assertThat(lines.get(0)).isEqualTo(firstLine);
        assertThat(lines.subList(1, lines.size())).isEqualTo(Cli.USAGE.lines().toList());
        assertThat(out()).isEmpty();
    }

    @Test
    void checkOfABadConfigNamesFileLineAndKeyAndExitsTwo() throws Exception {
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, """
                conversations = [
                  {
                    id = talk
                    seats = [
                      { id = ada, model { provider = replay, replay { transcript = "classpath:dialogues/demo.md", speaker = Ada } } }
                      { id = basil, model { provider = opnai, model = "gpt-4o" } }
                    ]
                    rooms = [ { type = terminal } ]
                  }
                ]
                """);
        assertThat(run("check", "--config", conf.toString())).isEqualTo(2);
        assertThat(out()).isEmpty();
        assertThat(err()).startsWith("parley: the configuration has 1 problem:" + System.lineSeparator() + "  " + conf
                        + ":6: conversations.0.seats.1.model.provider: ")
                .contains("opnai")
                .doesNotContain("Exception");
    }

    @Test
    void checkNamesTheFileAndLineOfABadRegularExpressionInAModerationList() throws Exception {
        Files.writeString(dir.resolve("words.txt"), "# spam\nre:\\bfree\\s+crypto\nre:[unclosed\n");
        Path conf = dir.resolve("lists.conf");
        Files.writeString(conf, """
                conversations = [
                  {
                    id = talk
                    seats = [
                      { id = ada, model { provider = replay, replay { transcript = "classpath:dialogues/demo.md", speaker = Ada } } }
                      { id = basil, model { provider = replay, replay { transcript = "classpath:dialogues/demo.md", speaker = Basil } } }
                    ]
                    rooms = [ { type = terminal } ]
                    moderation.lists = ["words.txt"]
                  }
                ]
                """);
        assertThat(run("check", "--config", conf.toString())).isEqualTo(2);
        assertThat(err()).contains(dir.resolve("words.txt") + ":3: conversations.0.moderation.lists: bad regular "
                + "expression: Unclosed character class").doesNotContain("Exception");
    }

    @Test
    void runReadsItsConfigAndReportsItsProblems() throws Exception {
        Path conf = dir.resolve("bad-run.conf");
        Files.writeString(conf, "conversations = [ { id = \"no good\" } ]\n");
        for (String[] args : List.of(new String[] {"run", "--config", conf.toString()},
                new String[] {"--config", conf.toString()}, new String[] {"-c", conf.toString()},
                new String[] {"run", "--config=" + conf})) {
            out.reset();
            err.reset();
            assertThat(run(args)).as("exit code of %s", List.of(args)).isEqualTo(2);
            assertThat(err()).as("stderr of %s", List.of(args)).startsWith("parley: ")
                    .contains(conf + ":1: conversations.0.").doesNotContain("usage:");
        }
    }

    @Test
    void aTranscriptsDirThatIsAFileIsReportedWithTheSystemsReason() throws Exception {
        Path conf = dir.resolve("file.conf");
        Path transcripts = Files.writeString(dir.resolve("tr"), "a file, not a directory");
        Files.writeString(conf, """
                transcripts-dir = "%s"
                conversations = [
                  {
                    id = talk
                    seats = [
                      { id = ada, model { provider = replay, replay { transcript = "classpath:dialogues/demo.md", speaker = Ada } } }
                      { id = basil, model { provider = replay, replay { transcript = "classpath:dialogues/demo.md", speaker = Basil } } }
                    ]
                    rooms = [ { type = terminal } ]
                  }
                ]
                """.formatted(transcripts.toString().replace("\\", "\\\\")));
        assertThat(run("run", "--config", conf.toString())).isEqualTo(1);
        assertThat(err().strip()).isEqualTo("parley: cannot create " + transcripts + ": it exists and is not a directory");
    }

    @Test
    void aSeatThatCannotSpeakIsAConfigProblemAndLeavesNoEmptyJournal() throws Exception {
        Path conf = dir.resolve("nobody.conf");
        Path transcripts = dir.resolve("transcripts");
        Files.writeString(conf, """
                transcripts-dir = "%s"
                conversations = [
                  {
                    id = talk
                    seats = [
                      { id = ada, model { provider = replay, replay { transcript = "classpath:dialogues/demo.md", speaker = Zed } } }
                      { id = basil, model { provider = replay, replay { transcript = "classpath:dialogues/demo.md", speaker = Basil } } }
                    ]
                    rooms = [ { type = terminal } ]
                  }
                ]
                """.formatted(transcripts.toString().replace("\\", "\\\\")));
        assertThat(run("run", "--config", conf.toString())).isEqualTo(2);
        assertThat(err()).startsWith("parley: ").contains("no messages by \"Zed\"").doesNotContain("\tat ");
        assertThat(transcripts).doesNotExist();
    }

    @Test
    void checkOfAMissingConfigExitsTwoSayingSo() {
        Path conf = dir.resolve("nowhere.conf");
        assertThat(run("check", "--config", conf.toString())).isEqualTo(2);
        assertThat(err()).contains(conf.toString()).contains("no such file");
    }

    @Test
    void checkOfAGoodConfigPrintsItWithTheApiKeyRedacted() throws Exception {
        Path conf = dir.resolve("good.conf");
        Files.writeString(conf, """
                conversations = [
                  {
                    id = talk
                    seats = [
                      { id = ada, name = "Ada", model { provider = openai, model = "gpt-4o-mini", api-key-env = PARLEY_TEST_KEY } }
                      { id = basil, name = "Basil", model { provider = replay, replay.transcript = "classpath:dialogues/demo.md" } }
                    ]
                    rooms = [ { type = terminal } ]
                  }
                ]
                """);
        ConfigLoader loader = ConfigLoader.withEnvironment(Map.of("PARLEY_TEST_KEY", SECRET));
        assertThat(run(loader, "check", "--config", conf.toString())).isEqualTo(0);
        assertThat(out()).contains("gpt-4o-mini").contains("PARLEY_TEST_KEY").contains("redacted")
                .contains(conf + ": OK");
        assertThat(out() + err()).doesNotContain(SECRET).doesNotContain("VERY-secret");
        assertThat(err()).isEmpty();
    }

    @Test
    void renderPrintsTheTranscriptExactlyAsTheWriterRendersIt() throws Exception {
        Path journal = writeJournal();
        assertThat(run("render", journal.toString())).isEqualTo(0);
        byte[] expected = TranscriptWriter.renderBytes(
                Transcript.fromJournal(JournalReader.read(journal), ZoneId.of("UTC")));
        assertThat(out.toByteArray()).isEqualTo(expected);
        assertThat(out()).startsWith("# Ada ↔ Basil\n").contains("### you\n\n//aside\n");
        assertThat(err()).isEmpty();
    }

    @Test
    void renderWithOutputWritesTheFile() throws Exception {
        Path journal = writeJournal();
        Path md = dir.resolve("out/t.md");
        Files.createDirectories(md.getParent());
        assertThat(run("render", journal.toString(), "-o", md.toString())).isEqualTo(0);
        byte[] expected = TranscriptWriter.renderBytes(
                Transcript.fromJournal(JournalReader.read(journal), ZoneId.of("UTC")));
        assertThat(Files.readAllBytes(md)).isEqualTo(expected);
        assertThat(out()).contains(md.toString());
    }

    @Test
    void renderWithOutputBeforeTheJournalWritesTheFile() throws Exception {
        Path journal = writeJournal();
        Path md = dir.resolve("t2.md");
        assertThat(run("render", "-o", md.toString(), journal.toString())).isEqualTo(0);
        assertThat(Files.readAllBytes(md)).isEqualTo(TranscriptWriter.renderBytes(
                Transcript.fromJournal(JournalReader.read(journal), ZoneId.of("UTC"))));
    }

    @Test
    void renderOfAMissingJournalExitsOneWithAClearMessage() {
        Path missing = dir.resolve("missing.jsonl");
        assertThat(run("render", missing.toString())).isEqualTo(1);
        assertThat(err()).isEqualTo("parley: no such journal: " + missing + System.lineSeparator());
        assertThat(out()).isEmpty();
    }

    @Test
    void renderOfACorruptJournalExitsOneWithoutAStackTrace() throws Exception {
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{not json}\n{\"also\": \"bad\"}\n");
        assertThat(run("render", bad.toString())).isEqualTo(1);
        assertThat(err()).startsWith("parley: ").contains(bad.toString()).doesNotContain("\tat ");
    }

    @Test
    void renderLeavesOutATornLastLine() throws Exception {
        Path journal = writeJournal();
        byte[] whole = TranscriptWriter.renderBytes(
                Transcript.fromJournal(JournalReader.read(journal), ZoneId.of("UTC")));
        Files.writeString(journal, "{\"type\":\"message\",\"seq\":8,\"speaker\":\"Ad",
                java.nio.file.StandardOpenOption.APPEND);
        assertThat(run("render", journal.toString())).as("stderr: %s", err).isEqualTo(0);
        assertThat(out.toByteArray()).isEqualTo(whole);
    }

    @Test
    void checkRedactsAnApiKeyReadFromAFile() throws Exception {
        Path key = dir.resolve("key.txt");
        Files.writeString(key, SECRET + "\n");
        Path conf = dir.resolve("file-key.conf");
        Files.writeString(conf, """
                conversations = [
                  {
                    id = talk
                    seats = [
                      { id = ada, model { provider = anthropic, model = "claude-x", api-key-file = "%s" } }
                      { id = basil, name = "Basil", model { provider = replay, replay.transcript = "classpath:dialogues/demo.md" } }
                    ]
                    rooms = [ { type = terminal } ]
                  }
                ]
                """.formatted(key.toString().replace("\\", "\\\\")));
        assertThat(run("check", "--config", conf.toString())).as("stderr: %s", err).isEqualTo(0);
        assertThat(out()).contains("key.txt").contains("redacted");
        assertThat(out() + err()).doesNotContain(SECRET);
    }

    @Test
    void replayOfAMissingOrMalformedTranscriptExitsOne() throws Exception {
        Path missing = dir.resolve("gone.md");
        assertThat(run("replay", missing.toString())).isEqualTo(1);
        assertThat(err()).isEqualTo("parley: no such transcript: " + missing + System.lineSeparator());
        err.reset();
        Path notATranscript = dir.resolve("notes.md");
        Files.writeString(notATranscript, "just some notes\n");
        assertThat(run("replay", notATranscript.toString())).isEqualTo(1);
        assertThat(err()).startsWith("parley: ").doesNotContain("\tat ");
        assertThat(out()).isEmpty();
    }

    /** A finished journal with a blank first message, a "---" line inside a message, and a human in between. */
    private Path writeJournal() {
        Path file = dir.resolve("talk.jsonl");
        Instant t = Instant.parse("2026-11-26T09:00:00Z");
        try (JsonlJournal j = JsonlJournal.open(file)) {
            j.append(new JournalEvent.Start(1, t, "talk", List.of(
                    new JournalEvent.SeatInfo("ada", "Ada", "replay", "replay"),
                    new JournalEvent.SeatInfo("basil", "Basil", "replay", "replay")), List.of("the terminal")));
            j.append(said(2, t.plusSeconds(1), "Ada", "ada", " ", 1));
            j.append(said(3, t.plusSeconds(2), "Basil", "basil", "above\n\n---\n\nbelow", 2));
            j.append(new JournalEvent.Notice(4, t.plusSeconds(3), "a notice is not a section"));
            j.append(JournalEvent.Said.human(5, t.plusSeconds(4), "you", "//aside", "the terminal"));
            j.append(said(6, t.plusSeconds(5), "Ada", "ada", "### not a heading", 3));
            j.append(new JournalEvent.Stop(7, t.plusSeconds(70), "reached the limit of 3 turns"));
        }
        return file;
    }

    private static JournalEvent.Said said(long seq, Instant ts, String name, String seat, String text, int turn) {
        return JournalEvent.Said.model(seq, ts, name, seat, text, turn, "replay", "replay").withUsage(5, 0, 0, 0);
    }

    @Test
    void renderWritesTimesInTheZoneAskedFor() throws Exception {
        Path journal = dir.resolve("zoned.jsonl");
        try (var j = dev.parley.archive.JsonlJournal.open(journal)) {
            java.time.Instant t0 = java.time.Instant.parse("2026-11-20T09:00:00Z");
            j.append(new dev.parley.archive.JournalEvent.Start(1, t0, "c", java.util.List.of(
                    new dev.parley.archive.JournalEvent.SeatInfo("a", "Ada", "replay", "r"),
                    new dev.parley.archive.JournalEvent.SeatInfo("b", "Basil", "replay", "r")), java.util.List.of()));
            j.append(new dev.parley.archive.JournalEvent.Stop(2, t0.plusSeconds(61), "done"));
        }
        assertThat(run("render", journal.toString(), "--zone", "Asia/Tokyo")).isZero();
        assertThat(out()).contains("**Started:** 2026-11-20 18:00:00\n**Ended:** 2026-11-20 18:01:01\n");
        assertThat(run("render", journal.toString(), "--zone", "Mars/Olympus")).isEqualTo(2);
        assertThat(err()).startsWith("parley: --zone: unknown time zone \"Mars/Olympus\"");
    }
}
