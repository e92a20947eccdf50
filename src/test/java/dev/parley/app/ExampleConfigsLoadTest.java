package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.config.ConfigLoader;
import dev.parley.config.ParleyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every config we ship loads cleanly (with the secrets it names present), so users start from working files. */
class ExampleConfigsLoadTest {
    static Stream<Path> shippedConfigs() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("conf/examples"))) {
            return Stream.concat(Stream.of(Path.of("conf/parley.conf")),
                    files.filter(p -> p.toString().endsWith(".conf")).sorted().toList().stream());
        }
    }

    @ParameterizedTest
    @MethodSource("shippedConfigs")
    void loads(Path file) {
        Map<String, String> env = Map.of("OPENAI_API_KEY", "k", "ANTHROPIC_API_KEY", "k", "OPENROUTER_API_KEY", "k",
                "PARLEY_MATRIX_TOKEN", "t", "KIMI_MATRIX_TOKEN", "t", "CLAUDE_MATRIX_TOKEN", "t",
                "CLAUDE_MATRIX_PASSWORD", "p");
        ParleyConfig config = ConfigLoader.withEnvironment(env).load(file);
        assertThat(config.conversations()).isNotEmpty();
        assertThat(config.conversations().get(0).seats()).hasSizeGreaterThanOrEqualTo(2);
    }
}
