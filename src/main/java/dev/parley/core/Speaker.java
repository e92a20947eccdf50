package dev.parley.core;

import java.util.Objects;

/**
 * Who said something: a seat (a model, with its {@link SeatId}) or a human (seat is null).
 * The name is what transcripts and other models see ("Kimi K2", "mod_kate").
 */
public record Speaker(String name, SeatId seat) {
    public Speaker {
        Objects.requireNonNull(name, "name");
    }

    public static Speaker seat(SeatId seat, String name) {
        return new Speaker(name, Objects.requireNonNull(seat, "seat"));
    }

    public static Speaker human(String name) {
        return new Speaker(name, null);
    }

    public boolean isSeat() {
        return seat != null;
    }

    public boolean isHuman() {
        return seat == null;
    }
}
