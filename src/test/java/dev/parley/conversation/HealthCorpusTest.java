package dev.parley.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.config.HealthConfig;
import dev.parley.testsupport.TestConfigs;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the whole labelled corpus ({@code src/test/resources/health-corpus}, see its SOURCES) through the
 * monitor with the default settings. The targets: no stop at all on a healthy log (nor before the onset of a
 * degenerate one), and every degenerate log stopped within 8 messages of its onset. {@code docs/health.md} reports
 * the figures {@link HealthCorpusReport} prints.
 */
class HealthCorpusTest {
    private static final HealthConfig DEFAULTS = TestConfigs.health();
    private static final int SLACK = HealthCorpusReport.SLACK;
    private static HealthCorpus corpus;

    @BeforeAll
    static void load() {
        corpus = HealthCorpus.load();
    }

    static Stream<String> healthy() {
        return HealthCorpus.load().logs().stream().filter(l -> !l.degenerate()).map(HealthCorpus.Log::file);
    }

    static Stream<String> degenerate() {
        return HealthCorpus.load().logs().stream().filter(HealthCorpus.Log::degenerate).map(HealthCorpus.Log::file);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("healthy")
    void aHealthyLogIsNeverStopped(String file) {
        HealthCorpus.Outcome o = HealthCorpus.replay(log(file), DEFAULTS);
        assertThat(o.firedAt()).as("%s: %s", file, o.verdict()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("degenerate")
    void aDegenerateLogIsStoppedWithinEightMessagesOfItsOnsetAndNotBefore(String file) {
        HealthCorpus.Outcome o = HealthCorpus.replay(log(file), DEFAULTS);
        assertThat(o.falseStop()).as("%s stopped before its onset: %s", file, o.verdict()).isFalse();
        assertThat(o.caught(SLACK)).as("%s (onset %s) fired at %s", file, o.log().onset(), o.firedAt()).isTrue();
    }

    @Test
    void theCorpusHasAtLeastTwentyRealLogsAndEveryKindTheIssueNames() {
        assertThat(corpus.logs().stream().filter(HealthCorpus.Log::real).count()).isGreaterThanOrEqualTo(20);
        assertThat(corpus.logs()).extracting(HealthCorpus.Log::file).contains("syn-banter.md", "syn-chess.md",
                "syn-counting-wordchain.md", "syn-poem-refrain.md", "syn-code-review.md", "syn-mantra-once.md",
                "syn-cli-files.md", "syn-cli-menu.md", "syn-ack-pingpong.md", "syn-split-loop.md",
                "syn-template-loop.md");
    }

    @Test
    void theFiguresInTheDocsStillHold() {
        String report = HealthCorpusReport.report(corpus, DEFAULTS);
        List<HealthCorpus.Outcome> outcomes = corpus.logs().stream().map(l -> HealthCorpus.replay(l, DEFAULTS)).toList();
        assertThat(outcomes).noneMatch(HealthCorpus.Outcome::falseStop);
        assertThat(outcomes.stream().filter(o -> o.caught(SLACK)).count()).as(report)
                .isEqualTo(outcomes.stream().filter(o -> o.log().degenerate()).count());
    }

    private static HealthCorpus.Log log(String file) {
        return corpus.logs().stream().filter(l -> l.file().equals(file)).findFirst().orElseThrow();
    }
}
