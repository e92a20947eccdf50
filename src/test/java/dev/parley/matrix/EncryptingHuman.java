package dev.parley.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.testsupport.Waiting;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A human with a real encrypting Matrix client: src/test/resources/matrix/e2e_human.py (matrix-nio with olm) run by
 * the venv's python. Everything it reports (one JSON object per line) is kept in order; tests wait on it.
 */
final class EncryptingHuman implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final OutputStream stdin;
    private final Path log;
    final List<JsonNode> seen = new CopyOnWriteArrayList<>();

    private EncryptingHuman(Process process, Path log) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.log = log;
        Thread reader = new Thread(this::read, "e2e-human");
        reader.setDaemon(true);
        reader.start();
    }

    /** Logs in as {@code userId} (directly at {@code homeserverUrl}) and waits until its first sync is done. */
    static EncryptingHuman start(String homeserverUrl, String userId, String password, String roomId, Path dir)
            throws IOException, InterruptedException {
        Path script = dir.resolve("e2e_human.py");
        try (InputStream in = EncryptingHuman.class.getResourceAsStream("/matrix/e2e_human.py")) {
            Files.copy(in, script);
        }
        Path store = Files.createDirectories(dir.resolve("human-store"));
        Path log = dir.resolve("human.stderr");
        Process p = new ProcessBuilder(SynapseFixture.python().toString(), script.toString(), homeserverUrl, userId,
                password, store.toString(), roomId)
                .directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "e2e-human-reaper"));
        EncryptingHuman h = new EncryptingHuman(p, log);
        h.await(e -> e.path("event").asText().equals("ready"), Duration.ofSeconds(60));
        return h;
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                seen.add(JSON.readTree(line));
                Files.writeString(log.resolveSibling("human.stdout"), line + "\n", StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** Sends an encrypted m.text and returns its event id. */
    String say(String text) throws IOException, InterruptedException {
        int from = seen.size();
        stdin.write((JSON.createObjectNode().put("cmd", "say").put("text", text) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        JsonNode sent = await(from, e -> e.path("event").asText().equals("sent"), Duration.ofSeconds(60));
        if (sent.path("event_id").isNull() || sent.path("event_id").asText().isEmpty()) {
            throw new AssertionError("not sent: " + sent);
        }
        return sent.path("event_id").asText();
    }

    /** The messages it received (decrypted or not), in order. */
    List<JsonNode> messages() {
        return seen.stream().filter(e -> e.path("event").asText().equals("message")).toList();
    }

    JsonNode await(Predicate<JsonNode> what, Duration timeout) throws InterruptedException, IOException {
        return await(0, what, timeout);
    }

    /** The first report from index {@code from} on that matches, waiting for it at most {@code timeout}. */
    JsonNode await(int from, Predicate<JsonNode> what, Duration timeout) throws IOException {
        Optional<JsonNode> found;
        try {
            // Every 50 ms, as the loop it replaced: another process's output, read by another thread.
            found = Waiting.upTo(timeout).pollInterval(Duration.ofMillis(50))
                    .until(() -> firstFrom(from, what), f -> f.isPresent() || !process.isAlive());
        } catch (ConditionTimeoutException notSeen) {
            found = Optional.empty();
        }
        if (found.isEmpty()) {
            throw new AssertionError("the human did not see it within " + timeout + "; saw " + seen
                    + "\nstderr:\n" + stderrTail());
        }
        return found.get();
    }

    private Optional<JsonNode> firstFrom(int from, Predicate<JsonNode> what) {
        return seen.stream().skip(from).filter(what).findFirst();
    }

    String stderrTail() throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            stdin.write("{\"cmd\": \"quit\"}\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException alreadyGone) {
            // it ended by itself
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
