package dev.parley.host;

import dev.parley.config.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;

/** When episodes may start: the configured daily windows in the configured zone (none: any time). */
final class EpisodeTimes {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");

    private final List<TimeWindow> windows;
    private final ZoneId zone;

    EpisodeTimes(List<TimeWindow> windows, ZoneId zone) {
        this.windows = List.copyOf(windows);
        this.zone = zone;
    }

    boolean allows(Instant t) {
        LocalTime local = t.atZone(zone).toLocalTime();
        return windows.isEmpty() || windows.stream().anyMatch(w -> w.contains(local));
    }

    /** The first moment at or after {@code t} at which an episode may start. */
    Instant earliestFrom(Instant t) {
        if (allows(t)) {
            return t;
        }
        ZonedDateTime local = t.atZone(zone);
        Instant best = null;
        for (int day = 0; day <= 1; day++) {
            LocalDate date = local.toLocalDate().plusDays(day);
            for (TimeWindow w : windows) {
                Instant opening = ZonedDateTime.of(date, w.from(), zone).toInstant();
                if (!opening.isBefore(t) && (best == null || opening.isBefore(best))) {
                    best = opening;
                }
            }
        }
        return best;
    }

    /** "18:00-23:00 (UTC)", for refusals. */
    String describe() {
        return windows.stream().map(TimeWindow::toString).collect(Collectors.joining(", ")) + " (" + zone.getId() + ")";
    }

    /** "at 18:00 (in 2 h 5 min)": when {@code at} is, told at {@code now}. */
    String when(Instant at, Instant now) {
        Duration left = Duration.between(now, at);
        if (left.isNegative() || left.isZero()) {
            return "now";
        }
        String in = left.toHours() > 0 ? left.toHours() + " h " + left.toMinutesPart() + " min"
                : left.toMinutes() > 0 ? left.toMinutes() + " min" : left.toSeconds() + " s";
        return "at " + at.atZone(zone).format(CLOCK) + " (in " + in + ")";
    }
}
