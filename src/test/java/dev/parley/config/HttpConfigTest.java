package dev.parley.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpConfigTest {
    private static final String CONVERSATION = """
            conversations = [ { id = x, rooms = [ { type = terminal } ], %s seats = [
              { id = a, model { provider = replay, replay.transcript = "classpath:d.md" } }
              { id = b, model { provider = replay, replay.transcript = "classpath:d.md" } }
            ] } ]
            """;

    private static ParleyConfig load(String text) {
        return ConfigLoader.withEnvironment(Map.of()).load(text, "web.conf");
    }

    @Test
    void theWebViewIsOffAndEveryConversationPublicButNoindexByDefault() {
        ParleyConfig c = load(CONVERSATION.formatted(""));
        assertThat(c.http()).isEqualTo(new HttpConfig(false, "127.0.0.1", 8080, false));
        assertThat(c.conversations().get(0).web()).isEqualTo(new WebConfig(false, false));
    }

    @Test
    void httpAndPerConversationWebSwitchesAreRead() {
        ParleyConfig c = load("http { enabled = on, bind = \"0.0.0.0\", port = 9090, pseudonyms = yes }\n"
                + CONVERSATION.formatted("web { private = true, indexable = true },"));
        assertThat(c.http()).isEqualTo(new HttpConfig(true, "0.0.0.0", 9090, true));
        assertThat(c.conversations().get(0).web()).isEqualTo(new WebConfig(true, true));
    }

    @Test
    void badValuesAreProblemsWithFileAndLine() {
        assertThatThrownBy(() -> load("http {\n port = 70000\n bind = \"\"\n pseudonym = true\n}\n"
                + CONVERSATION.formatted("")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("web.conf:2: http.port")
                .hasMessageContaining("web.conf:3: http.bind")
                .hasMessageContaining("web.conf:4: http.pseudonym");
    }
}
