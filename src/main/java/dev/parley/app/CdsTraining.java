package dev.parley.app;

import dev.parley.model.ModelClients;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The class-data-sharing archive that {@code mvn package} makes (target/parley.jsa, docs/benchmark.md). Two roles:
 *
 * <ul>
 *   <li>{@code CdsTraining --archive FILE [jvm-option...]}: the build's step. Runs the training below in a child JVM
 *   with {@code -XX:ArchiveClassesAtExit=FILE}, at most {@value #TRAINING_LIMIT_SECONDS} s, and always exits 0: the
 *   archive only makes starts faster, so a training that fails, hangs or meets a JVM without dynamic archives
 *   leaves no archive and a warning, never a failed build.</li>
 *   <li>{@code CdsTraining} alone: the training, two short episodes of two replay seats each, zero pacing: one in a
 *   channel of a minimal IRC server on a loopback port inside this process, one in a room of a minimal Matrix
 *   homeserver ({@link TrainingHomeserver}, accounts mode, password logins), so that the archive holds the classes
 *   a real start loads (config, logging, JSON, journal, PircBotX, the engine, OkHttp and Kotlin's standard
 *   library, the Matrix client) without needing a server on the build machine.</li>
 * </ul>
 *
 * Not a user command.
 */
public final class CdsTraining {
    static final int TRAINING_LIMIT_SECONDS = 25;

    private CdsTraining() { }

    public static void main(String[] args) throws IOException {
        if (args.length >= 2 && args[0].equals("--archive")) {
            makeArchive(Path.of(args[1]), List.of(args).subList(2, args.length));
            System.exit(0);
        }
        train();
    }

    /**
     * Never throws and never fails the build: any trouble is one warning line on stderr, and false.
     *
     * @return whether the archive was made
     */
    static boolean makeArchive(Path archive, List<String> jvmOptions) {
        try {
            // A stale archive from an earlier jar would only be refused, with a warning at every start.
            Files.deleteIfExists(archive);
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:disable", "-Xlog:all=error:stderr",
                    "-cp", System.getProperty("java.class.path"), CdsTraining.class.getName()));
            Process training = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (!training.waitFor(TRAINING_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                training.destroyForcibly().waitFor();
                Files.deleteIfExists(archive);
                warn(archive, "the training run took over " + TRAINING_LIMIT_SECONDS + " s and was stopped");
            } else if (training.exitValue() != 0 || !Files.isRegularFile(archive)) {
                Files.deleteIfExists(archive);
                warn(archive, "the training run exited with " + training.exitValue());
            } else {
                return true;
            }
        } catch (IOException | RuntimeException e) {
            warn(archive, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            warn(archive, "interrupted");
        }
        return false;
    }

    private static void warn(Path archive, String why) {
        System.err.println("parley: WARNING: no class-data-sharing archive " + archive + " (" + why
                + "); parley works without it, only its start is slower");
    }

    private static void train() throws IOException {
        LogProvider.bind(); // as Main does: the archive holds what a start of the jar loads
        // A hung training must not hang its parent for long: the archive is an optimisation, not a product.
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cds-training-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.schedule(() -> Runtime.getRuntime().halt(3), TRAINING_LIMIT_SECONDS - 5, TimeUnit.SECONDS);
        Path dir = Files.createTempDirectory("parley-cds-training");
        // A runtime image without the JDK's HTTP server (a trimmed jlink image) still gets an archive, for IRC.
        boolean matrix = ModuleLayer.boot().findModule("jdk.httpserver").isPresent();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             TrainingHomeserver homeserver = matrix ? new TrainingHomeserver() : null) {
            Thread accept = new Thread(() -> serve(server), "cds-training-irc");
            accept.setDaemon(true);
            accept.start();
            for (String user : List.of("parley", "ada", "basil")) {
                Files.writeString(dir.resolve(user + ".pw"), "training");
            }
            Path config = dir.resolve("training.conf");
            Files.writeString(config, config(dir, server.getLocalPort(), matrix ? homeserver.url() : null));
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            int code = new Cli(InputStream.nullInputStream(), quiet, System.err)
                    .run(new String[] {"run", "--once", "--config", config.toString()});
            handshake();
            deleteTree(dir);
            System.exit(code);
        }
    }

    /**
     * Two conversations, as the two kinds of start a user makes: one in an IRC channel, one in a Matrix room in
     * accounts mode with password logins (the start {@code MatrixStartupBenchmark} measures); without a
     * {@code homeserver}, the IRC one alone.
     */
    private static String config(Path dir, int ircPort, String homeserver) {
        String irc = """
                transcripts-dir = "%1$s"
                irc.networks.train { host = "127.0.0.1", port = %2$d, control-nick = "parley", line-delay = 0s }
                conversations = [ {
                  id = training
                  pacing { min-delay = 0s, max-delay = 0s, typing-chars-per-second = 0 }
                  stop.max-turns = 4
                  seats = [
                    { id = ada, name = "Ada", irc.nick = "Ada",
                      model { provider = replay, replay { transcript = "classpath:dialogues/demo.md", speaker = "Ada" } } }
                    { id = basil, name = "Basil", irc.nick = "Basil",
                      model { provider = replay, replay { transcript = "classpath:dialogues/demo.md", speaker = "Basil" } } }
                  ]
                  rooms = [ { type = irc, network = train, channel = "#training" } ]
                }""".formatted(quoted(dir.resolve("transcripts")), ircPort);
        if (homeserver == null) {
            return irc + " ]\n";
        }
        return irc + """
                , {
                  id = training-matrix
                  auto-start = true
                  pacing { min-delay = 0s, max-delay = 0s, typing-chars-per-second = 0 }
                  stop.max-turns = 4
                  seats = [
                    { id = ada, name = "Ada", matrix { user = "@ada:train", password-file = "%2$s" },
                      model { provider = replay, replay { transcript = "classpath:dialogues/demo.md", speaker = "Ada" } } }
                    { id = basil, name = "Basil", matrix { user = "@basil:train", password-file = "%3$s" },
                      model { provider = replay, replay { transcript = "classpath:dialogues/demo.md", speaker = "Basil" } } }
                  ]
                  rooms = [ { type = matrix, server = train, room = "%4$s" } ]
                } ]
                matrix.servers.train {
                  homeserver-url = "%5$s"
                  mode = accounts
                  control-user = "@parley:train"
                  control-password-file = "%1$s"
                }
                """.formatted(quoted(dir.resolve("parley.pw")), quoted(dir.resolve("ada.pw")),
                quoted(dir.resolve("basil.pw")), TrainingHomeserver.ROOM_ALIAS, homeserver);
    }

    private static String quoted(Path p) {
        return p.toString().replace("\\", "\\\\");
    }

    /**
     * Most homeservers and model servers speak https, which the training's own servers do not: one handshake
     * with a loopback port that hangs up at once puts the client side of TLS (the trust store, the context, the
     * client's hello) into the archive as well.
     */
    private static void handshake() {
        OkHttpClient client = ModelClients.newSharedHttpClient().newBuilder().callTimeout(3, TimeUnit.SECONDS).build();
        try (ServerSocket refuser = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread hangUp = new Thread(() -> {
                try (Socket s = refuser.accept()) {
                    s.getInputStream().read(); // the client's hello has begun
                } catch (IOException e) {
                    // Closed: the training is over.
                }
            }, "cds-training-tls");
            hangUp.setDaemon(true);
            hangUp.start();
            try (Response ignored = client.newCall(new Request.Builder()
                    .url("https://127.0.0.1:" + refuser.getLocalPort() + "/").build()).execute()) {
                // Not expected: nothing there speaks TLS.
            }
        } catch (IOException | RuntimeException expected) {
            // The refusal is the point.
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void serve(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> client(s), "cds-training-client");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Just enough IRC for a client to register, join and talk: welcome, JOIN echo, end of NAMES, PONG. */
    private static void client(Socket s) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                StandardCharsets.UTF_8))) {
            OutputStream out = s.getOutputStream();
            String nick = "*";
            String line;
            while ((line = in.readLine()) != null) {
                String[] w = line.split(" ", 3);
                String reply = switch (w[0]) {
                    case "CAP" -> w.length > 1 && w[1].equals("LS") ? ":train CAP * LS :" : null;
                    case "NICK" -> {
                        nick = w[1];
                        yield null;
                    }
                    case "USER" -> ":train 001 " + nick + " :Welcome\r\n:train 375 " + nick + " :- MOTD\r\n:train 376 " + nick
                            + " :End of MOTD";
                    case "JOIN" -> ":" + nick + "!u@127.0.0.1 JOIN " + w[1] + "\r\n:train 366 " + nick + " " + w[1]
                            + " :End of /NAMES list.";
                    // parley confirms delivered lines by the token of its PING coming back.
                    case "PING" -> ":train PONG train :" + (w.length > 1 ? line.substring(5).replaceFirst("^:", "") : "");
                    case "QUIT" -> "ERROR :bye";
                    default -> null;
                };
                if (reply != null) {
                    out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        } catch (IOException e) {
            // The daemon closed the connection.
        }
    }
}
