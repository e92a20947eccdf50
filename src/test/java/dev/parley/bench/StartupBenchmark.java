package dev.parley.bench;

import dev.parley.irc.IrcLine;
import dev.parley.irc.IrcServerFixture;
import dev.parley.irc.RawIrcClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Start-up as a user sees it: from launching {@code java -jar target/parley.jar run --config ...} (a config with
 * replay seats in one channel of a local ngircd) until a raw IRC client already in the channel has seen every
 * identity (the control nick and each seat) JOIN. Each run is a fresh JVM and a fresh transcripts directory; the
 * daemon is stopped with SIGTERM before the next run so nicks are free again.
 *
 * <pre>
 * java -cp target/parley.jar:target/test-classes dev.parley.bench.StartupBenchmark [runs] [seats] [jar] [-- jvm-args...]
 * </pre>
 * JVM arguments after {@code --} go before {@code -jar} (e.g. {@code -XX:SharedArchiveFile=target/parley.jsa}).
 */
public final class StartupBenchmark {
    private StartupBenchmark() { }

    public static void main(String[] args) throws Exception {
        List<String> plain = new ArrayList<>(Arrays.asList(args));
        List<String> jvmArgs = new ArrayList<>();
        int dashes = plain.indexOf("--");
        if (dashes >= 0) {
            jvmArgs.addAll(plain.subList(dashes + 1, plain.size()));
            plain = new ArrayList<>(plain.subList(0, dashes));
        }
        int runs = plain.size() > 0 ? Integer.parseInt(plain.get(0)) : 10;
        int seats = plain.size() > 1 ? Integer.parseInt(plain.get(1)) : 2;
        Path jar = Path.of(plain.size() > 2 ? plain.get(2) : "target/parley.jar");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

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
            long[] ms = new long[runs];
            long[] cpu = new long[runs];
            for (int run = 0; run < runs; run++) {
                deleteTree(dir.resolve("transcripts"));
                List<String> command = new ArrayList<>();
                command.add(java);
                command.addAll(jvmArgs);
                command.addAll(List.of("-jar", jar.toString(), "run", "--config", config.toString()));
                ProcessBuilder pb = new ProcessBuilder(command)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("stderr.log").toFile()));
                Set<String> waiting = new HashSet<>(identities);
                long t0 = System.nanoTime();
                Process p = pb.start();
                try {
                    while (!waiting.isEmpty()) {
                        IrcLine join = watcher.await(l -> l.command().equals("JOIN"), Duration.ofSeconds(30));
                        waiting.remove(join.nick().toLowerCase(Locale.ROOT));
                    }
                    ms[run] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    cpu[run] = cpuMillis(p.pid());
                } finally {
                    p.destroy();
                    if (!p.waitFor(15, TimeUnit.SECONDS)) {
                        p.destroyForcibly().waitFor();
                    }
                }
                // Everyone has left (the daemon quits its identities) before the next run joins them again.
                System.out.printf("run %d: %d ms (CPU %d ms)%n", run + 1, ms[run], cpu[run]);
            }
            long[] sorted = ms.clone();
            Arrays.sort(sorted);
            long[] cpuSorted = cpu.clone();
            Arrays.sort(cpuSorted);
            System.out.printf(Locale.ROOT, "[startup] java %s-jar %s run: %d runs, %d identities (control + %d seats)"
                            + " joined: median %.0f ms, min %d ms, max %d ms; CPU time to joined: median %.0f ms "
                            + "(load average %s)%n",
                    jvmArgs.isEmpty() ? "" : String.join(" ", jvmArgs) + " ", jar, runs, seats + 1, seats,
                    median(sorted), sorted[0], sorted[runs - 1], median(cpuSorted), loadAverage());
            deleteTree(dir);
        }
    }

    private static double median(long[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    /**
     * The daemon's user + system CPU time so far, from /proc (Linux; -1 elsewhere): on a loaded machine it varies
     * far less than the wall-clock figure, so it shows whether a change cut work or the machine was just quieter.
     */
    static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
            return ticks * 1000 / 100; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
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

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
