package dev.parley.config;

import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A daily span of local time, such as 18:00-23:00, in which episodes may start. {@code to} before {@code from}
 * spans midnight (22:00-02:00); {@code from} is in the window, {@code to} is not.
 */
public record TimeWindow(LocalTime from, LocalTime to) {
    public boolean contains(LocalTime t) {
        return from.isBefore(to) ? !t.isBefore(from) && t.isBefore(to) : !t.isBefore(from) || t.isBefore(to);
    }

    /** "18:00-23:00" or "18:00–23:00"; empty when it is not one. */
    public static Optional<TimeWindow> parse(String text) {
        String[] parts = text.strip().split("\\s*[-\u2013]\\s*");
        if (parts.length != 2) {
            return Optional.empty();
        }
        try {
            LocalTime from = LocalTime.parse(parts[0]);
            LocalTime to = LocalTime.parse(parts[1]);
            return from.equals(to) ? Optional.empty() : Optional.of(new TimeWindow(from, to));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return from + "-" + to;
    }
}
