package dev.parley.model;

import java.util.Objects;

/**
 * A finished reply. {@code finishReason} is the provider's word ("stop", "end_turn", "length", "stop_sequence")
 * or "" when it gave none; {@code partial} is true when the stream was cut and the text kept as it was.
 */
public record ModelReply(String text, Usage usage, String finishReason, boolean partial) {
    public ModelReply {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(finishReason, "finishReason");
    }

    public static ModelReply of(String text) {
        return new ModelReply(text, Usage.NONE, "stop", false);
    }
}
