package dev.parley.gate;

import java.util.Set;

/**
 * A message to judge: who would say it, its text, and the names of the room (seats, humans seen), which a
 * mass-highlight would mention.
 */
public record Candidate(String speaker, String text, Set<String> names) {
    public Candidate {
        names = Set.copyOf(names);
    }

    public static Candidate of(String speaker, String text) {
        return new Candidate(speaker, text, Set.of());
    }
}
