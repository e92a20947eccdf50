package dev.parley.model;

import java.util.Objects;

/**
 * One turn of the prompt as the model sees it; text already carries "Name: " prefixes for others.
 *
 * <p>A turn made of a prefix and a body ({@link #named}) keeps them apart until its text is asked for: a seat's
 * context holds each other seat's message as such a turn from one turn to the next, and a copy of every message
 * with its speaker's name in front doubled what a thousand conversations keep in memory.
 */
public final class Turn {
    private final Role role;
    private final String prefix;
    private final String body;

    public Turn(Role role, String text) {
        this(role, "", text);
    }

    private Turn(Role role, String prefix, String body) {
        this.role = Objects.requireNonNull(role, "role");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.body = Objects.requireNonNull(body, "text");
    }

    public static Turn user(String text) {
        return new Turn(Role.USER, text);
    }

    public static Turn assistant(String text) {
        return new Turn(Role.ASSISTANT, text);
    }

    /** A turn whose text is {@code prefix + body}, kept apart until asked for. */
    public static Turn named(Role role, String prefix, String body) {
        return new Turn(role, prefix, body);
    }

    public Role role() {
        return role;
    }

    public String text() {
        return prefix.isEmpty() ? body : prefix + body;
    }

    /** The length of {@link #text()}, without building it. */
    public int length() {
        return prefix.length() + body.length();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Turn t && role == t.role && length() == t.length() && text().equals(t.text());
    }

    @Override
    public int hashCode() {
        return 31 * role.hashCode() + text().hashCode();
    }

    @Override
    public String toString() {
        return "Turn[role=" + role + ", text=" + text() + "]";
    }
}
