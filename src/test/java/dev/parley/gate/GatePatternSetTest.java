package dev.parley.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.config.ModerationConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatePatternSetTest {
    private static ModerationConfig.Rule re(int line, String regex) {
        return new ModerationConfig.Rule("p.txt", line, regex, true);
    }

    @Test
    void theLiteralPrefixStopsAtMetacharactersAndOptionalCharacters() {
        assertThat(PatternSet.literalPrefix("\\bfree\\s+crypto")).isEqualTo("free");
        assertThat(PatternSet.literalPrefix("discord\\.gg/")).isEqualTo("discord");
        assertThat(PatternSet.literalPrefix("colou?r")).isEqualTo("colo");
        assertThat(PatternSet.literalPrefix("(?:a|b)c")).isEmpty();
        assertThat(PatternSet.literalPrefix("Spam")).as("matched ignoring case, indexed lower case").isEqualTo("spam");
    }

    @Test
    void indexedAndUnindexedPatternsAreBothFoundAndWordBoundariesStillHold() {
        PatternSet set = new PatternSet(List.of(re(1, "\\bfree\\s+crypto\\b"), re(2, "(?:buy|sell)\\s+now"),
                re(3, "x")));
        assertThat(set.find("get free   crypto today")).hasValueSatisfying(r -> assertThat(r.line()).isEqualTo(1));
        assertThat(set.find("carefree crypto")).as("\\b sees the letter before the region").isEmpty();
        assertThat(set.find("sell now!")).hasValueSatisfying(r -> assertThat(r.line()).isEqualTo(2));
        assertThat(set.find("an x")).hasValueSatisfying(r -> assertThat(r.line()).isEqualTo(3));
        assertThat(set.find("nothing here")).isEmpty();
    }

    @Test
    void withLeetspeakPatternsSeeDigitsAndFoldedLettersBoth() {
        WordListGate gate = new WordListGate(List.of(re(1, "\\bcall\\s+\\d{3}"), re(2, "\\bbad\\b")),
                new TextFolding(true));
        assertThat(gate.judge(Candidate.of("Basil", "call 555 now")).rule()).isEqualTo("p.txt:1");
        assertThat(gate.judge(Candidate.of("Basil", "so b4d")).rule()).isEqualTo("p.txt:2");
    }
}
