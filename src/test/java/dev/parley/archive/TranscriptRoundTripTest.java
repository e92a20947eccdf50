package dev.parley.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TranscriptRoundTripTest {

    static byte[] fixture(String name) {
        try (InputStream in = TranscriptRoundTripTest.class.getResourceAsStream("/transcripts/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Transcript.Entry e(String speaker, String text) {
        return new Transcript.Entry(speaker, text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"two-seats.md", "three-seats.md", "empty.md"})
    void parseThenRenderGivesTheSameBytes(String name) {
        byte[] original = fixture(name);
        Transcript parsed = TranscriptParser.parse(original);
        assertArrayEquals(original, TranscriptWriter.renderBytes(parsed),
                () -> "re-rendered " + name + " differs:\n" + TranscriptWriter.render(parsed));
        assertEquals(parsed, TranscriptParser.parse(TranscriptWriter.renderBytes(parsed)));
    }

    @Test
    void twoSeatsMessagesAreRecoveredExactly() {
        Transcript expected = new Transcript(List.of("Orin", "Quill"),
                LocalDateTime.of(2026, 3, 14, 21, 5, 9), LocalDateTime.of(2026, 3, 14, 21, 19, 58), List.of(
                e("Orin", " "),
                e("Quill", "Evening. You opened with silence, so I'll open with a question: tides or tokens?"),
                e("Orin", "Tokens. Here is my outline:\n\n---\n\n- why a byte is not a character\n"
                        + "- why \uD83D\uDC19 costs four bytes\n\n---\n\nAnd that is all."),
                e("Quill", "### A heading, because I felt like it\n\n"
                        + "Four bytes: F0 9F 90 99. \uD83D\uDC19\uD83D\uDC19 makes eight."),
                e("mod_kate", "nice \u2014 keep going, you two \uD83D\uDC4B"),
                e("Orin", "I'll end my turn with a rule of my own.\n\n---"),
                e("Quill", "^C^C")));
        assertEquals(expected, TranscriptParser.parse(fixture("two-seats.md")));
        assertArrayEquals(fixture("two-seats.md"), TranscriptWriter.renderBytes(expected));
    }

    @Test
    void threeSeatsMessagesAreRecoveredExactly() {
        Transcript expected = new Transcript(List.of("Kimi K2", "Claude", "Hermes 3"),
                LocalDateTime.of(2026, 11, 20, 23, 59, 59), LocalDateTime.of(2026, 11, 21, 0, 1, 2), List.of(
                e("Kimi K2", ""),
                e("Claude", "Quoting an old log, verbatim:\n\n---\n\n### Somebody Else\n\n"
                        + "this looks like a section, but it is part of my message."),
                e("Hermes 3", "  \n\n  "),
                e("Claude", "---"),
                e("Kimi K2", "Last words, then a blank line:\n"),
                e("Hermes 3", "\uD83C\uDF0A done \uD83E\uDD80")));
        assertEquals(expected, TranscriptParser.parse(fixture("three-seats.md")));
        assertArrayEquals(fixture("three-seats.md"), TranscriptWriter.renderBytes(expected));
    }

    @Test
    void emptyConversationHasNoSections() {
        Transcript parsed = TranscriptParser.parse(fixture("empty.md"));
        assertEquals(List.of("Ada Lovelace", "Bob"), parsed.title());
        assertEquals(List.of(), parsed.messages());
    }

    @Test
    void aSeparatorWithANewNameIsABreakWhenTheCountNeedsIt() {
        // Same bytes as a quoted separator, but here the count says the human really spoke.
        String md = "# A \u2194 B\n\n**Started:** 2026-01-01 00:00:00\n**Ended:** 2026-01-01 00:00:01\n"
                + "**Messages:** 3\n\n---\n\n"
                + "### A\n\nhi\n\n---\n\n### B\n\nyo\n\n---\n\n### walter\n\nhello bots\n\n---\n\n";
        Transcript parsed = TranscriptParser.parse(md);
        assertEquals(List.of(e("A", "hi"), e("B", "yo"), e("walter", "hello bots")), parsed.messages());
        String asOne = md.replace("**Messages:** 3", "**Messages:** 2");
        assertEquals(List.of(e("A", "hi"), e("B", "yo\n\n---\n\n### walter\n\nhello bots")),
                TranscriptParser.parse(asOne).messages());
    }

    @Test
    void aKnownNameIsPreferredOverAnEarlierNewName() {
        // A's message holds a fake section for "Zed"; the real break comes later and names B.
        String md = "# A \u2194 B\n\n**Started:** 2026-01-01 00:00:00\n**Ended:** 2026-01-01 00:00:01\n"
                + "**Messages:** 2\n\n---\n\n"
                + "### A\n\nx\n\n---\n\n### Zed\n\ny\n\n---\n\n### B\n\nz\n\n---\n\n";
        assertEquals(List.of(e("A", "x\n\n---\n\n### Zed\n\ny"), e("B", "z")),
                TranscriptParser.parse(md).messages());
    }

    @Test
    void aMessageEndingWithALoneHeadingBeforeANewSpeaker() {
        // "\n\n---\n\n### Intro" + "\n\n---\n\n### walter\n\n" reads two ways; the ending heading wins.
        String md = "# A \u2194 B\n\n**Started:** 2026-01-01 00:00:00\n**Ended:** 2026-01-01 00:00:01\n"
                + "**Messages:** 2\n\n---\n\n"
                + "### A\n\nx\n\n---\n\n### Intro\n\n---\n\n### walter\n\nhello\n\n---\n\n";
        assertEquals(List.of(e("A", "x\n\n---\n\n### Intro"), e("walter", "hello")),
                TranscriptParser.parse(md).messages());
    }

    @Test
    void aKnownSpeakerWhoseMessageStartsWithARuleAndHeading() {
        String md = "# A \u2194 B\n\n**Started:** 2026-01-01 00:00:00\n**Ended:** 2026-01-01 00:00:01\n"
                + "**Messages:** 2\n\n---\n\n"
                + "### A\n\nx\n\n---\n\n### B\n\n---\n\n### Zed\n\ny\n\n---\n\n";
        assertEquals(List.of(e("A", "x"), e("B", "---\n\n### Zed\n\ny")), TranscriptParser.parse(md).messages());
    }

    /** Not a timed test: prints how long a long transcript takes, and checks it came back whole. */
    @Test
    void aLongTranscriptParses() {
        List<Transcript.Entry> messages = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            messages.add(e(i % 2 == 0 ? "A" : "B", i % 7 == 0 ? "rule\n\n---\n\nbelow " + i : "line " + i));
        }
        Transcript t = new Transcript(List.of("A", "B"), LocalDateTime.of(2026, 1, 1, 0, 0),
                LocalDateTime.of(2026, 1, 2, 0, 0), messages);
        byte[] bytes = TranscriptWriter.renderBytes(t);
        long start = System.nanoTime();
        Transcript parsed = TranscriptParser.parse(bytes);
        long micros = (System.nanoTime() - start) / 1000;
        System.out.printf("parsed 20000 messages (%d bytes) in %d ms%n", bytes.length, micros / 1000);
        assertEquals(t, parsed);
    }

    /**
     * Random transcripts assembled from the troublesome pieces: whatever the search picks, the bytes must come
     * back identical, and when no message holds a break to a known name, the messages must too.
     */
    @Test
    void randomTrickyTranscriptsRoundTrip() {
        String[] pieces = {"", " ", "\n", "---", "\n\n---\n\n", "### Nope", "### A", "\n\n---\n\n### Stranger\n\n",
            "text", "\uD83D\uDC19", "\n\n", "---\n\n---", "**Messages:** 3", "# A \u2194 B"};
        String[] speakers = {"A", "B", "C", "guest"};
        Random random = new Random(20261126L);
        int exact = 0;
        for (int round = 0; round < 2000; round++) {
            List<Transcript.Entry> messages = new ArrayList<>();
            int n = random.nextInt(8);
            for (int i = 0; i < n; i++) {
                StringBuilder text = new StringBuilder();
                int parts = random.nextInt(5);
                for (int p = 0; p < parts; p++) {
                    text.append(pieces[random.nextInt(pieces.length)]);
                }
                messages.add(e(speakers[random.nextInt(speakers.length)], text.toString()));
            }
            Transcript t = new Transcript(List.of("A", "B", "C"), LocalDateTime.of(2026, 1, 1, 0, 0),
                    LocalDateTime.of(2026, 1, 1, 1, 0), messages);
            byte[] bytes = TranscriptWriter.renderBytes(t);
            Transcript parsed = TranscriptParser.parse(bytes);
            assertArrayEquals(bytes, TranscriptWriter.renderBytes(parsed), "round " + round);
            assertEquals(n, parsed.messages().size());
            boolean ambiguous = messages.stream().anyMatch(m -> m.text().contains("\n\n---\n\n### ")
                    || m.text().startsWith("---\n\n### "));
            if (!ambiguous) {
                assertEquals(messages, parsed.messages(), "round " + round);
                exact++;
            }
        }
        System.out.println("random transcripts: 2000 round trips byte-identical, " + exact
                + " without a quoted separator recovered message for message");
        assertEquals(true, exact > 500, "too few unambiguous cases to mean anything: " + exact);
    }

    @Test
    void rendersTheHeaderByteForByte() {
        Transcript t = new Transcript(List.of("Ada", "Basil"), LocalDateTime.of(2026, 11, 20, 9, 0),
                LocalDateTime.of(2026, 11, 20, 9, 3, 41), List.of(e("Ada", " ")));
        String expected = "# Ada \u2194 Basil\n\n**Started:** 2026-11-20 09:00:00\n**Ended:** 2026-11-20 09:03:41\n"
                + "**Messages:** 1\n\n---\n\n### Ada\n\n \n\n---\n\n";
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), TranscriptWriter.renderBytes(t));
    }
}
