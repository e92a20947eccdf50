package dev.parley.model;

import java.time.Duration;
import java.util.Objects;

/**
 * Why a model call failed, typed so that the engine can decide without reading provider details.
 * {@code message} is short and safe to show in a room (never contains a secret).
 * {@code partialText} is the text that had streamed in before the failure ("" when none): a stream cut
 * mid-reply or a reply that ran out of time keeps what was said so far. {@code usage} is what the failed call used
 * (reported, or estimated on the high side; {@link Usage#NONE} when the server refused before generating): a call
 * that streamed for a while was paid for even if its reply is lost.
 */
public record ModelError(Kind kind, String message, int httpStatus, Duration retryAfter, String partialText,
                         Usage usage) {
    public enum Kind {
        /** 429 or overloaded (Anthropic 529 / overloaded_error): try again later, {@code retryAfter} if the server said when. */
        RATE_LIMITED,
        /** 5xx, network error, stream cut: worth a retry. */
        TRANSIENT,
        /** 400/401/403/404/422 and garbage: retrying cannot help; the seat needs an operator. */
        PERMANENT,
        /** no first token or no complete reply in time. */
        TIMEOUT
    }

    public ModelError {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        partialText = partialText == null ? "" : partialText;
        usage = usage == null ? Usage.NONE : usage;
    }

    /** The original four-field form: no partial text. */
    public ModelError(Kind kind, String message, int httpStatus, Duration retryAfter) {
        this(kind, message, httpStatus, retryAfter, "", Usage.NONE);
    }

    public static ModelError of(Kind kind, String message) {
        return new ModelError(kind, message, 0, null, "", Usage.NONE);
    }

    public boolean retryable() {
        return kind != Kind.PERMANENT;
    }

    /** True when some text had streamed in before the failure. */
    public boolean hasPartialText() {
        return !partialText.isEmpty();
    }

    public ModelError withPartialText(String text) {
        return new ModelError(kind, message, httpStatus, retryAfter, text, usage);
    }

    public ModelError withMessage(String newMessage) {
        return new ModelError(kind, newMessage, httpStatus, retryAfter, partialText, usage);
    }

    public ModelError withUsage(Usage spent) {
        return new ModelError(kind, message, httpStatus, retryAfter, partialText, spent);
    }
}
