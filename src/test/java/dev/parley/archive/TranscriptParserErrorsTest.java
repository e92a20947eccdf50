package dev.parley.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TranscriptParserErrorsTest {
    private static final String HEADER = "# A \u2194 B\n\n**Started:** 2026-01-01 00:00:00\n"
            + "**Ended:** 2026-01-01 00:00:01\n**Messages:** 2\n\n---\n\n";
    private static final String BODY = "### A\n\nhi\n\n---\n\n### B\n\nyo\n\n---\n\n";

    private static TranscriptParseException fails(String text) {
        return assertThrows(TranscriptParseException.class, () -> TranscriptParser.parse(text));
    }

    @Test
    void theValidBaseParses() {
        assertEquals(2, TranscriptParser.parse(HEADER + BODY).messages().size());
    }

    @Test
    void badTitleIsLineOne() {
        TranscriptParseException e = fails("A <-> B\n" + (HEADER + BODY).substring(HEADER.indexOf('\n') + 1));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().startsWith("line 1: "), e.getMessage());
    }

    @Test
    void emptyNameInTitle() {
        assertEquals(1, fails((HEADER + BODY).replace("# A \u2194 B", "# A \u2194 ")).line());
    }

    @Test
    void badTimeIsItsLine() {
        assertEquals(3, fails((HEADER + BODY).replace("2026-01-01 00:00:00", "2026-02-30 00:00:00")).line());
        assertEquals(4, fails((HEADER + BODY).replace("**Ended:** 2026-01-01 00:00:01", "**Ended:** soon")).line());
    }

    @Test
    void nonCanonicalCountIsRejected() {
        assertEquals(5, fails((HEADER + BODY).replace("**Messages:** 2", "**Messages:** 02")).line());
        assertEquals(5, fails((HEADER + BODY).replace("**Messages:** 2", "**Messages:** two")).line());
    }

    @Test
    void missingRuleAfterHeader() {
        assertEquals(7, fails((HEADER + BODY).replace("\n\n---\n\n### A", "\n\n***\n\n### A")).line());
    }

    @Test
    void truncatedHeader() {
        TranscriptParseException e = fails("# A \u2194 B\n\n**Started:** 2026-01-01 00:00:00\n");
        assertEquals(4, e.line());
    }

    @Test
    void tooFewSectionsForTheCount() {
        TranscriptParseException e = fails((HEADER + BODY).replace("**Messages:** 2", "**Messages:** 3"));
        assertEquals(5, e.line());
        assertTrue(e.getMessage().contains("says 3"), e.getMessage());
    }

    @Test
    void bodyNotStartingWithASection() {
        assertEquals(9, fails(HEADER + "hello\n\n" + BODY).line());
    }

    @Test
    void fileCutInTheLastSection() {
        String cut = HEADER + "### A\n\nhi\n\n---\n\n### B\n\nyo, and then the disk filled up";
        assertEquals(17, fails(cut).line());
    }

    @Test
    void sectionsAfterAZeroCount() {
        assertEquals(9, fails((HEADER + BODY).replace("**Messages:** 2", "**Messages:** 0")).line());
    }

    @Test
    void invalidUtf8NamesTheLine() {
        byte[] good = (HEADER + BODY).getBytes(StandardCharsets.UTF_8);
        int at = HEADER.getBytes(StandardCharsets.UTF_8).length + "### A\n\nh".length();
        good[at] = (byte) 0xC3; // a lead byte followed by 'i' is malformed
        TranscriptParseException e = assertThrows(TranscriptParseException.class, () -> TranscriptParser.parse(good));
        assertEquals(11, e.line());
    }
}
