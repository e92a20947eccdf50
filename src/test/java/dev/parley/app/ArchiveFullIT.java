package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.archive.Archive;
import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalReader;
import dev.parley.archive.Transcript;
import dev.parley.archive.TranscriptWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk fills up mid-conversation (a tiny tmpfs as the transcripts dir; mounting needs root): the real jar
 * stops posting, tells the room once, exits non-zero with one line that says why, prints no transcript it did
 * not write and no stack trace; once the disk has room again, the next start finishes the conversation.
 */
class ArchiveFullIT {
    private static final int MAX_TURNS = 40;

    @TempDir
    Path dir;
    private Path disk;

    @AfterEach
    void unmount() throws Exception {
        if (disk != null) {
            run("umount", disk.toString());
        }
    }

    @Test
    void aFullDiskSuspendsTheConversationAndAStartWithRoomFinishesIt() throws Exception {
        disk = dir.resolve("disk");
        Files.createDirectories(disk);
        if (run("mount", "-t", "tmpfs", "-o", "size=32k", "tmpfs", disk.toString()) != 0) {
            disk = null;
            Assumptions.abort("cannot mount a tmpfs here (needs root)");
        }
        Path conf = writeConfig();
        Path journalDir = disk.resolve("transcripts/full");

        int exit;
        String stdout;
        String stderr;
        try (ParleyProcess p = ParleyProcess.start(dir, "full", "run", "--config", conf.toString())) {
            exit = p.waitFor(Duration.ofMinutes(1));
            stdout = p.stdout();
            stderr = p.stderr();
        }
        System.out.printf("ArchiveFullIT: exit %d; stderr:%n%s", exit, stderr);
        assertThat(exit).as("exit code on a full disk").isEqualTo(1);
        List<String> errLines = stderr.lines().toList();
        assertThat(errLines.get(errLines.size() - 1)).startsWith("parley: full is suspended, its archive cannot "
                + "be written: cannot append event ").endsWith("No space left on device");
        assertThat(stderr).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(stdout).doesNotContain("Transcript:").containsOnlyOnce("* This conversation is suspended: "
                + "parley cannot write its archive (No space left on device).");
        Path journal = ParleyProcess.onlyJournal(journalDir, true);
        List<JournalEvent> suspended = JournalReader.read(journal);
        assertThat(suspended).noneMatch(JournalEvent.Stop.class::isInstance);
        List<JournalEvent.Said> before = ParleyProcess.messages(suspended);
        assertThat(before.size()).as("the disk filled mid-conversation").isBetween(2, MAX_TURNS - 1);
        assertThat(Archive.transcriptOf(journal)).doesNotExist();
        List<String> shown = shownLines(stdout);
        assertThat(shown).as("the room saw what the journal holds, and nothing after")
                .isEqualTo(before.stream().map(s -> s.speaker() + ": " + s.text()).toList());

        assertThat(run("mount", "-o", "remount,size=8m", disk.toString())).isZero();
        try (ParleyProcess p = ParleyProcess.start(dir, "room", "run", "--config", conf.toString())) {
            assertThat(p.waitFor(Duration.ofMinutes(1))).as("exit code with room again\n%s", p.output()).isZero();
            assertThat(p.stdout()).contains("Transcript: " + Archive.transcriptOf(journal));
        }
        List<JournalEvent> events = JournalReader.read(journal);
        assertThat(events).filteredOn(JournalEvent.Restart.class::isInstance).hasSize(1);
        List<JournalEvent.Said> messages = ParleyProcess.messages(events);
        assertThat(messages.subList(0, before.size())).isEqualTo(before);
        assertThat(messages).extracting(JournalEvent.Said::turn)
                .isEqualTo(IntStream.rangeClosed(1, MAX_TURNS).boxed().toList());
        Set<String> seen = new HashSet<>();
        assertThat(messages).extracting(JournalEvent.Said::text).allMatch(seen::add, "said once");
        assertThat(Archive.transcriptOf(journal)).isRegularFile();
    }

    /** The seats' lines the terminal room printed: "[hh:mm:ss] Name: text". */
    private static List<String> shownLines(String stdout) {
        return stdout.lines().filter(l -> l.matches("\\[\\d\\d:\\d\\d:\\d\\d] (Ada|Basil): .*"))
                .map(l -> l.substring(11)).toList();
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    private Path writeConfig() throws IOException {
        List<Transcript.Entry> lines = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            lines.add(new Transcript.Entry(i % 2 == 0 ? "Ada" : "Basil", "Line " + i + " "
                    + "of a long reply that fills the journal quickly, ".repeat(12).strip()));
        }
        Path script = dir.resolve("script.md");
        TranscriptWriter.write(new Transcript(List.of("Ada", "Basil"), LocalDateTime.parse("2026-11-26T09:00:00"),
                LocalDateTime.parse("2026-11-26T09:10:00"), lines), script);
        Path conf = dir.resolve("full.conf");
        Files.writeString(conf, """
                transcripts-dir = "%s"
                conversations = [
                  {
                    id = full
                    seats = [
                      { id = ada, name = "Ada", model { provider = replay, replay { transcript = "%s", speaker = "Ada" } } }
                      { id = basil, name = "Basil", model { provider = replay, replay { transcript = "%s", speaker = "Basil" } } }
                    ]
                    rooms = [ { type = terminal, colours = false } ]
                    pacing { min-delay = 20ms, max-delay = 20ms, typing-chars-per-second = 0 }
                    stop { max-turns = %d }
                    health { enabled = false }
                  }
                ]
                """.formatted(disk.resolve("transcripts"), script, script, MAX_TURNS));
        return conf;
    }
}
