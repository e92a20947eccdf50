package dev.parley.config;

import java.time.Duration;

/**
 * Upper bounds of numbers that have no natural one. Each is far above any real use and low enough that a typo
 * (a few digits too many) is caught as a problem that names the bound, instead of being accepted and leaving a
 * conversation waiting forever or a count overflowing. Durations are bounded by {@link Node#MAX_DURATION} unless
 * named here.
 */
final class Bounds {
    /** Turn counts: a million turns is years of conversation at any sane pace (and the !turns command's limit). */
    static final int TURNS = 1_000_000;
    /** Token counts of a whole conversation (stop.max-tokens). */
    static final long TOKENS = 1_000_000_000_000L;
    /** A seat's context budget: more than any model's context window. */
    static final int CONTEXT_TOKENS = 10_000_000;
    /** US dollars: a cost limit, or a price per million tokens. */
    static final double DOLLARS = 1_000_000;
    /** Characters per second (typing speed, replay speed). */
    static final double RATE = 1_000_000;
    /** A pause before a turn or a typing time: an hour, as for the !pace command. */
    static final Duration PAUSE = Duration.ofHours(1);
    /** How long one conversation may be set to run (stop.max-duration). */
    static final Duration CONVERSATION = Duration.ofDays(365);

    private Bounds() { }
}
