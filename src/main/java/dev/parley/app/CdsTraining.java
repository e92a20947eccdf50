package dev.parley.app;

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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The training run for the class-data-sharing archive that {@code mvn package} makes
 * ({@code java -XX:ArchiveClassesAtExit=target/parley.jsa -cp target/parley.jar dev.parley.app.CdsTraining}): one
 * short episode of two replay seats, zero pacing, in a channel of a minimal IRC server on a loopback port inside
 * this process, so that the archive holds the classes a real start loads (config, logging, JSON, journal,
 * PircBotX, the engine) without needing an IRC server on the build machine. Not a user command.
 */
public final class CdsTraining {
    private CdsTraining() { }

    public static void main(String[] args) throws IOException {
        // A hung training must not hang the build: the archive is an optimisation, not a product.
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cds-training-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.schedule(() -> Runtime.getRuntime().halt(3), 60, TimeUnit.SECONDS);
        Path dir = Files.createTempDirectory("parley-cds-training");
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread accept = new Thread(() -> serve(server), "cds-training-irc");
            accept.setDaemon(true);
            accept.start();
            Path config = dir.resolve("training.conf");
            Files.writeString(config, """
                    transcripts-dir = "%s"
                    irc.networks.train { host = "127.0.0.1", port = %d, control-nick = "parley", line-delay = 0s }
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
                    } ]
                    """.formatted(dir.resolve("transcripts").toString().replace("\\", "\\\\"), server.getLocalPort()));
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            int code = new Cli(InputStream.nullInputStream(), quiet, System.err)
                    .run(new String[] {"run", "--once", "--config", config.toString()});
            deleteTree(dir);
            System.exit(code);
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
                    case "PING" -> ":train PONG train :" + (w.length > 1 ? w[1] : "");
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
