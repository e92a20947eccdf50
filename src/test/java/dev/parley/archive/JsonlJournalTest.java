package dev.parley.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlJournalTest {
    @TempDir
    Path dir;

    private static final List<JournalEvent> EVENTS = TranscriptFromJournalTest.conversation(true);

    @Test
    void appendsOneLinePerEventAndReadsThemBack() throws IOException {
        Path file = dir.resolve("journals/tides.jsonl");
        try (JsonlJournal journal = JsonlJournal.open(file)) {
            EVENTS.forEach(journal::append);
            assertEquals(EVENTS, journal.events());
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(EVENTS.size(), lines.size());
        assertTrue(lines.get(0).startsWith("{\"type\":\"start\""), lines.get(0));
        assertTrue(lines.get(1).contains("\"ts\":\"2026-11-20T09:00:01.250Z\""), lines.get(1));
        assertTrue(lines.get(3).contains("\"text\":\"Hello?\\n\\n---\\n\\n### not a header\""), lines.get(3));
        assertTrue(!lines.get(6).contains("\"provider\""), "null fields are left out: " + lines.get(6));
        assertEquals(EVENTS, JournalReader.read(file));
    }

    @Test
    void reopeningContinuesTheSequence() {
        Path file = dir.resolve("j.jsonl");
        try (JsonlJournal journal = JsonlJournal.open(file)) {
            EVENTS.subList(0, 5).forEach(journal::append);
        }
        try (JsonlJournal journal = JsonlJournal.open(file)) {
            assertEquals(EVENTS.subList(0, 5), journal.events());
            EVENTS.subList(5, EVENTS.size()).forEach(journal::append);
        }
        assertEquals(EVENTS, JournalReader.read(file));
    }

    @Test
    void appendRejectsAnOutOfOrderSeq() {
        try (JsonlJournal journal = JsonlJournal.open(dir.resolve("j.jsonl"))) {
            journal.append(EVENTS.get(0));
            JournalException e = assertThrows(JournalException.class, () -> journal.append(EVENTS.get(2)));
            assertTrue(e.getMessage().contains("seq 3 out of order, expected 2"), e.getMessage());
            JournalException again = assertThrows(JournalException.class, () -> journal.append(EVENTS.get(0)));
            assertTrue(again.getMessage().contains("expected 2"), again.getMessage());
            journal.append(EVENTS.get(1)); // the journal is still usable
            assertEquals(EVENTS.subList(0, 2), journal.events());
        }
    }

    @Test
    void aTornLastLineIsDroppedAndCutOffOnReopen() throws IOException {
        Path file = dir.resolve("j.jsonl");
        try (JsonlJournal journal = JsonlJournal.open(file)) {
            EVENTS.subList(0, 3).forEach(journal::append);
        }
        long goodLength = Files.size(file);
        // What a SIGKILL in the middle of write() leaves: the start of event 4, no newline.
        String torn = new String(JournalJson.write(EVENTS.get(3)), StandardCharsets.UTF_8).substring(0, 40);
        Files.writeString(file, torn, StandardOpenOption.APPEND);

        assertEquals(EVENTS.subList(0, 3), JournalReader.read(file), "the reader ignores the torn line");
        assertEquals(goodLength + 40, Files.size(file), "the reader does not change the file");

        try (JsonlJournal journal = JsonlJournal.open(file)) {
            assertEquals(EVENTS.subList(0, 3), journal.events());
            assertEquals(goodLength, Files.size(file), "the torn tail is cut off");
            journal.append(EVENTS.get(3));
            journal.append(EVENTS.get(4));
        }
        assertEquals(EVENTS.subList(0, 5), JournalReader.read(file));
        assertEquals(5, Files.readAllLines(file).size());
    }

    @Test
    void aTornFirstLineLeavesAnEmptyJournal() throws IOException {
        Path file = dir.resolve("j.jsonl");
        Files.writeString(file, "{\"type\":\"sta");
        try (JsonlJournal journal = JsonlJournal.open(file)) {
            assertEquals(List.of(), journal.events());
            journal.append(EVENTS.get(0));
        }
        assertEquals(EVENTS.subList(0, 1), JournalReader.read(file));
    }

    @Test
    void aCorruptMiddleLineNamesFileAndLine() throws IOException {
        Path file = dir.resolve("j.jsonl");
        try (JsonlJournal journal = JsonlJournal.open(file)) {
            EVENTS.subList(0, 4).forEach(journal::append);
        }
        List<String> lines = Files.readAllLines(file);
        lines.set(2, lines.get(2).substring(0, 25)); // a torn line that is not the last: real damage
        Files.write(file, lines);

        JournalException open = assertThrows(JournalException.class, () -> JsonlJournal.open(file));
        assertTrue(open.getMessage().contains(file.toString()) && open.getMessage().contains("line 3"),
                open.getMessage());
        JournalException read = assertThrows(JournalException.class, () -> JournalReader.read(file));
        assertTrue(read.getMessage().contains("line 3"), read.getMessage());
        // The failed open must not have kept the file locked or changed it.
        assertEquals(lines, Files.readAllLines(file));
    }

    @Test
    void aGapInTheSequenceOnDiskIsAnError() throws IOException {
        Path file = dir.resolve("j.jsonl");
        String line1 = new String(JournalJson.write(EVENTS.get(0)), StandardCharsets.UTF_8);
        String line3 = new String(JournalJson.write(EVENTS.get(2)), StandardCharsets.UTF_8);
        Files.writeString(file, line1 + "\n" + line3 + "\n");
        JournalException e = assertThrows(JournalException.class, () -> JsonlJournal.open(file));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("seq 3"), e.getMessage());
    }

    @Test
    void anUnknownFieldFromANewerVersionIsNotCorruption() throws IOException {
        Path file = dir.resolve("j.jsonl");
        Files.writeString(file, "{\"type\":\"notice\",\"seq\":1,\"ts\":\"2026-11-20T09:00:00Z\",\"text\":\"hi\","
                + "\"colour\":\"blue\"}\n");
        assertEquals(List.of(new JournalEvent.Notice(1, Instant.parse("2026-11-20T09:00:00Z"), "hi")),
                JournalReader.read(file));
    }

    @Test
    void aHealthVerdictIsOneReadableLineThatReadsBack() throws IOException {
        Path file = dir.resolve("h.jsonl");
        JournalEvent.Health health = new JournalEvent.Health(1, Instant.parse("2026-11-20T09:00:00Z"), "echo",
                "Ada and Basil have said nearly the same thing 4 times in a row: \"ack\"",
                java.util.Map.of("times", 4.0, "similarity", 1.0), "stop");
        try (JsonlJournal journal = JsonlJournal.open(file)) {
            journal.append(health);
        }
        String line = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(line.startsWith("{\"type\":\"health\"") && line.contains("\"rule\":\"echo\""), line);
        assertEquals(List.of(health), JournalReader.read(file));
    }

    @Test
    void aSecondOpenOfTheSameFileIsRefused() {
        Path file = dir.resolve("j.jsonl");
        try (JsonlJournal journal = JsonlJournal.open(file)) {
            journal.append(EVENTS.get(0));
            JournalException e = assertThrows(JournalException.class, () -> JsonlJournal.open(file));
            assertTrue(e.getMessage().contains("already open"), e.getMessage());
        }
        try (JsonlJournal again = JsonlJournal.open(file)) {
            assertEquals(1, again.events().size());
        }
    }

    @Test
    void appendAfterCloseFails() {
        JsonlJournal journal = JsonlJournal.open(dir.resolve("j.jsonl"));
        journal.close();
        assertThrows(JournalException.class, () -> journal.append(EVENTS.get(0)));
    }

    @Test
    void eachAppendIsOnDiskBeforeItReturns() throws IOException {
        // Another reader (a separate file handle, as after a crash) sees every event the moment append returns.
        Path file = dir.resolve("j.jsonl");
        try (JsonlJournal journal = JsonlJournal.open(file)) {
            for (int i = 0; i < EVENTS.size(); i++) {
                journal.append(EVENTS.get(i));
                assertEquals(EVENTS.subList(0, i + 1), JournalReader.read(file));
            }
        }
        byte[] bytes = Files.readAllBytes(file);
        assertEquals('\n', bytes[bytes.length - 1]);
        assertArrayEquals(Files.readAllBytes(file), bytes);
    }

    /** Not a timed assertion: prints what an append (write + fdatasync) costs on this disk. */
    @Test
    void printsAppendLatency() {
        int n = 300;
        long[] nanos = new long[n];
        try (JsonlJournal journal = JsonlJournal.open(dir.resolve("bench.jsonl"))) {
            for (int i = 0; i < n; i++) {
                long start = System.nanoTime();
                journal.append(new JournalEvent.Notice(i + 1L, Instant.now(), "notice number " + i));
                nanos[i] = System.nanoTime() - start;
            }
            assertEquals(n, journal.events().size());
        }
        java.util.Arrays.sort(nanos);
        System.out.printf("journal append with force: median %.3f ms, p99 %.3f ms over %d appends%n",
                nanos[n / 2] / 1e6, nanos[n * 99 / 100] / 1e6, n);
    }
}
