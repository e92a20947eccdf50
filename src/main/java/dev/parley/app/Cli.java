package dev.parley.app;

import dev.parley.archive.JournalReader;
import dev.parley.archive.Transcript;
import dev.parley.archive.TranscriptParser;
import dev.parley.archive.TranscriptWriter;
import dev.parley.config.ConfigException;
import dev.parley.config.ConfigLoader;
import dev.parley.config.ConfigPrinter;
import dev.parley.config.ParleyConfig;
import dev.parley.host.Host;
import dev.parley.matrix.MatrixRegistration;
import dev.parley.web.StaticSite;
import dev.parley.web.WebOptions;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The command line. Exit codes: 0 done, 1 failed while running, 2 usage or configuration error
 * (one line saying what is wrong, then the usage or the list of config problems).
 */
public final class Cli {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Cli.class);
    static final String USAGE = String.join("\n",
            "usage: parley [run] [--config FILE] [--once]     host the conversations (no config: a demo in this terminal);",
            "                                                 --once: each plays one episode, then parley exits",
            "       parley check --config FILE                validate a config and print it, secrets redacted",
            "       parley render JOURNAL [-o FILE] [--zone Z] render a journal (.jsonl) as a transcript (.md), times in Z (UTC)",
            "       parley replay TRANSCRIPT [--config FILE]  stage an archived transcript as a live conversation",
            "       parley matrix-registration --config FILE  write the Matrix appservice registration file(s)",
            "       parley site TRANSCRIPTS_DIR --out DIR [--config FILE]  the archive as a static web site",
            "       parley healthcheck [--config FILE]        exit 1 if the web view does not answer /healthz (Docker)",
            "       parley --help | --version");

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final ConfigLoader loader;

    public Cli(InputStream in, PrintStream out, PrintStream err) {
        this(in, out, err, new ConfigLoader());
    }

    Cli(InputStream in, PrintStream out, PrintStream err, ConfigLoader loader) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.loader = loader;
    }

    /** Usage errors: the message is the one line shown before the usage. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    public int run(String... argv) {
        try {
            Args args = new Args(argv);
            String command = args.command();
            return switch (command) {
                case "run" -> run(args);
                case "check" -> check(args);
                case "render" -> render(args);
                case "replay" -> replay(args);
                case "matrix-registration" -> matrixRegistration(args);
                case "site" -> site(args);
                case "healthcheck" -> healthcheck(args);
                case "--help", "-h", "help" -> {
                    args.done();
                    out.println(USAGE);
                    yield 0;
                }
                case "--version" -> {
                    args.done();
                    out.println("parley " + version());
                    yield 0;
                }
                default -> throw new UsageException("unknown command \"" + command + "\"");
            };
        } catch (UsageException e) {
            err.println("parley: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (ConfigException e) {
            // The exception's message is the problems alone, one indented line each: the heading is ours.
            int n = e.total();
            err.println("parley: the configuration has " + n + " problem" + (n == 1 ? "" : "s")
                    + (n > e.problems().size() ? "; the first " + e.problems().size() + ":" : ":"));
            err.println(e.getMessage());
            return 2;
        } catch (IllegalArgumentException | java.io.UncheckedIOException | dev.parley.archive.JournalException
                 | dev.parley.archive.TranscriptParseException e) {
            err.println("parley: " + e.getMessage());
            return 1;
        } catch (RuntimeException | Error e) {
            // Anything else is a bug or an input nobody foresaw: one line for the user, the trace for a bug report.
            log.debug("unexpected failure", e);
            err.println("parley: " + unexpected(e) + " (run with -Dparley.log=debug for the details)");
            return 1;
        }
    }

    private static String unexpected(Throwable e) {
        if (e instanceof OutOfMemoryError) {
            return "out of memory: the input is too large for the heap (raise -Xmx, or give a smaller file)";
        }
        if (e instanceof StackOverflowError) {
            return "stack overflow: the input is nested too deeply";
        }
        String message = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
        return "unexpected error, " + e.getClass().getSimpleName() + message;
    }

    /** For run and check: a replay seat whose speaker has no lines is a config problem, found before any run. */
    private ConfigLoader checkingLoader() {
        return loader.withReplayCheck(ScriptLoader::problem);
    }

    private int run(Args args) {
        Optional<Path> file = args.config();
        boolean once = args.flag("--once");
        args.done();
        // Every run journals (JSON) and keeps series state (JSON): load those while the config is read, then
        // what this config's rooms and models need (WarmUp.forConfig).
        CompletableFuture<ParleyConfig> read = new CompletableFuture<>();
        WarmUp.inBackground(List.of("dev.parley.archive.JournalJson", "dev.parley.host.SeriesState"),
                () -> WarmUp.forConfig(read.join()));
        ConfigLoader checking = checkingLoader();
        ParleyConfig config;
        try {
            config = file.map(checking::load).orElseGet(checking::loadDefault);
        } catch (RuntimeException | Error e) {
            read.cancel(false); // the warm-up thread stops; the error is reported from here
            throw e;
        }
        read.complete(config);
        return new Daemon(config, file.<Host.ConfigSource>map(f -> () -> checking.load(f)).orElse(null),
                in, out).once(once).run();
    }

    private int check(Args args) {
        Path file = args.config().orElseThrow(() -> new UsageException("check needs --config FILE"));
        args.done();
        ParleyConfig config = checkingLoader().load(file);
        out.print(ConfigPrinter.print(config));
        out.println("# " + file + ": OK");
        return 0;
    }

    private int render(Args args) {
        // Options first, so "render -o out.md j.jsonl" does not take out.md for the journal.
        Optional<String> output = args.option("-o", "--output");
        ZoneId zone = args.option("--zone").map(Cli::zone).orElse(ZoneId.of("UTC"));
        Path journal = Path.of(args.positional("JOURNAL"));
        args.done();
        if (!Files.isRegularFile(journal)) {
            throw new IllegalArgumentException("no such journal: " + journal);
        }
        Transcript transcript = Transcript.fromJournal(JournalReader.read(journal), zone);
        if (output.isPresent()) {
            TranscriptWriter.write(transcript, Path.of(output.get()));
            out.println("Transcript: " + output.get());
        } else {
            out.writeBytes(TranscriptWriter.renderBytes(transcript));
            out.flush();
        }
        return 0;
    }

    private static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (java.time.DateTimeException e) {
            throw new UsageException("--zone: unknown time zone \"" + id + "\" (an IANA id such as Europe/Paris, or UTC)");
        }
    }

    private int replay(Args args) {
        Optional<Path> configFile = args.config();
        Path file = Path.of(args.positional("TRANSCRIPT"));
        args.done();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such transcript: " + file);
        }
        Replay replay = new Replay(file, TranscriptParser.read(file));
        ParleyConfig base = configFile.map(loader::load).orElseGet(loader::loadDefault);
        return new Daemon(replay.config(base), null, in, out).staging(replay).run();
    }

    /**
     * Writes each appservice-mode server's registration file (fresh tokens; an existing file keeps its tokens),
     * for the homeserver admin to list under app_service_config_files.
     */
    private int matrixRegistration(Args args) {
        Path file = args.config().orElseThrow(() -> new UsageException("matrix-registration needs --config FILE"));
        args.done();
        ParleyConfig config = loader.load(file);
        List<Path> written;
        try {
            written = MatrixRegistration.writeAll(config.matrixServers().values(), false);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the registration file: " + e.getMessage(), e);
        }
        if (written.isEmpty()) {
            throw new IllegalArgumentException("no matrix server in " + file + " is in appservice mode");
        }
        for (Path p : written) {
            out.println("Registration: " + p + " (add it to app_service_config_files in homeserver.yaml)");
        }
        return 0;
    }

    /** The archive as static HTML; the config (optional) says which conversations are private, and pseudonyms. */
    private int site(Args args) {
        Path outDir = args.option("--out", "-o").map(Path::of)
                .orElseThrow(() -> new UsageException("site needs --out DIR"));
        Optional<Path> configFile = args.config();
        Path dir = Path.of(args.positional("TRANSCRIPTS_DIR"));
        args.done();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no such directory: " + dir);
        }
        WebOptions options = configFile.map(loader::load).map(WebWiring::options)
                .map(o -> new WebOptions(dir, o.zone(), o.pseudonyms(), o.privateConversations(),
                        o.indexableConversations()))
                .orElseGet(() -> new WebOptions(dir, ZoneId.of("UTC"), false, Set.of(), Set.of()));
        StaticSite.Result result = StaticSite.export(options, outDir);
        out.println("Site: " + result.index() + " (" + result.episodes() + " episodes, " + result.pages() + " pages)");
        return 0;
    }

    /** Asks the running web view for /healthz; for a Docker HEALTHCHECK, which has no curl in a JRE image. */
    private int healthcheck(Args args) {
        Optional<Path> configFile = args.config();
        args.done();
        ParleyConfig config = configFile.map(loader::load).orElseGet(loader::loadDefault);
        if (!config.http().enabled()) {
            // Nothing to ask: as healthy as a container without a HEALTHCHECK, rather than falsely unhealthy.
            out.println("the web view is off (http.enabled = false): nothing to check");
            return 0;
        }
        String host = config.http().bind().equals("0.0.0.0") || config.http().bind().equals("::")
                ? "127.0.0.1" : config.http().bind();
        java.net.URI uri = java.net.URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + config.http().port() + "/healthz");
        try {
            java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newBuilder()
                    .connectTimeout(java.time.Duration.ofSeconds(3)).build()
                    .send(java.net.http.HttpRequest.newBuilder(uri).timeout(java.time.Duration.ofSeconds(3)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                out.println("healthy: " + uri);
                return 0;
            }
            err.println("parley: " + uri + " answered " + response.statusCode());
        } catch (java.io.IOException e) {
            err.println("parley: " + uri + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 1;
    }

    static String version() {
        String v = Cli.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** A small argument reader: a command word, positionals, and options with one value each. */
    private static final class Args {
        private final List<String> rest = new ArrayList<>();
        private final String command;

        Args(String[] argv) {
            List<String> all = new ArrayList<>(List.of(argv));
            command = all.isEmpty() || all.get(0).startsWith("--config")
                    || all.get(0).equals("-c") || all.get(0).equals("--once") ? "run" : all.remove(0);
            rest.addAll(all);
        }

        String command() {
            return command;
        }

        Optional<Path> config() {
            return option("--config", "-c").map(Path::of);
        }

        Optional<String> option(String... names) {
            for (int i = 0; i < rest.size(); i++) {
                for (String n : names) {
                    if (rest.get(i).equals(n)) {
                        if (i + 1 >= rest.size()) {
                            throw new UsageException(n + " needs a value");
                        }
                        String v = rest.get(i + 1);
                        rest.subList(i, i + 2).clear();
                        return Optional.of(v);
                    }
                    if (rest.get(i).startsWith(n + "=")) {
                        return Optional.of(rest.remove(i).substring(n.length() + 1));
                    }
                }
            }
            return Optional.empty();
        }

        /** Whether {@code name} was given (and takes it out of the rest). */
        boolean flag(String name) {
            return rest.remove(name);
        }

        String positional(String what) {
            for (int i = 0; i < rest.size(); i++) {
                if (!rest.get(i).startsWith("-")) {
                    return rest.remove(i);
                }
            }
            throw new UsageException(command + " needs " + what);
        }

        void done() {
            if (!rest.isEmpty()) {
                throw new UsageException("unexpected argument \"" + rest.get(0) + "\" for " + command);
            }
        }
    }
}
