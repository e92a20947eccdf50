package dev.parley.model;

/**
 * A call in progress that can say what it has used so far: the provider's reported counts (Anthropic's input
 * in {@code message_start}), with the input estimated once the server has begun a reply it did not count yet.
 * Lets a decorator that ends the call early (a timeout) still account for it.
 */
public interface Metered {
    Usage usageSoFar();
}
