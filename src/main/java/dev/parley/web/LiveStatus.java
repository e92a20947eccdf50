package dev.parley.web;

import dev.parley.archive.EpisodeId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the web shows of one configured conversation right now: an immutable snapshot the host publishes (or that
 * {@link FeedStatus} derives from journal events). {@code episode} is the journal of the current or last episode
 * (null before the first); {@code maxTurns} 0 means no limit; {@code last} is null before anything was said.
 */
public record LiveStatus(String conversation, String title, State state, int episodeNumber, EpisodeId episode,
                         List<String> cast, int turn, int maxTurns, List<String> rooms, LastMessage last) {
    public enum State {
        RUNNING("running"), PAUSED("paused"), WAITING("waiting for start"), ENDED("ended");

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

    public LiveStatus {
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(state, "state");
        title = title == null ? conversation : title;
        cast = List.copyOf(cast);
        rooms = List.copyOf(rooms);
    }
}
