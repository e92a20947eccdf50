package dev.parley.config;

import java.time.Duration;

/** Durations the way a config file writes them: 500ms, 2s, 1.5s, 30m, 2h, 1d. */
final class Durations {
    private Durations() { }

    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        if (ms % 86_400_000 == 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        if (ms >= 1000 && ms % 100 == 0) {
            return (ms / 1000) + "." + (ms % 1000) / 100 + "s";
        }
        return ms + "ms";
    }
}
