package dev.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What the start-up benchmarks share, whatever the room: the command line ({@code [runs] [seats] [jar] [more...]
 * [-- jvm-args...]}), one timed start of {@code java -jar parley.jar run --config ...} stopped with SIGTERM once the
 * benchmark's own observer saw every identity join, and the summary line {@code bench/run} keeps ({@code tail -1}).
 */
final class StartupRuns {
    private StartupRuns() { }

    /** The command line: positional arguments, then JVM arguments after {@code --} (they go before -jar). */
    record Args(int runs, int seats, Path jar, List<String> rest, List<String> jvmArgs) {
        static Args parse(String[] args) {
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
            List<String> rest = plain.size() > 3 ? List.copyOf(plain.subList(3, plain.size())) : List.of();
            return new Args(runs, seats, jar, rest, List.copyOf(jvmArgs));
        }

        /** How the daemon is started, as the summary names it: {@code java [jvm-args ]-jar JAR run}. */
        String launch() {
            return "java " + (jvmArgs.isEmpty() ? "" : String.join(" ", jvmArgs) + " ") + "-jar " + jar + " run";
        }
    }

    /** Returns once the benchmark's observer (a client of the server, never parley's own output) saw all join. */
    @FunctionalInterface
    interface JoinWatch {
        void awaitAllJoined() throws Exception;
    }

    /** One start: wall time and the daemon's CPU time until everyone was seen joined, and the load average then. */
    record Sample(long ms, long cpuMs, String load) { }

    /**
     * Starts the jar with {@code config}, waits for {@code watch}, then stops the daemon (SIGTERM, and a kill
     * after 15 s) before returning, so the next start finds the identities gone (IRC) or free to be made leave
     * (Matrix). The daemon's stderr is appended to {@code stderrLog}, for when a run goes wrong.
     */
    static Sample once(Args args, Path config, Path stderrLog, JoinWatch watch) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(args.jvmArgs());
        command.addAll(List.of("-jar", args.jar().toString(), "run", "--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.appendTo(stderrLog.toFile()));
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            watch.awaitAllJoined();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            Sample s = new Sample(ms, cpuMillis(p.pid()), loadAverage());
            if (Boolean.getBoolean("parley.bench.threads")) {
                System.out.println("  CPU by thread: " + threadCpu(p.pid()));
            }
            return s;
        } finally {
            p.destroy();
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    static void printRun(int run, Sample s) {
        System.out.printf("run %d: %d ms (CPU %d ms, load average %s)%n", run, s.ms(), s.cpuMs(), s.load());
    }

    /**
     * The summary, one line: {@code [startup] java ... -jar JAR run: N runs, K identities (control + S seats)
     * joined<where>: median, min, max; CPU median (load average at the first and last run)}.
     */
    static void printSummary(Args args, String where, List<Sample> samples) {
        long[] ms = samples.stream().mapToLong(Sample::ms).sorted().toArray();
        long[] cpu = samples.stream().mapToLong(Sample::cpuMs).sorted().toArray();
        String first = samples.get(0).load();
        String last = samples.get(samples.size() - 1).load();
        System.out.printf(Locale.ROOT, "[startup] %s: %d runs, %d identities (control + %d seats) joined%s:"
                        + " median %.0f ms, min %d ms, max %d ms; CPU time to joined: median %.0f ms "
                        + "(load average %s)%n",
                args.launch(), samples.size(), args.seats() + 1, args.seats(), where, median(ms), ms[0],
                ms[ms.length - 1], median(cpu), first.equals(last) ? first : first + " .. " + last);
    }

    static double median(long[] sorted) {
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

    /**
     * {@code -Dparley.bench.threads=true}: the daemon's CPU time so far by thread, threads of one kind (the JIT's
     * compiler threads, the collector's, OkHttp's) added up under one name, most first: where a start's CPU goes.
     */
    static String threadCpu(long pid) {
        Map<String, Long> byName = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                            .replaceAll("[0-9]+$", "#").replaceAll("OkHttp .*", "OkHttp");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    byName.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10, Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // The thread ended meanwhile.
                }
            }
        } catch (IOException e) {
            return "unknown";
        }
        return byName.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> e.getKey() + " " + e.getValue() + " ms").collect(Collectors.joining(", "));
    }

    /** The 1, 5 and 15 minute load averages, from /proc (Linux; "unknown" elsewhere). */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static void deleteTree(Path dir) throws IOException {
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
