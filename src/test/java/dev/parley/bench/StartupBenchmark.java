package dev.parley.bench;

import dev.parley.irc.IrcLine;
import dev.parley.irc.IrcServerFixture;
import dev.parley.irc.RawIrcClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Start-up as a user sees it: from launching {@code java -jar target/parley.jar run --config ...} (a config with
 * replay seats in one channel of a local ngircd) until a raw IRC client already in the channel has seen every
 * identity (the control nick and each seat) JOIN. Each run is a fresh JVM and a fresh transcripts directory; the
 * daemon is stopped with SIGTERM before the next run so nicks are free again. {@link MatrixStartupBenchmark} is the
 * same on a local Synapse; {@link StartupRuns} is what they share.
 *
 * <pre>
 * java -cp target/parley.jar:target/test-classes dev.parley.bench.StartupBenchmark [runs] [seats] [jar] [-- jvm-args...]
 * </pre>
 * JVM arguments after {@code --} go before {@code -jar} (e.g. {@code -XX:SharedArchiveFile=target/parley.jsa}).
 */
public final class StartupBenchmark {
    private StartupBenchmark() { }

    public static void main(String[] argv) throws Exception {
        StartupRuns.Args args = StartupRuns.Args.parse(argv);
        int seats = args.seats();
        try (IrcServerFixture server = IrcServerFixture.start(IrcServerFixture.Kind.NGIRCD);
             RawIrcClient watcher = RawIrcClient.connect("127.0.0.1", server.port(), "watcher", "watcher")) {
            watcher.join("#parley");
            Path dir = Files.createTempDirectory("parley-startup");
            Path config = dir.resolve("startup.conf");
            Files.writeString(config, config(server.port(), seats, dir.resolve("transcripts")));
            Set<String> identities = new HashSet<>();
            identities.add("parley");
            for (int i = 0; i < seats; i++) {
                identities.add("seat" + i);
            }
            List<StartupRuns.Sample> samples = new ArrayList<>();
            for (int run = 1; run <= args.runs(); run++) {
                StartupRuns.deleteTree(dir.resolve("transcripts"));
                Set<String> waiting = new HashSet<>(identities);
                StartupRuns.Sample s = StartupRuns.once(args, config, dir.resolve("stderr.log"), () -> {
                    while (!waiting.isEmpty()) {
                        IrcLine join = watcher.await(l -> l.command().equals("JOIN"), Duration.ofSeconds(30));
                        waiting.remove(join.nick().toLowerCase(Locale.ROOT));
                    }
                });
                // Everyone has left (the daemon quits its identities) before the next run joins them again.
                samples.add(s);
                StartupRuns.printRun(run, s);
            }
            StartupRuns.printSummary(args, "", samples);
            StartupRuns.deleteTree(dir);
        }
    }

    private static String config(int port, int seats, Path transcripts) {
        StringBuilder s = new StringBuilder();
        s.append("transcripts-dir = \"").append(transcripts.toString().replace("\\", "\\\\")).append("\"\n");
        s.append("irc.networks.local { host = \"127.0.0.1\", port = ").append(port)
                .append(", control-nick = \"parley\", line-delay = 0s, burst = 10 }\n");
        s.append("conversations = [ { id = startup, auto-start = true, seats = [\n");
        for (int i = 0; i < seats; i++) {
            String speaker = i % 2 == 0 ? "Ada" : "Basil";
            s.append("  { id = seat").append(i).append(", name = \"").append(speaker).append(i)
                    .append("\", irc { nick = \"seat").append(i).append("\" }, model { provider = replay, ")
                    .append("replay { transcript = \"classpath:dialogues/demo.md\", speaker = \"").append(speaker)
                    .append("\" } } }\n");
        }
        s.append("], rooms = [ { type = irc, network = local, channel = \"#parley\" } ] } ]\n");
        return s.toString();
    }
}
