package dev.parley.model;

import java.util.Objects;

/** One turn of the prompt as the model sees it; text already carries "Name: " prefixes for others. */
public record Turn(Role role, String text) {
    public Turn {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(text, "text");
    }

    public static Turn user(String text) {
        return new Turn(Role.USER, text);
    }

    public static Turn assistant(String text) {
        return new Turn(Role.ASSISTANT, text);
    }
}
