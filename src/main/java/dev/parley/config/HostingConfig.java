package dev.parley.config;

import dev.parley.core.SeatId;
import java.time.Duration;
import java.util.List;

/**
 * How a conversation is hosted as a series of episodes: who plays by default ({@code cast}, empty = every seat of
 * the roster), what happens when an episode ends, how many episodes at most (0 = no cap), and the local times in
 * which an episode may start (empty = any time).
 */
public record HostingConfig(List<SeatId> cast, AfterEnd afterEnd, Duration coolDown, int maxEpisodes,
                            List<TimeWindow> windows, NextCast nextCast) {
    /** After an episode ends: wait for an operator's {@code !start}, start the next after the cool-down, or leave. */
    public enum AfterEnd { WAIT, NEXT, LEAVE }

    /** The cast of an episode that starts by itself: the last one's, or a random one avoiding recent pairings. */
    public enum NextCast { SAME, RANDOM }

    /** Waits for {@code !start} after each episode, any time of day, no cap, the whole roster plays. */
    public static final HostingConfig DEFAULT = new HostingConfig(List.of(), AfterEnd.WAIT, Duration.ofMinutes(5),
            0, List.of(), NextCast.SAME);

    public HostingConfig {
        cast = List.copyOf(cast);
        windows = List.copyOf(windows);
    }
}
