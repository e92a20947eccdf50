package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.config.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MatrixRegistrationCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int cli(String... args) {
        return new Cli(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), ConfigLoader.withEnvironment(Map.of())).run(args);
    }

    @Test
    void writesTheRegistrationOnceAndKeepsItsTokensAfterwards() throws Exception {
        Path registration = dir.resolve("reg/parley.yaml");
        Path conf = dir.resolve("as.conf");
        Files.writeString(conf, """
                matrix.servers.local {
                  homeserver-url = "http://127.0.0.1:8008", mode = appservice, control-user = "@parley:localhost"
                  appservice.registration-file = "%s"
                }
                conversations = [ { id = salon, rooms = [ { type = matrix, room = "#salon:localhost" } ], seats = [
                  { id = a, matrix.user = "@parley_a:localhost", model { provider = replay, replay.transcript = "classpath:dialogues/demo.md" } }
                  { id = b, matrix.user = "@parley_b:localhost", model { provider = replay, replay.transcript = "classpath:dialogues/demo.md" } }
                ] } ]
                """.formatted(registration));

        assertThat(cli("matrix-registration", "--config", conf.toString())).isZero();
        String first = Files.readString(registration);
        assertThat(first).contains("as_token: \"", "hs_token: \"", "sender_localpart: \"parley\"", "regex: \"@parley_.*:localhost\"");
        assertThat(Files.getPosixFilePermissions(registration)).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Registration: " + registration);

        assertThat(cli("matrix-registration", "--config", conf.toString())).isZero();
        assertThat(Files.readString(registration)).isEqualTo(first);
    }

    @Test
    void aConfigWithoutAnAppserviceIsAClearError() throws Exception {
        Path conf = dir.resolve("plain.conf");
        Files.writeString(conf, """
                conversations = [ { id = x, rooms = [ { type = terminal } ], seats = [
                  { id = a, model { provider = replay, replay.transcript = "classpath:dialogues/demo.md" } }
                  { id = b, model { provider = replay, replay.transcript = "classpath:dialogues/demo.md" } }
                ] } ]
                """);
        assertThat(cli("matrix-registration", "--config", conf.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("parley: no matrix server in " + conf
                + " is in appservice mode\n");
        assertThat(cli("matrix-registration")).isEqualTo(2);
    }
}
