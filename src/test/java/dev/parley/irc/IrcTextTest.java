package dev.parley.irc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class IrcTextTest {
    private static final IrcText.Layout PLAIN = new IrcText.Layout(400, 100, true, "… [cut]", false, true);

    private static List<String> texts(List<IrcText.Line> lines) {
        return lines.stream().map(IrcText.Line::text).toList();
    }

    private static void assertWireSafe(List<IrcText.Line> lines, int budget) {
        for (IrcText.Line l : lines) {
            for (char c : l.text().toCharArray()) {
                assertFalse(c == '\r' || c == '\n' || c == 0, "control char in " + l);
            }
            int bytes = l.text().getBytes(StandardCharsets.UTF_8).length + (l.action() ? IrcText.ACTION_OVERHEAD : 0);
            assertTrue(bytes <= budget, "line of " + bytes + " bytes over budget " + budget);
            // Valid UTF-16 throughout: no half surrogate pair that would turn into '?' or U+FFFD.
            assertEquals(l.text(), new String(l.text().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        }
    }

    @Test
    void crlfInjectionBecomesSeparateHarmlessLines() {
        List<IrcText.Line> out = IrcText.layout("hello\r\nQUIT :x", PLAIN);
        assertEquals(List.of("hello", "QUIT :x"), texts(out));
        assertWireSafe(out, 400);
    }

    @Test
    void everyKindOfLineBreakSplits() {
        assertEquals(List.of("a", "b", "c", "d", "e", "f"),
                texts(IrcText.layout("a\nb\rc\r\nd\u2028e\u0085f", PLAIN)));
    }

    @Test
    void bareCrAndBareLfAreLineBreaks() {
        assertEquals(List.of("one", "two"), texts(IrcText.layout("one\rtwo", PLAIN)));
        assertEquals(List.of("one", "two"), texts(IrcText.layout("one\ntwo", PLAIN)));
    }

    @Test
    void blankLinesInsideAreSkipped() {
        assertEquals(List.of("para one", "para two"), texts(IrcText.layout("para one\n\n   \npara two\n", PLAIN)));
    }

    @Test
    void wholeBlankTextIsOneSpace() {
        assertEquals(List.of(" "), texts(IrcText.layout("", PLAIN)));
        assertEquals(List.of(" "), texts(IrcText.layout("\r\n\n  \t", PLAIN)));
        assertEquals(List.of(" "), texts(IrcText.layout("\u0000", PLAIN)));
    }

    @Test
    void nulAndControlsAreRemovedTabBecomesSpace() {
        assertEquals("abc d", IrcText.sanitizeLine("a\u0000b\u0007c\td\u007F\u0085", false));
    }

    @Test
    void ctcpDelimiterIsAlwaysRemovedSoTextCannotForgeCtcp() {
        assertEquals("VERSION", IrcText.sanitizeLine("\u0001VERSION\u0001", true));
        assertEquals(List.of("ACTION hi"), texts(IrcText.layout("\u0001ACTION hi\u0001", PLAIN)));
    }

    @Test
    void formattingKeptOnlyWhenEnabled() {
        String bold = "\u0002bold\u0002 \u000304red\u0003";
        assertEquals("bold red", IrcText.sanitizeLine(bold, false));
        assertEquals(bold, IrcText.sanitizeLine(bold, true));
    }

    @Test
    void withoutFormattingAColourCodeIsRemovedWithItsDigits() {
        assertThat(IrcText.sanitizeLine("\u000304,01red", false)).isEqualTo("red");
        assertThat(IrcText.sanitizeLine("\u00034,1red and \u00031blue\u0003 plain", false))
                .isEqualTo("red and blue plain");
        assertThat(IrcText.sanitizeLine("\u0003123 apples", false)).as("two digits at most").isEqualTo("3 apples");
        assertThat(IrcText.sanitizeLine("\u000304,015", false)).as("two background digits at most").isEqualTo("5");
        assertThat(IrcText.sanitizeLine("\u000304, then", false)).as("a comma without digits is text")
                .isEqualTo(", then");
        assertThat(IrcText.sanitizeLine("\u0003,04x", false)).as("no foreground, no background").isEqualTo(",04x");
        assertThat(IrcText.sanitizeLine("\u0004FF0000,00ff00hex\u0004 done", false)).isEqualTo("hex done");
        assertThat(IrcText.sanitizeLine("\u0004ABCDEFGHI", false)).isEqualTo("GHI");
    }

    @Test
    void unpairedSurrogatesAreDropped() {
        assertEquals("ab", IrcText.sanitizeLine("a\uD83Db", false));
        assertEquals("ab", IrcText.sanitizeLine("a\uDE00b", false));
        assertEquals("a😀b", IrcText.sanitizeLine("a😀b", false));
    }

    @Test
    void meBecomesActionOnFirstLineOnly() {
        List<IrcText.Line> out = IrcText.layout("/me waves\nand says hi", PLAIN);
        assertEquals(List.of(new IrcText.Line("waves", true), new IrcText.Line("and says hi", false)), out);
    }

    @Test
    void meIsPlainTextWhenActionsDisabled() {
        IrcText.Layout noActions = new IrcText.Layout(400, 100, true, "… [cut]", false, false);
        assertEquals(List.of(new IrcText.Line("/me waves", false)), IrcText.layout("/me waves", noActions));
    }

    @Test
    void utf8LengthCountsBytes() {
        for (String s : List.of("", "abc", "é", "€", "😀", "👩‍👩‍👧", "a😀é€", "e\u0301")) {
            assertEquals(s.getBytes(StandardCharsets.UTF_8).length, IrcText.utf8Length(s), s);
        }
    }

    @Test
    void budgetLeavesRoomForTheRelayedPrefix() {
        int budget = IrcText.privmsgBudget("kimi", 6, 9, "#parley");
        String relayed = ":kimi!parley@localhost PRIVMSG #parley :" + "x".repeat(budget) + "\r\n";
        assertEquals(512, relayed.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void wrapsAtSpacesDroppingTheSpaceAtTheBreak() {
        String line = "lorem ipsum dolor sit amet ".repeat(40).trim();
        List<String> pieces = IrcText.splitToBytes(line, 100);
        assertEquals(line, String.join(" ", pieces));
        for (String p : pieces) {
            assertFalse(p.startsWith(" ") || p.endsWith(" "), "space left at a break: [" + p + "]");
            assertTrue(p.endsWith("lorem") || p.endsWith("ipsum") || p.endsWith("dolor") || p.endsWith("sit")
                    || p.endsWith("amet"), "piece should end at a word boundary: [" + p + "]");
            assertTrue(IrcText.utf8Length(p) <= 100);
        }
    }

    @Test
    void aSpaceRightAfterAFullPieceIsABreakToo() {
        assertEquals(List.of("abcd", "efgh"), IrcText.splitToBytes("abcd   efgh", 4));
        assertEquals(List.of("ab", "cd"), IrcText.splitToBytes("ab cd", 4));
    }

    @Test
    void longWordIsCutAtCharacterBoundary() {
        String word = "x".repeat(250);
        List<String> pieces = IrcText.splitToBytes(word, 100);
        assertEquals(List.of("x".repeat(100), "x".repeat(100), "x".repeat(50)), pieces);
    }

    @Test
    void neverSplitsInsideAnEmojiOrAGrapheme() {
        String family = "👩‍👩‍👧"; // one grapheme of 18 bytes
        String line = (family + "é😀").repeat(60);
        for (int budget = 20; budget < 120; budget += 7) {
            List<String> pieces = IrcText.splitToBytes(line, budget);
            assertEquals(line, String.join("", pieces), "no space to wrap at: pieces concatenate back");
            for (String p : pieces) {
                assertTrue(IrcText.utf8Length(p) <= budget);
                assertFalse(Character.isLowSurrogate(p.charAt(0)), "piece starts inside a surrogate pair");
                assertFalse(p.startsWith("\u200D"), "piece starts inside a ZWJ sequence");
                assertFalse(p.startsWith("\u0301"), "piece starts with a combining mark");
            }
        }
    }

    @Test
    void combiningMarksStayWithTheirBase() {
        String line = "e\u0301".repeat(100);
        for (String p : IrcText.splitToBytes(line, 31)) {
            assertTrue(p.startsWith("e"), "piece starts with a combining mark");
            assertEquals(0, IrcText.utf8Length(p) % 3);
        }
    }

    @Test
    void randomMixedTextSurvivesLayout() {
        Random r = new Random(42);
        String[] parts = {"word ", "😀", "é", "日本語", " ", "👩‍👩‍👧", "\n", "\r\n", "\r", "a", "€", "\u0000", "e\u0301"};
        for (int round = 0; round < 200; round++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(400);
            for (int i = 0; i < n; i++) {
                sb.append(parts[r.nextInt(parts.length)]);
            }
            int budget = 40 + r.nextInt(400);
            IrcText.Layout layout = new IrcText.Layout(budget, 1000, true, "… [cut]", false, true);
            List<IrcText.Line> out = IrcText.layout(sb.toString(), layout);
            assertWireSafe(out, budget);
            String expected = IrcText.splitLines(sb.toString()).stream()
                    .map(l -> IrcText.sanitizeLine(l, false)).filter(l -> !l.isBlank())
                    .collect(Collectors.joining()).replace(" ", "");
            String got = String.join("", texts(out)).replace(" ", "");
            assertEquals(expected, got);
        }
    }

    @Test
    void longReplyIsCutWithMarker() {
        IrcText.Layout three = new IrcText.Layout(60, 3, true, "… [cut]", false, true);
        List<IrcText.Line> out = IrcText.layout("line\n".repeat(10), three);
        assertEquals(List.of("line", "line", "line… [cut]"), texts(out));
    }

    @Test
    void cutMarkerFitsEvenWhenLastLineIsFull() {
        IrcText.Layout two = new IrcText.Layout(60, 2, true, "… [cut]", false, true);
        List<IrcText.Line> out = IrcText.layout("y".repeat(500), two);
        assertEquals(2, out.size());
        assertTrue(out.get(1).text().endsWith("… [cut]"));
        assertWireSafe(out, 60);
    }

    @Test
    void cutMarkerIsSanitizedLikeAnyText() {
        // The marker comes from the config file: it must not be a way to put protocol on the wire either.
        IrcText.Layout evil = new IrcText.Layout(60, 2, true, " [cut]\r\nQUIT :x\u0000\u0001\n", false, true);
        assertEquals(" [cut]QUIT :x", evil.cutMarker());
        List<IrcText.Line> out = IrcText.layout("line\n".repeat(5), evil);
        assertEquals(List.of("line", "line [cut]QUIT :x"), texts(out));
        assertWireSafe(out, 60);
        IrcText.Layout lineBreaks = new IrcText.Layout(60, 2, true, "\u2028[cut]\u0085\u2029", false, true);
        assertEquals("[cut]", lineBreaks.cutMarker());
    }

    @Test
    void anOversizedCutMarkerIsCappedSoTheLineStaysWithinBudget() {
        IrcText.Layout huge = new IrcText.Layout(60, 2, true, "é".repeat(200), false, true);
        assertTrue(IrcText.utf8Length(huge.cutMarker()) <= (60 - IrcText.ACTION_OVERHEAD) / 2, huge.cutMarker());
        for (String reply : List.of("y".repeat(500), "/me " + "y".repeat(500), "a\nb\nc")) {
            List<IrcText.Line> out = IrcText.layout(reply, huge);
            assertEquals(2, out.size());
            assertTrue(out.get(1).text().endsWith(huge.cutMarker()), out.toString());
            assertWireSafe(out, 60);
        }
    }

    @Test
    void fullOverflowSendsEverything() {
        IrcText.Layout full = new IrcText.Layout(60, 3, false, "… [cut]", false, true);
        assertEquals(10, IrcText.layout("line\n".repeat(10), full).size());
    }

    @Test
    void tinyBudgetIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new IrcText.Layout(10, 3, true, "", false, true));
    }

    @Test
    void longRunsOfSpacesNeverMakeAnOversizedOrEmptyPiece() {
        for (String line : List.of(" ".repeat(600) + "x", "a" + " ".repeat(600) + "b", "word " + " ".repeat(300) + "end")) {
            List<String> pieces = IrcText.splitToBytes(line, 100);
            for (String p : pieces) {
                assertTrue(IrcText.utf8Length(p) <= 100, "oversized piece");
                assertFalse(p.isBlank(), "blank piece in " + pieces);
            }
            assertEquals(line.replace(" ", ""), String.join("", pieces).replace(" ", ""));
        }
    }
}
