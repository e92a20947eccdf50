package dev.parley.model;

/**
 * Receives one call's outcome: any number of {@link #onDelta} then exactly one of {@link #onReply} or
 * {@link #onError}. Called on the provider's threads: the engine hops back onto its own loop.
 * Nothing is called after the call is cancelled.
 */
public interface ReplyListener {
    /** A piece of text as it streams in; the pieces concatenated are the reply so far. */
    default void onDelta(String text) { }

    void onReply(ModelReply reply);

    void onError(ModelError error);
}
