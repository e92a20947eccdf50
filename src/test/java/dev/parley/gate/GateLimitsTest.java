package dev.parley.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.config.ModerationConfig;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GateLimitsTest {
    private final LimitsGate gate = new LimitsGate(new ModerationConfig.Limits(40, 3, 2, 2));

    private Verdict judge(String text) {
        return gate.judge(new Candidate("Basil", text, Set.of("Ada", "Basil", "kate", "joe", "sam")));
    }

    @Test
    void aShortPlainMessagePasses() {
        assertThat(judge("Hello Ada, how are you?")).isEqualTo(Verdict.PASS);
    }

    @Test
    void tooLongIsAHit() {
        assertThat(judge("x".repeat(41)).rule()).isEqualTo("max-chars");
    }

    @Test
    void tooManyLinesIsAHit() {
        assertThat(judge("a\nb\nc\nd").rule()).isEqualTo("max-lines");
        assertThat(judge("a\nb\nc\n")).isEqualTo(Verdict.PASS);
    }

    @Test
    void tooManyLinksIsAHit() {
        assertThat(judge("http://a.b www.c.d https://e").rule()).isEqualTo("max-links");
    }

    @Test
    void aMassHighlightIsAHitButTheSpeakersOwnNameAndNamesInsideWordsAreNot() {
        assertThat(judge("ada kate joe!").rule()).isEqualTo("max-mentions");
        assertThat(judge("Basil: ada, joe; samples")).isEqualTo(Verdict.PASS);
    }

    @Test
    void zeroTurnsALimitOff() {
        LimitsGate none = new LimitsGate(ModerationConfig.Limits.NONE);
        assertThat(none.judge(Candidate.of("Basil", "x".repeat(100_000)))).isEqualTo(Verdict.PASS);
    }
}
