package dev.parley.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigPrinterTest {
    private static final Map<String, String> ENV = Map.of("OPENAI_API_KEY", "sk-openai-SECRET",
            "ANTHROPIC_API_KEY", "sk-ant-SECRET", "PARLEY_MATRIX_TOKEN", "syt-parley-SECRET",
            "KIMI_MATRIX_TOKEN", "syt-kimi-SECRET", "CLAUDE_MATRIX_TOKEN", "syt-claude-SECRET");

    @Test
    void secretsShowWhereTheyComeFromButNeverTheirValue() {
        String printed = ConfigPrinter.print(ConfigLoader.withEnvironment(ENV).load(Path.of("conf/parley.conf")));
        assertFalse(printed.contains("SECRET"), printed);
        assertTrue(printed.contains("api-key-env = \"OPENAI_API_KEY\"  # set; value redacted"), printed);
        assertTrue(printed.contains("control-token-env = \"PARLEY_MATRIX_TOKEN\"  # set; value redacted"), printed);
        assertTrue(printed.contains("access-token-env = \"KIMI_MATRIX_TOKEN\"  # set; value redacted"), printed);
    }

    @Test
    void keysPassedInHeadersAreRedactedToo() {
        String conf = """
                conversations = [ { id = x, rooms = [ { type = terminal } ], seats = [
                  { id = a, model { provider = openai, model = m, headers { Authorization = "Bearer ${KEY}",
                                    "api-key" = ${KEY}, "X-Title" = "parley demo" } } }
                  { id = b, model { provider = replay, replay.transcript = "classpath:d.md" } }
                ] } ]
                """;
        String printed = ConfigPrinter.print(ConfigLoader.withEnvironment(Map.of("KEY", "gw-SECRET")).load(conf, "h.conf"));
        assertFalse(printed.contains("SECRET"), printed);
        assertTrue(printed.contains("\"X-Title\":\"parley demo\""), printed);
        assertTrue(printed.contains("Authorization\":\"<redacted>\""), printed);
    }

    @Test
    void thePrintedConfigLoadsBackToTheSameConfig() {
        ParleyConfig first = ConfigLoader.withEnvironment(ENV).load(Path.of("conf/parley.conf"));
        String printed = ConfigPrinter.print(first);
        ParleyConfig second = ConfigLoader.withEnvironment(ENV).load(printed, "printed");
        assertEquals(printed.lines().skip(1).toList(), ConfigPrinter.print(second).lines().skip(1).toList());
        assertEquals(first.conversations(), second.conversations());
        assertEquals(first.ircNetworks(), second.ircNetworks());
        assertEquals(first.matrixServers(), second.matrixServers());
    }

    @Test
    void theDemoPrintsItsPacingAndRoom() {
        String printed = ConfigPrinter.print(ConfigLoader.withEnvironment(Map.of()).loadDefault());
        assertTrue(printed.startsWith("# Effective configuration loaded from parley-default.conf"), printed);
        assertTrue(printed.contains("      min-delay = 1.5s\n      max-delay = 3s\n"), printed);
        assertTrue(printed.contains("{ type = terminal, human-name = \"you\", colours = false }"), printed);
        assertTrue(printed.contains("      max-turns = 40\n"), printed);
    }
}
