package dev.parley.conversation;

import dev.parley.config.HealthConfig;
import dev.parley.core.Message;
import java.util.List;
import java.util.function.Predicate;

/** Lets the benchmark in {@code dev.parley.bench} drive the package-private monitor over the corpus. */
public final class HealthMonitorProbe {
    private HealthMonitorProbe() {
    }

    /** A monitor that answers whether it fired on each message, and then forgets its streaks, as a notice would. */
    public static Predicate<Message> monitor(HealthConfig config) {
        HealthMonitor monitor = new HealthMonitor(config);
        return m -> {
            boolean fired = monitor.observe(m).isPresent();
            if (fired) {
                monitor.reset();
            }
            return fired;
        };
    }

    /** Every log of the labelled corpus, as the messages a conversation would feed the monitor. */
    public static List<List<Message>> corpus() {
        return HealthCorpus.load().logs().stream().map(HealthCorpus.Log::messages).toList();
    }
}
