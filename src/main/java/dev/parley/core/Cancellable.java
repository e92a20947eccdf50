package dev.parley.core;

/** A handle on something that may still be stopped: a scheduled task, a model call. Idempotent. */
@FunctionalInterface
public interface Cancellable {
    Cancellable NONE = () -> { };

    void cancel();
}
