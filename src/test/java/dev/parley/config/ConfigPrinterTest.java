package dev.parley.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigPrinterTest {
    private static final Map<String, String> ENV = Map.of("OPENAI_API_KEY", "sk-openai-SECRET",
            "ANTHROPIC_API_KEY", "sk-ant-SECRET", "PARLEY_MATRIX_TOKEN", "syt-parley-SECRET",
            "KIMI_MATRIX_TOKEN", "syt-kimi-SECRET", "CLAUDE_MATRIX_TOKEN", "syt-claude-SECRET");

    @Test
    void secretsShowWhereTheyComeFromButNeverTheirValue() {
        String printed = ConfigPrinter.print(ConfigLoader.withEnvironment(ENV).load(Path.of("conf/parley.conf")));
        assertThat(printed).doesNotContain("SECRET")
                .contains("api-key-env = \"OPENAI_API_KEY\"  # set; value redacted")
                .contains("control-token-env = \"PARLEY_MATRIX_TOKEN\"  # set; value redacted")
                .contains("access-token-env = \"KIMI_MATRIX_TOKEN\"  # set; value redacted");
    }

    @Test
    void keysPassedInHeadersAreRedactedToo() {
        String conf = """
                conversations = [ { id = x, rooms = [ { type = terminal } ], seats = [
                  { id = a, model { provider = openai, model = m, headers { Authorization = "Bearer ${KEY}",
                                    "api-key" = ${KEY}, "X-Title" = "parley demo" } } }
                  { id = b, irc.nick = Basil, model { provider = replay, replay.transcript = "classpath:d.md" } }
                ] } ]
                """;
        String printed = ConfigPrinter.print(ConfigLoader.withEnvironment(Map.of("KEY", "gw-SECRET")).load(conf, "h.conf"));
        assertThat(printed).doesNotContain("SECRET")
                .contains("\"X-Title\":\"parley demo\"")
                .contains("Authorization\":\"<redacted>\"");
    }

    @Test
    void thePrintedConfigLoadsBackToTheSameConfig() {
        ParleyConfig first = ConfigLoader.withEnvironment(ENV).load(Path.of("conf/parley.conf"));
        String printed = ConfigPrinter.print(first);
        ParleyConfig second = ConfigLoader.withEnvironment(ENV).load(printed, "printed");
        assertThat(ConfigPrinter.print(second).lines().skip(1)).containsExactlyElementsOf(printed.lines().skip(1)
                .toList());
        assertThat(second.conversations()).isEqualTo(first.conversations());
        assertThat(second.ircNetworks()).isEqualTo(first.ircNetworks());
        assertThat(second.matrixServers()).isEqualTo(first.matrixServers());
    }

    /**
     * The printer writes what the records hold, not a list of keys: this config sets what conf/parley.conf
     * leaves out (a room key, a server password from a file, a price, a moderation service, a replay seat), so a
     * key the walk misnamed or dropped would not load back the same.
     */
    @Test
    void whatTheSampleLeavesOutPrintsAndLoadsBackTheSame(@TempDir Path dir) throws IOException {
        Path password = Files.writeString(dir.resolve("irc-pass"), "pw-SECRET\n");
        String conf = """
                irc.networks.net { host = "irc.example.org", tls = true, server-password-file = "%s" }
                conversations = [ {
                  id = x
                  cast = [a, b]
                  episodes { after-end = next, windows = ["18:00-23:00"] }
                  rooms = [ { type = irc, network = net, channel = "#c", key-env = CHAN }, { type = terminal } ]
                  seats = [
                    { id = a, irc.nick = Ada, model { provider = openai, model = m, api-key-env = KEY,
                                                       price { input-per-million = 3, output-per-million = 15.5 },
                                                       temperature = 0.7, stop = ["END"] } }
                    { id = b, irc.nick = Basil,
                      model { provider = replay, replay { transcript = "classpath:d.md", speaker = Basil } } }
                  ]
                  moderation.api { url = "https://mod.example.org/v1/moderations", key-env = KEY,
                                   categories { hate = 0.3 } }
                } ]
                """.formatted(password.toString().replace("\\", "\\\\"));
        Map<String, String> env = Map.of("KEY", "sk-SECRET", "CHAN", "chan-SECRET");
        ParleyConfig first = ConfigLoader.withEnvironment(env).load(conf, "full.conf");
        String printed = ConfigPrinter.print(first);
        assertThat(printed).doesNotContain("SECRET")
                .contains("key-env = \"CHAN\"  # set; value redacted")
                .contains("server-password-file = ")
                .contains("{ type = terminal, human-name = \"you\", colours = false }")
                .contains("cast = [\"a\",\"b\"]")
                .contains("price {\n            input-per-million = 3\n            output-per-million = 15.5\n");
        ParleyConfig second = ConfigLoader.withEnvironment(env).load(printed, "printed");
        assertThat(second.conversations()).isEqualTo(first.conversations());
        assertThat(second.ircNetworks()).isEqualTo(first.ircNetworks());
    }

    @Test
    void theDemoPrintsItsPacingAndRoom() {
        String printed = ConfigPrinter.print(ConfigLoader.withEnvironment(Map.of()).loadDefault());
        assertThat(printed).startsWith("# Effective configuration loaded from parley-default.conf")
                .contains("      min-delay = 1.5s\n      max-delay = 3s\n")
                .contains("{ type = terminal, human-name = \"you\", colours = false }")
                .contains("      max-turns = 40\n");
    }
}
