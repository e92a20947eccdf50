package dev.parley.model;

import java.time.Duration;

/**
 * Receives one call's outcome: any number of {@link #onDelta} (with {@link #onRetry} between attempts) then
 * exactly one of {@link #onReply} or {@link #onError}. Called on the provider's threads: the engine hops back
 * onto its own loop. Nothing is called after the call is cancelled.
 *
 * <p>Order is part of the contract: every provider (and every decorator) calls one call's methods one at a time,
 * each only after the one before has returned, in the order the model produced them. A listener may therefore
 * hand them on in the order it receives them, and a reply's deltas concatenated are its text. A provider whose
 * events come from timers or several threads must chain them (see {@code ReplayModelClient}); {@link CallGuard}
 * serializes calls but cannot restore an order lost before it.
 */
public interface ReplyListener {
    /** A piece of text as it streams in; the pieces concatenated are the reply so far. */
    default void onDelta(String text) { }

    /**
     * The attempt failed with {@code cause} and another starts after {@code delay}. The deltas received so far
     * are void: the next deltas start the reply again from its beginning. Useful for a notice
     * ("rate limited, trying again in 7 s") and for resetting a paragraph buffer.
     */
    default void onRetry(ModelError cause, Duration delay) { }

    void onReply(ModelReply reply);

    void onError(ModelError error);
}
