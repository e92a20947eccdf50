package dev.parley.core;

import java.time.Instant;
import java.util.Objects;

/** One thing said in a conversation, by a seat or a human, exactly as spoken. */
public record Message(Speaker speaker, String text, Instant at) {
    public Message {
        Objects.requireNonNull(speaker, "speaker");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(at, "at");
    }
}
