package dev.parley.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NestingDepthTest {
    private static String nested(int levels) {
        return "a = " + "{b:".repeat(levels - 1) + "1" + "}".repeat(levels - 1) + "\n";
    }

    @Test
    void aConfigAtTheLimitPasses() {
        assertThat(NestingDepth.tooDeepAt(nested(NestingDepth.MAX + 1))).isEmpty();
    }

    @Test
    void oneLevelMoreIsFoundOnItsLine() {
        String text = "x = 1\ny = 2\n" + nested(NestingDepth.MAX + 2);
        assertThat(NestingDepth.tooDeepAt(text)).hasValue(3);
    }

    @Test
    void listsCountLikeObjects() {
        assertThat(NestingDepth.tooDeepAt("a = " + "[".repeat(NestingDepth.MAX + 1))).hasValue(1);
    }

    @Test
    void bracesInStringsAndCommentsDoNotCount() {
        String many = "{".repeat(NestingDepth.MAX * 3);
        String text = "a = \"" + many + "\"\n"
                + "b = \"\"\"\n" + many + "\n\"\"\"\n"
                + "# " + many + "\n"
                + "// " + many + "\n"
                + "c = \"say \\\"" + many + "\\\"\"\n"
                + "url = \"http://x/{\"\n";
        assertThat(NestingDepth.tooDeepAt(text)).isEmpty();
    }

    @Test
    void linesInsideTripleQuotedStringsStillCount() {
        String text = "p = \"\"\"one\ntwo\nthree\"\"\"\n" + "z = " + "{".repeat(NestingDepth.MAX + 1);
        assertThat(NestingDepth.tooDeepAt(text)).hasValue(4);
    }

    @Test
    void theLoaderRefusesTooDeepTextWithFileAndLine() {
        var loader = ConfigLoader.withEnvironment(java.util.Map.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> loader.load(nested(5000), "deep.conf"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("deep.conf:1: nested too deeply");
    }
}
