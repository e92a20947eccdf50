package dev.parley.command;

import java.util.Objects;

/**
 * The human who typed a command line in a room: their display name as the room shows it, and whether the room's
 * operator rules matched them. There is deliberately no way to say "a model": the engine never hands text
 * produced by a model to {@link Commands}, whatever it starts with.
 */
public record Invoker(String name, boolean operator) {
    public Invoker {
        Objects.requireNonNull(name, "name");
    }

    public static Invoker operator(String name) {
        return new Invoker(name, true);
    }

    public static Invoker human(String name) {
        return new Invoker(name, false);
    }
}
