package dev.parley.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.config.ModerationConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class GateListsTest {
    private static final List<ModerationConfig.Rule> RULES = List.of(
            new ModerationConfig.Rule("words.txt", 1, "slur", false),
            new ModerationConfig.Rule("words.txt", 2, "kill yourself", false),
            new ModerationConfig.Rule("words.txt", 3, "buy\\s+cheap\\s+\\w+", true));

    private static Verdict judge(boolean leet, String text) {
        return new WordListGate(RULES, new TextFolding(leet)).judge(Candidate.of("Basil", text));
    }

    @Test
    void aListedWordIsAHitNamingItsFileAndLine() {
        assertThat(judge(false, "That is a slur, friend.")).isEqualTo(Verdict.hit("words.txt:1", "listed word"));
    }

    @Test
    void caseDoesNotMatter() {
        assertThat(judge(false, "SLUR").kind()).isEqualTo(Verdict.Kind.HIT);
    }

    @Test
    void fullWidthAndStyledLettersFoldToPlainOnes() {
        assertThat(judge(false, "a ｓｌｕｒ").kind()).isEqualTo(Verdict.Kind.HIT);
        assertThat(judge(false, "a \uD835\uDC2C\uD835\uDC25\uD835\uDC2E\uD835\uDC2B").kind())
                .as("mathematical bold letters").isEqualTo(Verdict.Kind.HIT);
    }

    @Test
    void zeroWidthCharactersAreIgnored() {
        assertThat(judge(false, "s\u200Dl\u200Bu\u2060r").kind()).isEqualTo(Verdict.Kind.HIT);
        assertThat(judge(false, "sl\u00ADur").kind()).as("soft hyphen").isEqualTo(Verdict.Kind.HIT);
    }

    @Test
    void combiningMarksAreStripped() {
        assertThat(judge(false, "s\u0301l\u0308u\u0323r").kind()).isEqualTo(Verdict.Kind.HIT);
        assertThat(judge(false, "slúr").kind()).isEqualTo(Verdict.Kind.HIT);
    }

    @Test
    void punctuationInsideAWordAndSpacedLettersDoNotSlipThrough() {
        assertThat(judge(false, "a s.l-u*r here").kind()).isEqualTo(Verdict.Kind.HIT);
        assertThat(judge(false, "a s l u r here").kind()).isEqualTo(Verdict.Kind.HIT);
    }

    @Test
    void leetspeakDigitsFoldOnlyWhenConfigured() {
        assertThat(judge(true, "5lur").kind()).isEqualTo(Verdict.Kind.HIT);
        assertThat(judge(false, "5lur")).isEqualTo(Verdict.PASS);
    }

    @Test
    void aWordInsideALongerWordIsNotAHit() {
        assertThat(judge(false, "slurry and slurp")).isEqualTo(Verdict.PASS);
    }

    @Test
    void phrasesMatchAsConsecutiveWords() {
        assertThat(judge(false, "go KILL   your\u200Bself now")).isEqualTo(Verdict.hit("words.txt:2", "listed phrase"));
        assertThat(judge(false, "kill the process yourself")).isEqualTo(Verdict.PASS);
    }

    @Test
    void patternsRunOnTheFoldedText() {
        assertThat(judge(false, "Buy ｃｈｅａｐ watches")).isEqualTo(Verdict.hit("words.txt:3", "listed pattern"));
        assertThat(judge(false, "cheap to buy")).isEqualTo(Verdict.PASS);
    }
}
