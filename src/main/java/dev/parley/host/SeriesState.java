package dev.parley.host;

import dev.parley.core.AtomicFile;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the host knows of a series between episodes, kept on disk so that a restart (even after SIGKILL) goes on
 * where it was: how many episodes began, whether it waits for {@code !start} or the next starts at a set time,
 * the cast chosen for the next episode, the recent casts (for random draws), and the topic.
 *
 * @param nextAt when the next episode starts (an ISO instant), in phase "scheduled"
 * @param phase "waiting" (for !start), "scheduled" (at {@code nextAt}), "running" (an episode began; if its
 *              journal has ended, the series starts over as configured), "done" (its last episode was played)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record SeriesState(int episodes, String phase, List<String> cast, String nextAt, List<List<String>> recentCasts,
                   String topic) {
    static final String WAITING = "waiting";
    static final String SCHEDULED = "scheduled";
    static final String RUNNING = "running";
    static final String DONE = "done";
    /** How many past casts a random draw looks at. */
    static final int RECENT = 6;

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    SeriesState {
        cast = cast == null ? List.of() : List.copyOf(cast);
        recentCasts = recentCasts == null ? List.of() : List.copyOf(recentCasts);
    }

    /** A series that never ran. */
    static SeriesState fresh(int episodesSoFar) {
        return new SeriesState(episodesSoFar, null, List.of(), null, List.of(), null);
    }

    SeriesState phase(String p, Instant at) {
        return new SeriesState(episodes, p, cast, at == null ? null : at.toString(), recentCasts, topic);
    }

    /** Episode {@code episodes + 1} began with {@code ids}. */
    SeriesState began(List<String> ids) {
        List<List<String>> recent = new ArrayList<>(recentCasts);
        recent.add(List.copyOf(ids));
        while (recent.size() > RECENT) {
            recent.remove(0);
        }
        return new SeriesState(episodes + 1, RUNNING, ids, null, recent, topic);
    }

    SeriesState cast(List<String> ids) {
        return new SeriesState(episodes, phase, ids, nextAt, recentCasts, topic);
    }

    SeriesState topic(String t) {
        return new SeriesState(episodes, phase, cast, nextAt, recentCasts, t);
    }

    Optional<Instant> next() {
        return Optional.ofNullable(nextAt).map(Instant::parse);
    }

    /** Reads the state, or empty when there is none yet; a damaged file is an error naming it. */
    static Optional<SeriesState> load(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), SeriesState.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the series state " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes it durably and atomically: a crash leaves the old state or the new one, never half of one. */
    void save(Path file) {
        try {
            AtomicFile.replace(file, JSON.writeValueAsBytes(this));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the series state " + file + ": " + e.getMessage(), e);
        }
    }
}
