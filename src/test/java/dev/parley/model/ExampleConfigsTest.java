package dev.parley.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * conf/examples/{openrouter,anthropic,ollama}.conf: valid HOCON, two seats each, only model keys that exist,
 * a provider the factory knows, and every api-key-env named in the file's "Needs:" header.
 */
class ExampleConfigsTest {
    private static final Set<String> MODEL_KEYS = Set.of("provider", "model", "base-url", "api-key-env", "api-key-file",
            "headers", "temperature", "top-p", "max-tokens", "seed", "stop", "extra-body", "timeouts", "retry", "price",
            "prompt-caching", "anthropic-version", "replay");

    @ParameterizedTest
    @ValueSource(strings = {"openrouter", "anthropic", "ollama"})
    void exampleIsATwoSeatConfigWithKnownKeys(String name) throws Exception {
        Path file = Path.of("conf/examples", name + ".conf");
        String text = Files.readString(file);
        Config root = ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription(file.toString()))
                .resolve();
        List<? extends Config> conversations = root.getConfigList("conversations");
        assertEquals(1, conversations.size());
        List<? extends Config> seats = conversations.get(0).getConfigList("seats");
        assertEquals(2, seats.size(), name + " has two seats");
        String header = text.substring(0, text.indexOf("conversations"));
        for (Config seat : seats) {
            Config model = seat.getConfig("model");
            for (String key : model.root().keySet()) {
                assertTrue(MODEL_KEYS.contains(key), name + ": unknown model key " + key);
            }
            assertTrue(ModelClients.PROVIDERS.contains(model.getString("provider")), name);
            assertTrue(seat.getString("system-prompt").length() > 100, name + ": a real system prompt");
            if (model.hasPath("api-key-env")) {
                String env = model.getString("api-key-env");
                assertTrue(header.contains("Needs:  " + env), name + " names " + env + " in its header");
            }
        }
        assertEquals("terminal", conversations.get(0).getConfigList("rooms").get(0).getString("type"));
    }

    @Test
    void ollamaNeedsNoKey() throws Exception {
        Config root = ConfigFactory.parseFile(Path.of("conf/examples/ollama.conf").toFile());
        for (Config seat : root.getConfigList("conversations").get(0).getConfigList("seats")) {
            assertTrue(!seat.hasPath("model.api-key-env"));
            assertTrue(seat.getString("model.base-url").startsWith("http://localhost:11434/v1"));
        }
    }
}
