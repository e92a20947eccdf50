package dev.parley.model;

import dev.parley.core.Cancellable;

/**
 * One seat's model behind an API. {@link #start} must return at once (no blocking I/O on the
 * caller's thread) and report through the listener; the returned handle cancels the call.
 */
public interface ModelClient extends AutoCloseable {
    Cancellable start(ModelRequest request, ReplyListener listener);

    /** A short description for logs and {@code !status}: "openai gpt-4o-mini". */
    String describe();

    @Override
    default void close() { }
}
