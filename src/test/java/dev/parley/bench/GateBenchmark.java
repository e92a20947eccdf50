package dev.parley.bench;

import dev.parley.config.ModerationConfig;
import dev.parley.gate.Candidate;
import dev.parley.gate.ComposedGate;
import dev.parley.gate.LimitsGate;
import dev.parley.gate.Screen;
import dev.parley.gate.TextFolding;
import dev.parley.gate.Verdict;
import dev.parley.gate.WordListGate;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * The gate's cost per message with 10,000 list rules: literal words (one hash lookup per word of the message), a
 * mix with 1,000 regular expressions (one alternation over the text), and 10,000 regular expressions (the worst
 * case). Messages are chat-length lines of about 300 characters, some with full-width letters, accents and
 * zero-width characters so the folding's slow path is measured too. Prints thread CPU time per message. Not a
 * unit test: timing on a shared machine belongs in a main that prints.
 *
 * <pre>mvn -q -o test-compile && java -cp "target/classes:target/test-classes:$(cat cp.txt)" \
 *     dev.parley.bench.GateBenchmark [messages]</pre>
 */
public final class GateBenchmark {
    private static final Set<String> NAMES = Set.of("Ada", "Basil", "kate", "joe", "Kimi", "Claude");

    private static final String[] COMMON = {"the", "and", "that", "was", "for", "with", "this", "have", "they",
        "were", "when", "your", "said", "there", "about", "people", "could", "first", "water", "number"};

    private GateBenchmark() {
    }

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        Random random = new Random(14);
        List<String> messages = messages(random, 2_000);
        measure("10,000 literal words", rules(10_000, 0), messages, count);
        measure("9,000 words + 1,000 patterns", rules(9_000, 1_000), messages, count);
        measure("10,000 patterns", rules(0, 10_000), messages, count);
        // Worst case for the index: every pattern starts like a common word, so most positions have candidates.
        List<ModerationConfig.Rule> common = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            common.add(new ModerationConfig.Rule("bench.txt", i + 1, "\\b" + COMMON[i % COMMON.length] + "zz"
                    + letters(i) + "\\b", true));
        }
        measure("10,000 patterns, common starts", common, messages, count / 10);
    }

    private static List<ModerationConfig.Rule> rules(int words, int patterns) {
        List<ModerationConfig.Rule> rules = new ArrayList<>();
        for (int i = 0; i < words; i++) {
            rules.add(new ModerationConfig.Rule("bench.txt", i + 1, "zq" + letters(i) + "x", false));
        }
        for (int i = 0; i < patterns; i++) {
            rules.add(new ModerationConfig.Rule("bench.txt", words + i + 1, "\\bzv" + letters(i)
                    + "[a-z]*\\d{2,}\\b", true));
        }
        return rules;
    }

    /** {@code i} in letters only, so leetspeak folding does not merge two rules. */
    private static String letters(int i) {
        StringBuilder b = new StringBuilder();
        do {
            b.append((char) ('a' + i % 26));
            i /= 26;
        } while (i > 0);
        return b.toString();
    }

    private static List<String> messages(Random random, int n) {
        String[] vocabulary = ("the a of to and in that it is was for on with as I you he be at by this had not are "
                + "but from or have an they which one were all we when your can said there use each how their if "
                + "will up other about out many then them these so some her would make like him into time has look "
                + "two more write go see number no way could people my than first water been call who oil its now "
                + "find long down day did get come made may part Ada Basil café naïve ｆｕｌｌ wi\u200Bdth").split(" ");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder b = new StringBuilder();
            while (b.length() < 300) {
                b.append(vocabulary[random.nextInt(vocabulary.length)]).append(random.nextInt(12) == 0 ? ". " : " ");
            }
            if (i % 50 == 0) {
                b.append(i % 100 == 0 ? " zqbx" : " zvb42");
            }
            out.add(b.toString().strip());
        }
        return out;
    }

    private static void measure(String what, List<ModerationConfig.Rule> rules, List<String> messages, int count) {
        long built = System.nanoTime();
        WordListGate lists = new WordListGate(rules, new TextFolding(true));
        ComposedGate gate = new ComposedGate(List.<Screen>of(new LimitsGate(new ModerationConfig.Limits(4000, 40, 5,
                5)), lists), Optional.empty());
        double buildMs = (System.nanoTime() - built) / 1e6;
        int hits = run(gate, messages, count / 4); // warm-up
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu = threads.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        hits += run(gate, messages, count);
        double cpuUs = (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / count;
        double wallUs = (System.nanoTime() - wall) / 1e3 / count;
        System.out.printf(Locale.ROOT, "%-30s %6d rules, built in %7.1f ms: %8.1f µs CPU a message (%8.1f µs wall), "
                + "%d messages, %d hits%n", what, lists.size(), buildMs, cpuUs, wallUs, count, hits);
    }

    private static int run(ComposedGate gate, List<String> messages, int count) {
        int hits = 0;
        for (int i = 0; i < count; i++) {
            Verdict v = gate.screen(new Candidate("Basil", messages.get(i % messages.size()), NAMES));
            if (!v.passes()) {
                hits++;
            }
        }
        return hits;
    }
}
