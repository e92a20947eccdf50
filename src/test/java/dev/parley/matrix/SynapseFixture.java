package dev.parley.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.testsupport.Waiting;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Synapse for integration tests: writes a homeserver.yaml into a temp dir (SQLite, loopback, a free port,
 * relaxed rate limits unless asked otherwise), runs it as a subprocess of the venv's python, waits until
 * /_matrix/client/versions answers, and creates users through the shared-secret admin API. It can be stopped and
 * started again on the same port and database, to test a homeserver restart. Slow to start (~1-3 s): one per
 * test class.
 */
public final class SynapseFixture implements AutoCloseable {
    public static final String SERVER_NAME = "localhost";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Boolean available;

    /** {@code lowRcMessage}: per-user message rate limit of 0.5/s with a burst of 3, to provoke M_LIMIT_EXCEEDED. */
    public record Options(boolean lowRcMessage, List<Path> appserviceFiles) {
        public static Options relaxed() {
            return new Options(false, List.of());
        }
    }

    private final Path dir;
    private final int port;
    private final String sharedSecret;
    private final HttpClient http = HttpClient.newHttpClient();
    private volatile Process process;

    private SynapseFixture(Path dir, int port, String sharedSecret) {
        this.dir = dir;
        this.port = port;
        this.sharedSecret = sharedSecret;
    }

    /** The venv python from PARLEY_SYNAPSE_PYTHON, else $HOME/.cache/parley/venv/bin/python. */
    public static Path python() {
        String env = System.getenv("PARLEY_SYNAPSE_PYTHON");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "parley", "venv", "bin", "python");
    }

    /** True when that python exists and can import synapse. */
    public static synchronized boolean available() {
        if (available == null) {
            Path py = python();
            boolean ok = false;
            if (Files.isExecutable(py)) {
                try {
                    Process p = new ProcessBuilder(py.toString(), "-c", "import synapse").redirectErrorStream(true)
                            .start();
                    p.getInputStream().readAllBytes();
                    ok = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
                } catch (IOException | InterruptedException e) {
                    ok = false;
                }
            }
            available = ok;
        }
        return available;
    }

    public static SynapseFixture start(Options options) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("parley-synapse");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        SecureRandom random = new SecureRandom();
        byte[] secret = new byte[24];
        random.nextBytes(secret);
        SynapseFixture f = new SynapseFixture(dir, port, HexFormat.of().formatHex(secret));
        f.writeConfig(options, random);
        // A test JVM that dies without @AfterAll must not leave a homeserver running.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Process p = f.process;
            if (p != null) {
                p.destroyForcibly();
            }
        }, "synapse-reaper"));
        f.start();
        return f;
    }

    private void writeConfig(Options options, SecureRandom random) throws IOException {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        // Synapse's signing key file: "<algorithm> <version> <unpadded base64 seed>".
        Files.writeString(dir.resolve("signing.key"),
                "ed25519 a_test " + Base64.getEncoder().withoutPadding().encodeToString(seed) + "\n");
        String relaxed = "{per_second: 1000, burst_count: 1000}";
        String message = options.lowRcMessage() ? "{per_second: 0.5, burst_count: 3}" : relaxed;
        StringBuilder y = new StringBuilder();
        y.append("server_name: \"").append(SERVER_NAME).append("\"\n")
                .append("pid_file: ").append(dir.resolve("homeserver.pid")).append('\n')
                .append("listeners:\n  - port: ").append(port).append('\n')
                .append("    bind_addresses: ['127.0.0.1']\n    type: http\n    tls: false\n    x_forwarded: false\n")
                .append("    resources:\n      - names: [client]\n        compress: false\n")
                .append("database:\n  name: sqlite3\n  args:\n    database: ").append(dir.resolve("homeserver.db"))
                .append('\n')
                .append("media_store_path: ").append(dir.resolve("media")).append('\n')
                .append("signing_key_path: ").append(dir.resolve("signing.key")).append('\n')
                .append("registration_shared_secret: \"").append(sharedSecret).append("\"\n")
                .append("macaroon_secret_key: \"").append(sharedSecret).append("m\"\n")
                .append("form_secret: \"").append(sharedSecret).append("f\"\n")
                .append("report_stats: false\ntrusted_key_servers: []\nsuppress_key_server_warning: true\n")
                .append("enable_registration: false\npresence:\n  enabled: false\n")
                .append("rc_message: ").append(message).append('\n')
                .append("rc_login:\n  address: ").append(relaxed).append("\n  account: ").append(relaxed)
                .append("\n  failed_attempts: ").append(relaxed).append('\n')
                .append("rc_registration: ").append(relaxed).append('\n')
                .append("rc_joins:\n  local: ").append(relaxed).append("\n  remote: ").append(relaxed).append('\n')
                .append("rc_invites:\n  per_room: ").append(relaxed).append("\n  per_user: ").append(relaxed)
                .append("\n  per_issuer: ").append(relaxed).append('\n');
        if (!options.appserviceFiles().isEmpty()) {
            y.append("app_service_config_files:\n");
            for (Path p : options.appserviceFiles()) {
                y.append("  - ").append(p.toAbsolutePath()).append('\n');
            }
        }
        Files.writeString(dir.resolve("homeserver.yaml"), y.toString());
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Path dir() {
        return dir;
    }

    /** The homeserver's process id (it changes with a restart), for benchmarks that read its CPU time. */
    public long pid() {
        return process.pid();
    }

    /** Starts (again) and waits until the client API answers. */
    public synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return;
        }
        process = new ProcessBuilder(python().toString(), "-m", "synapse.app.homeserver",
                "-c", dir.resolve("homeserver.yaml").toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("synapse.log").toFile()))
                .start();
        // Every 100 ms: it takes seconds to start, and each check is a request.
        try {
            Waiting.upTo(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(this::answers);
        } catch (ConditionTimeoutException notUp) {
            throw new IOException("synapse did not answer within 90 s:\n" + logTail(), notUp);
        }
    }

    /** Whether the client API answers yet; an exception once the process is gone, as waiting on is pointless. */
    private boolean answers() throws IOException, InterruptedException {
        if (!process.isAlive()) {
            throw new IOException("synapse exited with " + process.exitValue() + ":\n" + logTail());
        }
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url() + "/_matrix/client/versions"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (IOException notYet) {
            return false; // still starting
        }
    }

    /** Stops the server (SIGTERM, then kill); its database stays for {@link #start()}. */
    public synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        process = null;
    }

    /** Registers a user through the shared-secret admin API and returns its access token. */
    public String register(String localpart, String password, boolean admin) throws IOException, InterruptedException {
        HttpResponse<String> n = http.send(HttpRequest.newBuilder(URI.create(url() + "/_synapse/admin/v1/register"))
                .build(), HttpResponse.BodyHandlers.ofString());
        String nonce = JSON.readTree(n.body()).path("nonce").asText();
        String mac;
        try {
            Mac h = Mac.getInstance("HmacSHA1");
            h.init(new SecretKeySpec(sharedSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            String msg = nonce + "\0" + localpart + "\0" + password + "\0" + (admin ? "admin" : "notadmin");
            mac = HexFormat.of().formatHex(h.doFinal(msg.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        String body = JSON.createObjectNode().put("nonce", nonce).put("username", localpart)
                .put("password", password).put("admin", admin).put("mac", mac).toString();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/_synapse/admin/v1/register"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode j = JSON.readTree(r.body());
        if (r.statusCode() != 200) {
            throw new IOException("register " + localpart + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return j.path("access_token").asText();
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("synapse.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
