package dev.parley.matrix;

import dev.parley.testsupport.Waiting;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real pantalaimon (the end-to-end encrypting Matrix proxy) in front of a {@link SynapseFixture}, run from the same
 * virtualenv ({@code .ci/run} installs it there). Loopback, no TLS, its store in a temp dir, device verification
 * off (a bot cannot click "verify"; docs/matrix.md says what that means).
 */
final class PantalaimonFixture implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Process process;

    private PantalaimonFixture(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** The pantalaimon launcher next to the venv's python. */
    static Path launcher() {
        return SynapseFixture.python().resolveSibling("pantalaimon");
    }

    /** True when pantalaimon and an olm-enabled matrix-nio are installed in the venv. */
    static boolean available() {
        if (!SynapseFixture.available() || !Files.isExecutable(launcher())) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(SynapseFixture.python().toString(), "-c", "import olm, nio, pantalaimon")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static PantalaimonFixture start(SynapseFixture synapse, Path dir) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.createDirectories(dir.resolve("data"));
        Path conf = dir.resolve("pantalaimon.conf");
        Files.writeString(conf, """
                [Default]
                LogLevel = Info
                SSL = False
                Notifications = Off

                [local]
                Homeserver = %s
                ListenAddress = 127.0.0.1
                ListenPort = %d
                SSL = False
                IgnoreVerification = True
                UseKeyring = False
                """.formatted(synapse.url(), port));
        ProcessBuilder pb = new ProcessBuilder(launcher().toString(), "--debug-encryption", "--config", conf.toString(), "--data-path",
                dir.resolve("data").toString())
                .directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("pantalaimon.log").toFile()));
        // Its keyring and store must stay in the temp dir, whatever the user's home holds.
        pb.environment().put("HOME", dir.toString());
        pb.environment().put("XDG_DATA_HOME", dir.resolve("data").toString());
        Process p = pb.start();
        PantalaimonFixture f = new PantalaimonFixture(dir, port, p);
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "pantalaimon-reaper"));
        f.awaitUp();
        return f;
    }

    private void awaitUp() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        // Every 100 ms: it takes seconds to start, and each check is a request.
        try {
            Waiting.upTo(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> answers(http));
        } catch (ConditionTimeoutException notUp) {
            throw new IOException("pantalaimon did not answer within 60 s:\n" + logTail(), notUp);
        }
    }

    /** Whether the client API answers yet; an exception once the process is gone, as waiting on is pointless. */
    private boolean answers(HttpClient http) throws IOException, InterruptedException {
        if (!process.isAlive()) {
            throw new IOException("pantalaimon exited with " + process.exitValue() + ":\n" + logTail());
        }
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url() + "/_matrix/client/versions"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (IOException notYet) {
            return false; // still starting
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("pantalaimon.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
