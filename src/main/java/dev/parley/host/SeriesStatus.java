package dev.parley.host;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a hosted conversation is, as the host knows it: for the web view's index and its metrics (app adapts it;
 * the host knows nothing of the web). What happens inside a running episode (turns, pauses) is in its journal.
 *
 * @param nextStart when the next episode starts, in phase {@link Phase#SCHEDULED} (null otherwise)
 * @param episodes  how many episodes of the series have begun
 */
public record SeriesStatus(String conversation, Phase phase, Instant nextStart, int episodes) {
    public enum Phase {
        /** No episode runs; the next begins with an operator's {@code !start}. */
        WAITING,
        /** No episode runs; the next begins at {@code nextStart}. */
        SCHEDULED,
        /** An episode runs (it may be paused: its journal says). */
        RUNNING,
        /** Its last episode was played ({@code hosting.max-episodes}); it left its rooms. */
        DONE,
        /** It left its rooms: a one-shot run ended, it was removed by a reload, or parley is shutting down. */
        LEFT
    }

    public SeriesStatus {
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(phase, "phase");
    }
}
