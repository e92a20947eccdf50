package dev.parley.model;

import java.util.List;
import java.util.Objects;

/**
 * Everything a provider sends for one turn. {@code turns} alternate roles and start with a user turn
 * (the context builder guarantees it); {@code stop} holds stop sequences such as "\nKimi:".
 * Model id, sampling parameters and limits are the seat's {@code ModelConfig}, fixed when the client is built.
 */
public record ModelRequest(String system, List<Turn> turns, List<String> stop) {
    public ModelRequest {
        Objects.requireNonNull(system, "system");
        turns = List.copyOf(turns);
        stop = List.copyOf(stop);
    }
}
