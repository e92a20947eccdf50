package dev.parley.bench;

import dev.parley.irc.IrcLine;
import dev.parley.irc.IrcServerFixture;
import dev.parley.irc.RawIrcClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Relay latency on IRC as a person in the channel sees it: {@code java -jar target/parley.jar run} with two replay
 * seats, zero pacing and {@code line-delay = 0s} on a local ngircd; a raw IRC client in the channel stamps each seat
 * message as it arrives and reports the gap between consecutive ones (what parley adds per turn: journal forced to
 * disk, posting, the next turn's context, the hop between seats). For comparison it also measures the raw path:
 * one raw client to another through the same server.
 *
 * <pre>
 * java -cp target/parley.jar:target/test-classes dev.parley.bench.RelayBenchmark [messages=200] [jar] [-- jvm-args...]
 * </pre>
 * e.g. {@code -- -XX:StartFlightRecording=filename=relay.jfr,settings=profile} to profile the daemon.
 */
public final class RelayBenchmark {
    private RelayBenchmark() { }

    public static void main(String[] args) throws Exception {
        List<String> plain = new ArrayList<>(List.of(args));
        List<String> jvmArgs = new ArrayList<>();
        int dashes = plain.indexOf("--");
        if (dashes >= 0) {
            jvmArgs.addAll(plain.subList(dashes + 1, plain.size()));
            plain = new ArrayList<>(plain.subList(0, dashes));
        }
        int messages = plain.size() > 0 ? Integer.parseInt(plain.get(0)) : 200;
        Path jar = Path.of(plain.size() > 1 ? plain.get(1) : "target/parley.jar");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // -Dparley.bench.server=inspircd: the same on InspIRCd, to tell the server's share from parley's.
        IrcServerFixture.Kind kind = IrcServerFixture.Kind.valueOf(
                System.getProperty("parley.bench.server", "ngircd").toUpperCase(Locale.ROOT));
        try (IrcServerFixture server = IrcServerFixture.start(kind);
             RawIrcClient watcher = RawIrcClient.connect("127.0.0.1", server.port(), "watcher", "watcher");
             RawIrcClient other = RawIrcClient.connect("127.0.0.1", server.port(), "other", "other")) {
            watcher.join("#relay");
            other.join("#relay");
            long[] raw = rawPath(watcher, other, 500);
            long[] rawStream = rawStream(watcher, other, 500, 400_000, false);
            long[] rawStreamPing = rawStream(watcher, other, 500, 400_000, true);
            long[] rawTurns;
            try (RawIrcClient third = RawIrcClient.connect("127.0.0.1", server.port(), "third", "third")) {
                third.join("#relay");
                rawTurns = rawTurns(watcher, other, third, 500);
            }

            Path dir = Files.createTempDirectory("parley-relay");
            long[] force = appendAndForce(dir.resolve("force-probe.jsonl"), 500, false);
            long[] forceZeroed = appendAndForce(dir.resolve("force-probe.jsonl"), 500, true);
            StringBuilder script = new StringBuilder("# Relay\n\n**Started:** 2026-11-29 09:00:00\n"
                    + "**Ended:** 2026-11-29 09:10:00\n**Messages:** " + messages + "\n\n");
            for (int i = 0; i < messages; i++) {
                script.append("---\n\n### ").append(i % 2 == 0 ? "Ada" : "Basil").append("\n\nLine ").append(i)
                        .append(" of the relay benchmark, about as long as a short reply in a real room.\n\n");
            }
            script.append("---\n\n");
            Files.writeString(dir.resolve("relay.md"), script);
            String seat = "{ id = %s, name = \"%s\", irc.nick = \"%s\", model { provider = replay, replay { "
                    + "transcript = \"" + dir.resolve("relay.md") + "\", speaker = \"%s\" } } }\n";
            Files.writeString(dir.resolve("relay.conf"), "transcripts-dir = \"" + dir.resolve("transcripts") + "\"\n"
                    + "irc.networks.local { host = \"127.0.0.1\", port = " + server.port()
                    + ", control-nick = \"parley\", line-delay = 0s, burst = 10 }\n"
                    + "conversations = [ { id = relay, stop.max-turns = " + messages + "\n"
                    + "pacing { min-delay = 0s, max-delay = 0s, typing-chars-per-second = 0 }\n"
                    + "health.enabled = false\n"
                    + "seats = [\n" + seat.formatted("ada", "Ada", "Ada", "Ada")
                    + seat.formatted("basil", "Basil", "Basil", "Basil")
                    + "], rooms = [ { type = irc, network = local, channel = \"#relay\" } ] } ]\n");
            List<String> command = new ArrayList<>(List.of(java));
            command.addAll(jvmArgs);
            command.addAll(List.of("-jar", jar.toString(), "run", "--once", "--config",
                    dir.resolve("relay.conf").toString()));
            Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            long[] at = new long[messages];
            // The first few gaps are the JIT warming up; a long-running daemon is past them.
            int skip = Math.min(20, messages / 4);
            long cpuAtSkip = -1;
            long cpuAtEnd = -1;
            // A long run is also reported by quarters: the JIT keeps compiling for thousands of messages, and a
            // daemon that relays for hours is past that; the last quarter is the steady state.
            long[] cpuAtQuarter = new long[QUARTERS + 1];
            for (int i = 0; i < messages; i++) {
                watcher.await(l -> l.command().equals("PRIVMSG") && (l.nick().equals("Ada") || l.nick().equals("Basil")),
                        Duration.ofSeconds(30));
                at[i] = System.nanoTime();
                if (i == skip) {
                    cpuAtSkip = StartupRuns.cpuMillis(p.pid());
                } else if (i == messages - 1) {
                    cpuAtEnd = StartupRuns.cpuMillis(p.pid());
                }
                int quarter = Math.max(1, messages / QUARTERS);
                if (i % quarter == 0 && i / quarter < QUARTERS) {
                    cpuAtQuarter[i / quarter] = StartupRuns.cpuMillis(p.pid());
                } else if (i == messages - 1) {
                    cpuAtQuarter[QUARTERS] = StartupRuns.cpuMillis(p.pid());
                }
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            try (var paths = Files.walk(dir)) {
                for (Path f : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
            long[] gaps = new long[messages - 1 - skip];
            for (int i = skip + 1; i < messages; i++) {
                gaps[i - skip - 1] = at[i] - at[i - 1];
            }
            Arrays.sort(gaps);
            System.out.printf(Locale.ROOT, "[relay] raw client to client through " + kind.name().toLowerCase(Locale.ROOT) + ": p50 %.3f ms, p99 %.3f ms "
                    + "(%d messages)%n", pct(raw, 0.5), pct(raw, 0.99), raw.length);
            System.out.printf(Locale.ROOT, "[relay] raw client sending one message every 0.4 ms through the server, gap "
                    + "between them at the watcher: p50 %.3f ms, p99 %.3f ms, max %.3f ms (%d gaps)%n",
                    pct(rawStream, 0.5), pct(rawStream, 0.99), rawStream[rawStream.length - 1] / 1e6, rawStream.length);
            System.out.printf(Locale.ROOT, "[relay] the same, each message followed by a PING as parley confirms its lines: "
                    + "p50 %.3f ms, p99 %.3f ms, max %.3f ms (%d gaps)%n", pct(rawStreamPing, 0.5),
                    pct(rawStreamPing, 0.99), rawStreamPing[rawStreamPing.length - 1] / 1e6, rawStreamPing.length);
            System.out.printf(Locale.ROOT, "[relay] two raw clients taking turns as parley's seats do (a message and a "
                    + "PING, the other's turn once the PONG is back), gap at the watcher: p50 %.3f ms, p99 %.3f ms, "
                    + "max %.3f ms (%d gaps)%n", pct(rawTurns, 0.5), pct(rawTurns, 0.99),
                    rawTurns[rawTurns.length - 1] / 1e6, rawTurns.length);
            System.out.printf(Locale.ROOT, "[relay] a 200-byte line appended and forced to disk (fdatasync) in the "
                    + "journals' directory: p50 %.3f ms, p99 %.3f ms (%d lines)%n", pct(force, 0.5), pct(force, 0.99),
                    force.length);
            System.out.printf(Locale.ROOT, "[relay] the same, written into space zeroed and forced beforehand (as the "
                    + "journal log is): p50 %.3f ms, p99 %.3f ms (%d lines)%n", pct(forceZeroed, 0.5),
                    pct(forceZeroed, 0.99), forceZeroed.length);
            System.out.printf(Locale.ROOT, "[relay] java %s-jar %s, zero pacing: gap between seat messages p50 %.3f ms, "
                            + "p99 %.3f ms, max %.3f ms (%d gaps after %d warm-up); daemon CPU %.0f µs per message "
                            + "(load average %s)%n",
                    jvmArgs.isEmpty() ? "" : String.join(" ", jvmArgs) + " ", jar, pct(gaps, 0.5), pct(gaps, 0.99),
                    gaps[gaps.length - 1] / 1e6, gaps.length, skip,
                    cpuAtSkip < 0 || cpuAtEnd < 0 ? Double.NaN : (cpuAtEnd - cpuAtSkip) * 1000.0 / gaps.length,
                    Files.readString(Path.of("/proc/loadavg")).trim().substring(0, 14));
            if (messages >= 4_000) {
                int quarter = messages / QUARTERS;
                for (int q = 0; q < QUARTERS; q++) {
                    int from = Math.max(1, q * quarter);
                    int to = q == QUARTERS - 1 ? messages : (q + 1) * quarter;
                    long[] part = new long[to - from];
                    for (int i = from; i < to; i++) {
                        part[i - from] = at[i] - at[i - 1];
                    }
                    Arrays.sort(part);
                    System.out.printf(Locale.ROOT, "[relay] quarter %d (messages %d-%d): gap p50 %.3f ms, p99 %.3f ms, "
                                    + "max %.3f ms; daemon CPU %.0f µs per message%n", q + 1, from, to - 1,
                            pct(part, 0.5), pct(part, 0.99), part[part.length - 1] / 1e6,
                            (cpuAtQuarter[q + 1] - cpuAtQuarter[q]) * 1000.0 / part.length);
                }
            }
        }
    }

    private static final int QUARTERS = 4;

    private static long[] rawPath(RawIrcClient watcher, RawIrcClient other, int n) throws Exception {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            other.say("#relay", "ping " + i);
            String expect = "ping " + i;
            watcher.await(l -> l.command().equals("PRIVMSG") && l.param(1).equals(expect),
                    Duration.ofSeconds(10));
            t[i] = System.nanoTime() - start;
        }
        Arrays.sort(t);
        return t;
    }

    /**
     * The server's side of a stream of messages: one raw client sends {@code n} messages {@code spacingNanos} apart
     * (about parley's pace at zero pacing) and the watcher's gaps between them are what the server and the
     * watcher's socket add, with no parley in the path.
     */
    private static long[] rawStream(RawIrcClient watcher, RawIrcClient other, int n, long spacingNanos,
            boolean ping) throws Exception {
        Thread sender = new Thread(() -> {
            long next = System.nanoTime();
            for (int i = 0; i < n; i++) {
                while (System.nanoTime() < next) {
                    Thread.onSpinWait();
                }
                try {
                    other.say("#relay", (ping ? "pinged " : "stream ") + i);
                    if (ping) {
                        other.send("PING :stream-" + i);
                    }
                } catch (java.io.IOException e) {
                    return;
                }
                next += spacingNanos;
            }
        }, "raw-stream-sender");
        sender.start();
        long[] at = new long[n];
        for (int i = 0; i < n; i++) {
            String expect = (ping ? "pinged " : "stream ") + i;
            watcher.await(l -> l.command().equals("PRIVMSG") && l.param(1).equals(expect), Duration.ofSeconds(10));
            at[i] = System.nanoTime();
        }
        sender.join();
        long[] gaps = new long[n - 1];
        for (int i = 1; i < n; i++) {
            gaps[i - 1] = at[i] - at[i - 1];
        }
        Arrays.sort(gaps);
        return gaps;
    }

    /**
     * parley's delivery pattern without parley: two raw clients take turns, each writing a message and a PING and
     * handing the turn over once its PONG is back (as {@code RoomSequencer} does), the watcher stamping each message.
     */
    private static long[] rawTurns(RawIrcClient watcher, RawIrcClient a, RawIrcClient b, int n) throws Exception {
        long[] at = new long[n];
        for (int i = 0; i < n; i++) {
            RawIrcClient speaker = i % 2 == 0 ? a : b;
            String token = "turn-" + i;
            speaker.say("#relay", "turn " + i);
            speaker.send("PING :" + token);
            speaker.await(l -> l.command().equals("PONG") && l.params().get(l.params().size() - 1).equals(token),
                    Duration.ofSeconds(10));
            String expect = "turn " + i;
            watcher.await(l -> l.command().equals("PRIVMSG") && l.param(1).equals(expect), Duration.ofSeconds(10));
            at[i] = System.nanoTime();
        }
        long[] gaps = new long[n - 1];
        for (int i = 1; i < n; i++) {
            gaps[i - 1] = at[i] - at[i - 1];
        }
        Arrays.sort(gaps);
        return gaps;
    }

    /** The physical limit's other half: what one journal line costs on this disk, right now. */
    /** {@code zeroed}: into a file zeroed and forced beforehand, so that no force has to grow the file. */
    private static long[] appendAndForce(Path file, int n, boolean zeroed) throws Exception {
        long[] t = new long[n];
        byte[] line = ("{\"seq\":1,\"type\":\"said\",\"text\":\"" + "x".repeat(160) + "\"}\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.StandardOpenOption.READ)) {
            if (zeroed) {
                ch.write(java.nio.ByteBuffer.allocate(line.length * n), 0);
                ch.force(true);
            }
            for (int i = 0; i < n; i++) {
                long start = System.nanoTime();
                ch.write(java.nio.ByteBuffer.wrap(line), (long) i * line.length);
                ch.force(false);
                t[i] = System.nanoTime() - start;
            }
        }
        Files.delete(file);
        Arrays.sort(t);
        return t;
    }

    private static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))] / 1e6;
    }
}
