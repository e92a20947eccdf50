package dev.parley.host;

import dev.parley.command.Control;
import dev.parley.config.SeatConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The commands of a hosted conversation: the series' own ({@code !start}, {@code !cast}, {@code !reload}, and
 * {@code !status} / {@code !topic} between episodes), laid over the running episode's control for the rest.
 * Between episodes the episode's commands get a one-line "no episode is running".
 */
final class SeriesControl implements Control {
    private final Series series;
    private final Control episode;

    /** @param episode the running episode's control, or null between episodes */
    SeriesControl(Series series, Control episode) {
        this.series = series;
        this.episode = episode;
    }

    private String inEpisode(Supplier<String> act) {
        return episode != null ? act.get()
                : "No episode is running; " + series.prefix() + "start begins one.";
    }

    @Override
    public String status() {
        if (episode == null) {
            return series.betweenStatus();
        }
        return episode.status() + "; then " + series.nextStartText() + ".";
    }

    @Override
    public String start(String by, Optional<String> openingLine) {
        if (episode != null) {
            return "Episode " + series.episodesBegun() + " is running.";
        }
        return series.startRefusal().orElseGet(() -> series.start(by, openingLine));
    }

    @Override
    public String cast(String by, List<String> seats, boolean random) {
        if (episode != null || series.episodeRunning()) {
            return "An episode is running; " + series.prefix() + "cast picks who plays the next one, once it is over.";
        }
        if (random) {
            return series.cast(by, List.of());
        }
        List<SeatConfig> picked = new ArrayList<>();
        for (String ref : seats) {
            Optional<SeatConfig> seat = series.rosterSeat(ref);
            if (seat.isEmpty()) {
                return "No seat \"" + ref + "\" in the roster; roster: " + String.join(", ", series.rosterNames())
                        + ".";
            }
            if (picked.contains(seat.get())) {
                return seat.get().name() + " is named twice.";
            }
            picked.add(seat.get());
        }
        if (picked.size() < 2) {
            return "A cast needs at least 2 seats; roster: " + String.join(", ", series.rosterNames()) + ".";
        }
        return series.cast(by, picked);
    }

    @Override
    public String reload(String by, boolean checkOnly) {
        return series.host().reload(by, checkOnly);
    }

    @Override
    public String topic(String by, String text) {
        return episode != null ? episode.topic(by, text) : series.topic(text);
    }

    @Override
    public String pause(String by) {
        return inEpisode(() -> episode.pause(by));
    }

    @Override
    public String resume(String by) {
        return inEpisode(() -> episode.resume(by));
    }

    @Override
    public String stop(String by, Optional<String> reason) {
        return inEpisode(() -> episode.stop(by, reason));
    }

    @Override
    public String next(String by, String seat) {
        return inEpisode(() -> episode.next(by, seat));
    }

    @Override
    public String mute(String by, String seat) {
        return inEpisode(() -> episode.mute(by, seat));
    }

    @Override
    public String unmute(String by, String seat) {
        return inEpisode(() -> episode.unmute(by, seat));
    }

    @Override
    public String pace(String by, Duration min, Duration max) {
        return inEpisode(() -> episode.pace(by, min, max));
    }

    @Override
    public String turns(String by, int turns) {
        return inEpisode(() -> episode.turns(by, turns));
    }

    @Override
    public String filter(String by, Optional<Boolean> on) {
        return inEpisode(() -> episode.filter(by, on));
    }

    @Override
    public String transcript(String by) {
        return inEpisode(() -> episode.transcript(by));
    }

    @Override
    public String invite(String by, String seat) {
        return inEpisode(() -> episode.invite(by, seat));
    }

    @Override
    public String dismiss(String by, String seat) {
        return inEpisode(() -> episode.dismiss(by, seat));
    }

    @Override
    public String retry(String by, Optional<String> seat) {
        return inEpisode(() -> episode.retry(by, seat));
    }

    @Override
    public String retract(String by, int count) {
        return inEpisode(() -> episode.retract(by, count));
    }

    @Override
    public String note(String by, String seat, String text) {
        return inEpisode(() -> episode.note(by, seat, text));
    }

    @Override
    public String model(String by, String seat, String modelId) {
        return inEpisode(() -> episode.model(by, seat, modelId));
    }

    @Override
    public String system(String by, String seat, String prompt) {
        return inEpisode(() -> episode.system(by, seat, prompt));
    }

    @Override
    public List<String> seatNames() {
        return episode != null ? episode.seatNames() : series.rosterNames();
    }
}
