package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.config.ConfigLoader;
import dev.parley.config.ParleyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warm-up loads what the config's rooms and models use, and nothing else (issue 13: a Matrix start). */
class WarmUpTest {
    private static final String PIRCBOTX = "org.pircbotx.PircBotX";
    private static final String OKHTTP_PLATFORM = "okhttp3.internal.platform.Platform";

    @TempDir
    Path dir;

    @Test
    void anIrcConversationOfReplaySeatsWarmsPircBotXAndNotOkHttp() throws Exception {
        List<String> names = WarmUp.forConfig(load("""
                irc.networks.local { host = "127.0.0.1", port = 6667 }
                conversations = [ { id = c, seats = [ %s ], rooms = [ { type = irc, network = local, channel = "#c" } ] } ]
                """.formatted(replaySeat("Ada", "irc.nick = Ada") + replaySeat("Basil", "irc.nick = Basil"))));

        assertThat(names).contains(PIRCBOTX).doesNotContain(OKHTTP_PLATFORM);
    }

    @Test
    void aMatrixConversationWarmsOkHttpAndNotPircBotX() throws Exception {
        Files.writeString(dir.resolve("pw"), "secret");
        List<String> names = WarmUp.forConfig(load("""
                matrix.servers.home { homeserver-url = "http://127.0.0.1:8008", mode = accounts,
                  control-user = "@bot:localhost", control-password-file = "%s" }
                conversations = [ { id = c, seats = [ %s ], rooms = [ { type = matrix, server = home, room = "#c:localhost" } ] } ]
                """.formatted(dir.resolve("pw"), matrixSeat("Ada") + matrixSeat("Basil"))));

        assertThat(names).contains(OKHTTP_PLATFORM).doesNotContain(PIRCBOTX);
    }

    @Test
    void aSeatOnAnHttpProviderWarmsOkHttp() throws Exception {
        List<String> names = WarmUp.forConfig(load("""
                irc.networks.local { host = "127.0.0.1", port = 6667 }
                conversations = [ { id = c, seats = [
                  { id = ada, name = Ada, irc.nick = Ada, model { provider = openai, model = "gpt-4o-mini",
                    base-url = "http://127.0.0.1:9/v1" } }
                  %s ],
                  rooms = [ { type = irc, network = local, channel = "#c" } ] } ]
                """.formatted(replaySeat("Basil", "irc.nick = Basil"))));

        assertThat(names).contains(OKHTTP_PLATFORM, PIRCBOTX);
    }

    private ParleyConfig load(String body) {
        return new ConfigLoader().load("transcripts-dir = \"" + dir.resolve("t") + "\"\n" + body, "test");
    }

    private String matrixSeat(String name) {
        return replaySeat(name, "matrix { user = \"@" + name.toLowerCase() + ":localhost\", password-file = \""
                + dir.resolve("pw") + "\" }");
    }

    private static String replaySeat(String name, String room) {
        return "{ id = " + name.toLowerCase() + ", name = " + name + ", " + room + ", model { provider = replay, "
                + "replay { transcript = \"classpath:dialogues/demo.md\", speaker = " + name + " } } }\n";
    }
}
