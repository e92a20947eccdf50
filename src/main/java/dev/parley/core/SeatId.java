package dev.parley.core;

import java.util.regex.Pattern;

/** The stable key of a seat in config, journal and commands ("kimi", "claude-1"). */
public record SeatId(String value) implements Comparable<SeatId> {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    public SeatId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("seat id must be 1-64 letters, digits, '_', '.' or '-': " + value);
        }
    }

    public static SeatId of(String value) {
        return new SeatId(value);
    }

    @Override
    public int compareTo(SeatId o) {
        return value.compareTo(o.value);
    }

    // Written out: a record's generated equals and hashCode are linked on first call (an invokedynamic bootstrap
    // that builds method handles), and the first record hashed at a start paid some 10 ms of it, on the thread
    // that opens the rooms (docs/benchmark.md).
    @Override
    public boolean equals(Object o) {
        return o instanceof SeatId other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
