package dev.parley.irc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CaseMappingTest {

    @Test
    void asciiFoldsOnlyLatinLetters() {
        assertThat(CaseMapping.ASCII.equals("KimiK2", "kimik2")).isTrue();
        assertThat(CaseMapping.ASCII.equals("Ada[m]", "ada{m}")).isFalse();
        assertThat(CaseMapping.ASCII.equals("a^", "a~")).isFalse();
        assertThat(CaseMapping.ASCII.fold("Ada[\\]^")).isEqualTo("ada[\\]^");
    }

    @Test
    void rfc1459FoldsBracketsBackslashAndCaret() {
        assertThat(CaseMapping.RFC1459.equals("Ada[m]", "ada{m}")).isTrue();
        assertThat(CaseMapping.RFC1459.equals("a\\b", "A|B")).isTrue();
        assertThat(CaseMapping.RFC1459.equals("a^", "A~")).isTrue();
        assertThat(CaseMapping.RFC1459.fold("Ada[\\]^")).isEqualTo("ada{|}~");
    }

    @Test
    void strictRfc1459KeepsCaretAndTildeApart() {
        assertThat(CaseMapping.STRICT_RFC1459.equals("Ada[m]", "ada{m}")).isTrue();
        assertThat(CaseMapping.STRICT_RFC1459.equals("a^", "a~")).isFalse();
        assertThat(CaseMapping.STRICT_RFC1459.fold("Ada[\\]^")).isEqualTo("ada{|}^");
    }

    @Test
    void noMappingFoldsLettersBeyondAscii() {
        // Java's equalsIgnoreCase says these are equal; no IRC server does.
        for (CaseMapping m : CaseMapping.values()) {
            assertThat(m.equals("Ärger", "ärger")).as(m.token()).isFalse();
            assertThat(m.fold("Ärger")).as(m.token()).isEqualTo("Ärger");
        }
    }

    @Test
    void foldAgreesWithEquals() {
        String[][] pairs = {{"Nick", "nICK"}, {"x[", "X{"}, {"a^b", "A~B"}, {"ab", "abc"}, {"#Chan", "#chan"}};
        for (CaseMapping m : CaseMapping.values()) {
            for (String[] p : pairs) {
                assertThat(m.fold(p[0]).equals(m.fold(p[1]))).as(m.token() + " " + p[0] + " " + p[1])
                        .isEqualTo(m.equals(p[0], p[1]));
            }
        }
    }

    @Test
    void theServersTokenNamesTheMappingAndAnUnknownOneFallsBackToRfc1459() {
        assertThat(CaseMapping.of("ascii")).isEqualTo(CaseMapping.ASCII);
        assertThat(CaseMapping.of("RFC1459")).isEqualTo(CaseMapping.RFC1459);
        assertThat(CaseMapping.of("strict-rfc1459")).isEqualTo(CaseMapping.STRICT_RFC1459);
        assertThat(CaseMapping.of("rfc7613")).isEqualTo(CaseMapping.RFC1459);
        assertThat(CaseMapping.of("")).isEqualTo(CaseMapping.RFC1459);
    }
}
