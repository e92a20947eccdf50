package dev.parley.model;

import java.time.Duration;
import java.util.Objects;

/**
 * Why a model call failed, typed so that the engine can decide without reading provider details.
 * {@code message} is short and safe to show in a room (never contains a secret).
 */
public record ModelError(Kind kind, String message, int httpStatus, Duration retryAfter) {
    public enum Kind {
        /** 429 or overloaded: try again later, {@code retryAfter} if the server said when. */
        RATE_LIMITED,
        /** 5xx, network error, stream cut: worth a retry. */
        TRANSIENT,
        /** 400/401/403/404 and garbage: retrying cannot help; the seat needs an operator. */
        PERMANENT,
        /** no first token or no complete reply in time. */
        TIMEOUT
    }

    public ModelError {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    public static ModelError of(Kind kind, String message) {
        return new ModelError(kind, message, 0, null);
    }

    public boolean retryable() {
        return kind != Kind.PERMANENT;
    }
}
