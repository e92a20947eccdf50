package dev.parley.bench;

import dev.parley.config.HealthConfig;
import dev.parley.conversation.HealthMonitorProbe;
import dev.parley.core.Message;
import dev.parley.testsupport.TestConfigs;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The health monitor's cost per message at its default settings: every message of the labelled corpus (real
 * logs, long Llama replies of 2,000-8,000 characters among them, and short synthetic lines) is fed, log after log,
 * to a fresh monitor per log, many times over. It prints the thread's CPU time per message (the monitor's own
 * cost, which other processes on a busy machine disturb least) and the wall time. Not a unit test: timing on a
 * shared machine belongs in a main that prints, not in an assertion.
 *
 * <pre>mvn -q -o test-compile && java -cp "target/classes:target/test-classes:$(cat cp.txt)" \
 *     dev.parley.bench.HealthBenchmark [rounds]</pre>
 */
public final class HealthBenchmark {
    private HealthBenchmark() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        HealthConfig config = TestConfigs.health();
        List<List<Message>> all = HealthMonitorProbe.corpus();
        measure("whole corpus", all, config, rounds);
        // Chat-length lines (the synthetic logs: banter, chess, counting, acks) cost far less than long replies.
        measure("logs of short lines", all.stream().filter(log -> log.stream().mapToInt(m -> m.text().length())
                .average().orElse(0) < 400).toList(), config, rounds * 4);
    }

    private static void measure(String what, List<List<Message>> corpus, HealthConfig config, int rounds) {
        long messages = corpus.stream().mapToLong(List::size).sum();
        long chars = corpus.stream().flatMap(List::stream).mapToLong(m -> m.text().length()).sum();
        System.out.printf(Locale.ROOT, "%s: %d logs, %d messages, %.0f characters a message on average%n",
                what, corpus.size(), messages, (double) chars / messages);
        run(corpus, config, Math.max(1, rounds / 4)); // warm-up: let the JIT compile the monitor
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 3; i++) {
            long cpu = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            long fired = run(corpus, config, rounds);
            double n = messages * (double) rounds;
            System.out.printf(Locale.ROOT, "run %d: %.2f µs of CPU a message, %.2f µs of wall time (%d messages, "
                    + "%d verdicts)%n", i + 1, (threads.getCurrentThreadCpuTime() - cpu) / 1000.0 / n,
                    (System.nanoTime() - start) / 1000.0 / n, messages * rounds, fired);
        }
    }

    private static long run(List<List<Message>> corpus, HealthConfig config, int rounds) {
        long fired = 0;
        for (int r = 0; r < rounds; r++) {
            for (List<Message> log : corpus) {
                Predicate<Message> monitor = HealthMonitorProbe.monitor(config);
                for (Message m : log) {
                    fired += monitor.test(m) ? 1 : 0;
                }
            }
        }
        return fired;
    }
}
