package dev.parley.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModerationConfigTest {
    @TempDir
    Path dir;

    private static String conversationWith(String moderation) {
        return """
                conversations = [
                  {
                    id = talk
                    seats = [
                      { id = ada, name = "Ada", model { provider = replay, replay.transcript = "classpath:d.md" } }
                      { id = basil, model { provider = replay, replay.transcript = "classpath:d.md" } }
                    ]
                    rooms = [ { type = terminal } ]
                """ + moderation + "\n  }\n]\n";
    }

    private ParleyConfig load(String moderation) throws IOException {
        Path conf = dir.resolve("parley.conf");
        Files.writeString(conf, conversationWith(moderation));
        return ConfigLoader.withEnvironment(Map.of("MOD_KEY", "sk-test")).load(conf);
    }

    @Test
    void defaultsHoldWhenTheServiceIsDownAndRetryOnceThenSkip() throws IOException {
        ModerationConfig m = load("").conversations().get(0).moderation();
        assertThat(m.enabled()).isTrue();
        assertThat(m.lists()).isEmpty();
        assertThat(m.onHit()).isEqualTo(ModerationConfig.OnHit.RETRY_THEN_SKIP);
        assertThat(m.muteAfter()).isEqualTo(3);
        assertThat(m.limits().maxMentions()).isEqualTo(5);
        assertThat(m.api()).isEmpty();
    }

    @Test
    void listsAreReadRelativeToTheConfigFileWithWordsPatternsAndComments() throws IOException {
        Files.writeString(dir.resolve("words.txt"), "# slurs\n\nbadword\nre:b[a4]d+ass\nkill yourself\n");
        ModerationConfig m = load("moderation { lists = [\"words.txt\"], leetspeak = true }")
                .conversations().get(0).moderation();
        assertThat(m.leetspeak()).isTrue();
        assertThat(m.lists()).singleElement().satisfies(l -> assertThat(l.rules()).containsExactly(
                new ModerationConfig.Rule("words.txt", 3, "badword", false),
                new ModerationConfig.Rule("words.txt", 4, "b[a4]d+ass", true),
                new ModerationConfig.Rule("words.txt", 5, "kill yourself", false)));
    }

    @Test
    void aBadRegularExpressionNamesItsFileAndLine() throws IOException {
        Files.writeString(dir.resolve("words.txt"), "fine\nre:(unclosed\nre:ok\n");
        assertThatThrownBy(() -> load("moderation.lists = [\"words.txt\"]"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).singleElement().satisfies(p -> {
                    assertThat(p.file()).endsWith("words.txt");
                    assertThat(p.line()).isEqualTo(2);
                    assertThat(p.message()).startsWith("bad regular expression: Unclosed group");
                }));
    }

    @Test
    void aMissingListIsAProblem() {
        assertThatThrownBy(() -> load("moderation.lists = [\"nowhere.txt\"]"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot read list file")
                .hasMessageContaining("nowhere.txt");
    }

    @Test
    void theServiceIsReadWithItsKeyThresholdsAndPolicy() throws IOException {
        ModerationConfig m = load("""
                moderation.api {
                  url = "http://localhost:9/v1/moderations"
                  key-env = MOD_KEY
                  categories { harassment = 0.5, hate = 0.25 }
                  timeout = 2s
                  when-down = pass-with-notice
                }""").conversations().get(0).moderation();
        ModerationConfig.Api api = m.api().orElseThrow();
        assertThat(api.url()).isEqualTo("http://localhost:9/v1/moderations");
        assertThat(api.key()).hasValueSatisfying(k -> assertThat(k.reveal()).isEqualTo("sk-test"));
        assertThat(api.thresholds()).containsEntry("harassment", 0.5).containsEntry("hate", 0.25);
        assertThat(api.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(api.whenDown()).isEqualTo(ModerationConfig.WhenDown.PASS_WITH_NOTICE);
    }

    @Test
    void aThresholdOutsideZeroToOneIsAProblem() {
        assertThatThrownBy(() -> load("moderation.api { url = \"http://x/v1/moderations\", categories.hate = 3 }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("moderation.api.categories.hate");
    }
}
