package dev.parley.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranscriptFromJournalTest {
    static final Instant T0 = Instant.parse("2026-11-20T09:00:00.250Z");

    static JournalEvent.Said model(long seq, int secs, String speaker, String text) {
        return JournalEvent.Said.model(seq, T0.plusSeconds(secs), speaker, speaker.toLowerCase(), text, (int) seq,
                "replay", "m1").withUsage(120, 10, 20, 0);
    }

    static JournalEvent.Said human(long seq, int secs, String speaker, String text) {
        return JournalEvent.Said.human(seq, T0.plusSeconds(secs), speaker, text, "irc:#parley");
    }

    static List<JournalEvent> conversation(boolean stopped) {
        List<JournalEvent> events = new ArrayList<>();
        events.add(new JournalEvent.Start(1, T0, "tides", List.of(
                new JournalEvent.SeatInfo("ada", "Ada", "replay", "m1"),
                new JournalEvent.SeatInfo("basil", "Basil", "replay", "m2")), List.of("irc:#parley")));
        events.add(model(2, 1, "Ada", " "));
        events.add(new JournalEvent.Notice(3, T0.plusSeconds(2), "Basil is thinking"));
        events.add(model(4, 5, "Basil", "Hello?\n\n---\n\n### not a header"));
        events.add(new JournalEvent.Command(5, T0.plusSeconds(6), "kate", "irc:#parley", "!pause", true, "paused"));
        events.add(new JournalEvent.Pause(6, T0.plusSeconds(6), "kate", null));
        events.add(human(7, 8, "kate", "carry on \uD83D\uDC4B"));
        events.add(new JournalEvent.Resume(8, T0.plusSeconds(9), "kate"));
        events.add(new JournalEvent.Failure(9, T0.plusSeconds(10), "ada", "timeout", "no answer", "retry"));
        events.add(model(10, 12, "Ada", "back."));
        if (stopped) {
            events.add(new JournalEvent.Stop(11, T0.plusSeconds(221), "max turns"));
            events.add(new JournalEvent.Notice(12, T0.plusSeconds(300), "bye"));
        }
        return events;
    }

    @Test
    void rendersSeatsMessagesAndTimesFromTheJournal() {
        Transcript t = Transcript.fromJournal(conversation(true), ZoneOffset.UTC);
        String expected = "# Ada \u2194 Basil\n\n**Started:** 2026-11-20 09:00:00\n**Ended:** 2026-11-20 09:03:41\n"
                + "**Messages:** 4\n\n---\n\n"
                + "### Ada\n\n \n\n---\n\n"
                + "### Basil\n\nHello?\n\n---\n\n### not a header\n\n---\n\n"
                + "### kate\n\ncarry on \uD83D\uDC4B\n\n---\n\n"
                + "### Ada\n\nback.\n\n---\n\n";
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), TranscriptWriter.renderBytes(t));
        assertEquals(t, TranscriptParser.parse(TranscriptWriter.renderBytes(t)));
    }

    @Test
    void withoutAStopTheLastEventEndsIt() {
        Transcript t = Transcript.fromJournal(conversation(false), ZoneOffset.UTC);
        assertEquals("2026-11-20T09:00:12", t.ended().toString());
    }

    @Test
    void timesAreShownInTheConfiguredZone() {
        Transcript t = Transcript.fromJournal(conversation(true), ZoneId.of("Asia/Tokyo"));
        assertEquals("2026-11-20T18:00", t.started().toString());
        assertEquals("2026-11-20T18:03:41", t.ended().toString());
    }

    @Test
    void aJournalWithoutStartCannotBeTitled() {
        List<JournalEvent> events = List.of(new JournalEvent.Notice(1, T0, "hello"));
        JournalException e = assertThrows(JournalException.class,
                () -> Transcript.fromJournal(events, ZoneOffset.UTC));
        assertEquals(true, e.getMessage().contains("no start event"));
    }

    @Test
    void lineBreaksInANameBecomeSpaces() {
        List<JournalEvent> events = new ArrayList<>(conversation(false));
        events.add(human(11, 20, "two\nlines", "hi"));
        Transcript t = Transcript.fromJournal(events, ZoneOffset.UTC);
        assertEquals("two lines", t.messages().get(t.messages().size() - 1).speaker());
    }

    @Test
    void writesTheFileAtomicallyAndReplacesAnOldOne(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("out/tides.md");
        Transcript first = Transcript.fromJournal(conversation(false), ZoneOffset.UTC);
        TranscriptWriter.write(first, file);
        assertEquals(first, TranscriptParser.read(file));
        Transcript second = Transcript.fromJournal(conversation(true), ZoneOffset.UTC);
        TranscriptWriter.write(second, file);
        assertArrayEquals(TranscriptWriter.renderBytes(second), Files.readAllBytes(file));
        try (var listing = Files.list(file.getParent())) {
            assertEquals(List.of(file.getFileName().toString()),
                    listing.map(p -> p.getFileName().toString()).toList(), "no temp files left behind");
        }
    }
}
