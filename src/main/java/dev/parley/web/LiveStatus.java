package dev.parley.web;

import dev.parley.archive.EpisodeId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the web shows of one configured conversation right now: an immutable snapshot the host publishes (or that
 * {@link FeedStatus} derives from journal events). {@code episode} is the journal of the current or last episode
 * (null before the first); {@code maxTurns} 0 means no limit; {@code last} is null before anything was said;
 * {@code nextStart} is when the next episode starts, in state {@link State#SCHEDULED} (null otherwise).
 */
public record LiveStatus(String conversation, String title, State state, int episodeNumber, EpisodeId episode,
                         List<String> cast, int turn, int maxTurns, List<String> rooms, LastMessage last,
                         Instant nextStart) {
    /**
     * RUNNING and PAUSED: an episode is under way. WAITING: for an operator's {@code !start}. SCHEDULED: the next
     * episode starts at {@code nextStart}. ENDED: the last episode ended and no other is coming (the series is done,
     * or parley leaves its rooms); a status worked out from journals alone also says it between episodes.
     */
    public enum State {
        RUNNING("running"), PAUSED("paused"), WAITING("waiting for start"), SCHEDULED("scheduled"), ENDED("ended");

        private final String label;

        State(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The last message said, as the room saw it; {@code human} marks a person's (whose name may be pseudonymised). */
    public record LastMessage(String speaker, boolean human, String text, Instant at) { }

    /** A status without a scheduled start. */
    public LiveStatus(String conversation, String title, State state, int episodeNumber, EpisodeId episode,
                      List<String> cast, int turn, int maxTurns, List<String> rooms, LastMessage last) {
        this(conversation, title, state, episodeNumber, episode, cast, turn, maxTurns, rooms, last, null);
    }

    /** The same conversation in {@code newState}, starting next at {@code at} (null: not scheduled). */
    public LiveStatus in(State newState, Instant at) {
        return new LiveStatus(conversation, title, newState, episodeNumber, episode, cast, turn, maxTurns, rooms, last,
                newState == State.SCHEDULED ? at : null);
    }

    public LiveStatus {
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(state, "state");
        title = title == null ? conversation : title;
        cast = List.copyOf(cast);
        rooms = List.copyOf(rooms);
    }
}
