package dev.parley.room;

import java.util.Objects;

/**
 * A message a human sent in a room. {@code operator} is the room's verdict, made with the operator rules
 * of its own network (IRC account or host mask, Matrix user id, the terminal's user).
 * {@code action} marks an IRC ACTION or Matrix emote; {@code direct} a private message to the control identity.
 */
public record Inbound(String sender, String text, boolean operator, boolean action, boolean direct) {
    public Inbound {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(text, "text");
    }

    public static Inbound say(String sender, String text, boolean operator) {
        return new Inbound(sender, text, operator, false, false);
    }
}
