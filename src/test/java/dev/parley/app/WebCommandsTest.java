package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalFeed;
import dev.parley.archive.JsonlJournal;
import dev.parley.config.ConfigLoader;
import dev.parley.config.ParleyConfig;
import dev.parley.web.StatusSource;
import dev.parley.web.WebServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebCommandsTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new Cli(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), ConfigLoader.withEnvironment(Map.of())).run(args);
    }

    private Path config(boolean enabled, int port, String privateId) throws Exception {
        Path file = dir.resolve("web.conf");
        Files.writeString(file, """
                transcripts-dir = "%s"
                http { enabled = %s, port = %d }
                conversations = [ { id = %s, web.private = true, rooms = [ { type = terminal } ], seats = [
                  { id = a, model { provider = replay, replay.transcript = "classpath:d.md" } }
                  { id = b, model { provider = replay, replay.transcript = "classpath:d.md" } } ] } ]
                """.formatted(dir.resolve("t"), enabled, port, privateId));
        return file;
    }

    private void episode(String conversation) {
        try (JsonlJournal j = JsonlJournal.open(dir.resolve("t").resolve(conversation)
                .resolve(conversation + "-1.jsonl"))) {
            Instant t = Instant.parse("2026-11-20T09:00:00Z");
            j.append(new JournalEvent.Start(1, t, conversation, List.of(new JournalEvent.SeatInfo("a", "Ada", "replay",
                    "r")), List.of("terminal")));
            j.append(JournalEvent.Said.model(2, t, "Ada", "a", "hello from " + conversation, 1, "replay", "r"));
            j.append(new JournalEvent.Stop(3, t, "done"));
        }
    }

    @Test
    void siteWritesTheArchiveLeavingOutWhatTheConfigMakesPrivate() throws Exception {
        episode("public");
        episode("hidden");
        Path site = dir.resolve("site");
        assertThat(run("site", dir.resolve("t").toString(), "--out", site.toString(), "--config",
                config(false, 8080, "hidden").toString())).isEqualTo(0);
        assertThat(out.toString()).contains("1 episodes");
        assertThat(Files.readString(site.resolve("c/public/public-1/index.html"))).contains("hello from public");
        assertThat(site.resolve("c/hidden")).doesNotExist();
        assertThat(run("site", dir.resolve("t").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("site needs --out DIR");
    }

    @Test
    void healthcheckAsksTheWebView() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path conf = config(true, port, "x");
        assertThat(run("healthcheck", "--config", conf.toString())).isEqualTo(1);
        ParleyConfig config = ConfigLoader.withEnvironment(Map.of()).load(conf);
        try (WebServer web = WebWiring.start(config, new JournalFeed(), StatusSource.NONE).orElseThrow()) {
            assertThat(web.port()).isEqualTo(port);
            assertThat(run("healthcheck", "--config", conf.toString())).isEqualTo(0);
        }
        assertThat(run("healthcheck", "--config", config(false, port, "x").toString())).isEqualTo(0);
        assertThat(out.toString()).contains("web view is off");
    }
}
