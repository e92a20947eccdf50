package dev.parley.conversation;

import dev.parley.config.PacingConfig;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Turns pacing settings into delays: a pause before each turn drawn from [min, max], and a typing time
 * proportional to the reply's length so that a person can follow. Mutable by {@code !pace}.
 */
final class Pacer {
    private final RandomGenerator random;
    private final double charsPerSecond;
    private final Duration typingMax;
    private Duration min;
    private Duration max;

    Pacer(PacingConfig cfg, RandomGenerator random) {
        this.random = random;
        this.charsPerSecond = cfg.typingCharsPerSecond();
        this.typingMax = cfg.typingMax();
        this.min = cfg.minDelay();
        this.max = cfg.maxDelay();
    }

    Duration beforeTurn() {
        long lo = min.toMillis();
        long hi = max.toMillis();
        return Duration.ofMillis(hi <= lo ? lo : lo + random.nextLong(hi - lo + 1));
    }

    Duration typing(String reply) {
        if (charsPerSecond <= 0) {
            return Duration.ZERO;
        }
        long ms = (long) (reply.codePointCount(0, reply.length()) * 1000.0 / charsPerSecond);
        return Duration.ofMillis(Math.min(ms, typingMax.toMillis()));
    }

    void set(Duration min, Duration max) {
        this.min = min;
        this.max = max;
    }

    String describe() {
        return min.equals(max) ? seconds(min) + " s" : seconds(min) + "–" + seconds(max) + " s";
    }

    private static String seconds(Duration d) {
        double s = d.toMillis() / 1000.0;
        return s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s);
    }
}
