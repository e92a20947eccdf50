package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The real {@code parley.jar} as a child process, the way a user runs it: its own working directory, stdin
 * closed, stdout and stderr captured to files (so a chatty child never blocks on a full pipe).
 */
public final class ParleyProcess implements AutoCloseable {
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ParleyProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** The jar failsafe was told about ({@code parley.jar}), which must exist: ITs run after {@code package}. */
    public static Path jar() {
        String property = System.getProperty("parley.jar");
        assertThat(property).as("system property parley.jar (set by failsafe in pom.xml)").isNotNull();
        Path jar = Path.of(property).toAbsolutePath();
        assertThat(jar).as("the built jar; run mvn package first").isRegularFile();
        return jar;
    }

    /**
     * Starts {@code java -jar parley.jar args...} in {@code workDir}; {@code label} names its output files. SIGHUP
     * is set back to its default first ({@code env --default-signal}, which then runs java in its place): a test
     * runner started under nohup passes an ignored SIGHUP down to every child, and parley could not be told to
     * reload.
     */
    public static ParleyProcess start(Path workDir, String label, String... args) throws IOException {
        return startWithHangUp(workDir, label, "--default-signal=HUP", args);
    }

    /** The same, {@code env}'s {@code signalOption} setting how the process starts with SIGHUP. */
    static ParleyProcess startWithHangUp(Path workDir, String label, String signalOption, String... args)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of("env", signalOption, java, "-jar", jar().toString()));
        command.addAll(List.of(args));
        Path out = workDir.resolve(label + ".stdout");
        Path err = workDir.resolve(label + ".stderr");
        Process p = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close(); // stdin at end of input: nobody is typing
        return new ParleyProcess(p, out, err);
    }

    public Process process() {
        return process;
    }

    /** Waits for the process to exit; fails (after killing it) if it does not within {@code timeout}. */
    public int waitFor(Duration timeout) throws InterruptedException, IOException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("parley did not exit within " + timeout + "\n" + output());
        }
        return process.exitValue();
    }

    public String stdout() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    public String stderr() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    /** Both outputs, for assertion messages. */
    public String output() throws IOException {
        return "--- stdout ---\n" + stdout() + "--- stderr ---\n" + stderr();
    }

    /** Polls the outputs until {@code condition} holds of them; fails if the process exits first or time runs out. */
    void awaitOutput(Predicate<String> condition, Duration timeout) throws IOException, InterruptedException {
        polling(timeout)
                .failFast(() -> {
                    boolean exited = !process.isAlive(); // asked first: once it has exited, its output is final
                    String output = output();
                    if (exited && !condition.test(output)) {
                        fail("parley exited before its output showed what was awaited\n" + output);
                    }
                })
                .untilAsserted(() -> assertThat(output()).as("parley's output within %s", timeout).matches(condition));
    }

    /**
     * Polls {@code journalDir} until its single journal satisfies {@code condition}; returns its events then.
     * Fails if the process exits first or {@code timeout} passes.
     */
    public List<JournalEvent> awaitJournal(Path journalDir, Predicate<List<JournalEvent>> condition, Duration timeout)
            throws IOException, InterruptedException {
        try {
            return polling(timeout)
                    .failFast(() -> {
                        if (!process.isAlive()) {
                            fail("parley exited (" + process.exitValue() + ") before the journal was ready\n"
                                    + output());
                        }
                    })
                    .until(() -> journalSoFar(journalDir), events -> events != null && condition.test(events));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the journal in " + journalDir + " was not ready within " + timeout + "\n"
                    + output(), e);
        }
    }

    /** The events journalled so far, or null while there is no journal yet. */
    private static List<JournalEvent> journalSoFar(Path journalDir) throws IOException {
        Path journal = onlyJournal(journalDir, false);
        // The child may be mid-append: the reader drops a torn last line, which is what we want here.
        return journal == null ? null : JournalReader.read(journal);
    }

    /** Awaitility polling a child process's files: every 50 ms (it writes them at its own pace). */
    private static ConditionFactory polling(Duration timeout) {
        return Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50)).dontCatchUncaughtExceptions();
    }

    /** The one {@code .jsonl} in {@code dir}, or null when there is none yet (and {@code required} is false). */
    public static Path onlyJournal(Path dir, boolean required) throws IOException {
        if (!Files.isDirectory(dir)) {
            assertThat(required).as("%s exists", dir).isFalse();
            return null;
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> journals = files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).toList();
            assertThat(journals).as("journals in %s", dir).hasSizeLessThanOrEqualTo(1);
            if (journals.isEmpty()) {
                assertThat(required).as("a journal in %s", dir).isFalse();
                return null;
            }
            return journals.get(0);
        }
    }

    public static List<JournalEvent.Said> messages(List<JournalEvent> events) {
        return events.stream().filter(JournalEvent.Said.class::isInstance).map(JournalEvent.Said.class::cast).toList();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    /** Checks the journal has ended: a stop event, followed by nothing but the notices that say so. */
    public static JournalEvent.Stop finalStop(List<JournalEvent> events) {
        return ReplayTest.lastStop(events);
    }
}
