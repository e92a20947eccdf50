package dev.parley.conversation;

import dev.parley.config.HealthConfig;
import dev.parley.testsupport.TestConfigs;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Replays the labelled corpus through the monitor with the default settings and prints each log's outcome, then
 * precision, recall and the median delay from onset: the figures in {@code docs/health.md}.
 *
 * <pre>mvn -q -o test-compile && java -cp "target/classes:target/test-classes:$(cat cp.txt)"
 *     dev.parley.conversation.HealthCorpusReport</pre>
 */
public final class HealthCorpusReport {
    static final int SLACK = 8;

    private HealthCorpusReport() {
    }

    /** Arguments such as {@code template-sameness=0.66} or {@code rapture-messages=4} try other thresholds. */
    public static void main(String[] args) {
        HealthConfig c = TestConfigs.health();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            c = with(c, kv[0], kv[1]);
        }
        System.out.print(report(HealthCorpus.load(), c));
    }

    /** The config with one threshold changed, named as in {@code reference.conf}. */
    static HealthConfig with(HealthConfig c, String key, String value) {
        int[] i = {c.window(), c.minNewWords(), c.emptyMessages(), c.repeats(), c.templateMinWords(),
                c.templateMessages(), c.staleMessages(), c.raptureMessages(), c.formulaMessages()};
        double[] d = {c.similarity(), c.templateSameness(), c.staleShare(), c.raptureShare(), c.formulaRestated()};
        switch (key) {
            case "window" -> i[0] = Integer.parseInt(value);
            case "min-new-words" -> i[1] = Integer.parseInt(value);
            case "empty-messages" -> i[2] = Integer.parseInt(value);
            case "repeats" -> i[3] = Integer.parseInt(value);
            case "template-min-words" -> i[4] = Integer.parseInt(value);
            case "template-messages" -> i[5] = Integer.parseInt(value);
            case "stale-messages" -> i[6] = Integer.parseInt(value);
            case "rapture-messages" -> i[7] = Integer.parseInt(value);
            case "formula-messages" -> i[8] = Integer.parseInt(value);
            case "similarity" -> d[0] = Double.parseDouble(value);
            case "template-sameness" -> d[1] = Double.parseDouble(value);
            case "stale-share" -> d[2] = Double.parseDouble(value);
            case "rapture-share" -> d[3] = Double.parseDouble(value);
            case "formula-restated" -> d[4] = Double.parseDouble(value);
            default -> throw new IllegalArgumentException("unknown setting " + key);
        }
        return new HealthConfig(c.enabled(), c.action(), i[0], i[1], i[2], d[0], i[3], i[4], i[5], d[1], i[6], d[2],
                i[7], d[3], i[8], d[4]);
    }

    static String report(HealthCorpus corpus, HealthConfig config) {
        StringBuilder out = new StringBuilder();
        List<Integer> delays = new ArrayList<>();
        int stops = 0;
        int rightStops = 0;
        int degenerate = 0;
        int caught = 0;
        for (HealthCorpus.Log log : corpus.logs()) {
            HealthCorpus.Outcome o = HealthCorpus.replay(log, config);
            String verdict;
            if (o.firedAt().isEmpty()) {
                verdict = log.degenerate() ? "MISSED" : "ok, never fired";
            } else if (o.falseStop()) {
                verdict = "FALSE STOP at " + o.firedAt().getAsInt();
            } else {
                verdict = (o.caught(SLACK) ? "stopped" : "LATE") + " at " + o.firedAt().getAsInt() + " (+" + o.delay() + ")";
            }
            if (o.firedAt().isPresent()) {
                stops++;
                rightStops += o.falseStop() ? 0 : 1;
            }
            if (log.degenerate()) {
                degenerate++;
                if (o.caught(SLACK)) {
                    caught++;
                    delays.add(o.delay());
                }
            }
            out.append(String.format(Locale.ROOT, "%-28s %-10s %-26s %s%n", log.file(),
                    log.degenerate() ? "onset " + log.onset().getAsInt() : "healthy", verdict,
                    o.verdict() == null ? "" : o.verdict().rule() + ": " + o.verdict().sentence()));
        }
        delays.sort(null);
        double median = delays.isEmpty() ? Double.NaN : delays.size() % 2 == 1 ? delays.get(delays.size() / 2)
                : (delays.get(delays.size() / 2 - 1) + delays.get(delays.size() / 2)) / 2.0;
        out.append(String.format(Locale.ROOT, "%nlogs %d (%d healthy, %d degenerate)%n", corpus.logs().size(),
                corpus.logs().size() - degenerate, degenerate));
        out.append(String.format(Locale.ROOT, "precision %d/%d = %.2f (stops that were right: after onset, on a degenerate log)%n",
                rightStops, stops, stops == 0 ? 1.0 : (double) rightStops / stops));
        out.append(String.format(Locale.ROOT, "recall %d/%d = %.2f (degenerate logs stopped within %d messages of onset)%n",
                caught, degenerate, degenerate == 0 ? 1.0 : (double) caught / degenerate, SLACK));
        out.append(String.format(Locale.ROOT, "median delay from onset %.1f messages %s%n", median, delays));
        return out.toString();
    }
}
