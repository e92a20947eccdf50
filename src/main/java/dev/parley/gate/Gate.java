package dev.parley.gate;

import java.util.concurrent.CompletableFuture;

/**
 * Judges a message before any room sees it. Checks made in memory complete at once; a remote check completes
 * later, on another thread, and never fails: a service that cannot answer gives a {@code HELD} or
 * {@code UNCHECKED} verdict, as configured.
 */
@FunctionalInterface
public interface Gate {
    CompletableFuture<Verdict> check(Candidate candidate);

    /** Whether a verdict may take a network round trip (then paragraphs are not shown while a reply streams). */
    default boolean remote() {
        return false;
    }
}
