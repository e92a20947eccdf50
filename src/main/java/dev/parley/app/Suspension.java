package dev.parley.app;

import dev.parley.archive.JournalException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A conversation whose journal could not be written stops as suspended: its {@code stopped()} fails with a
 * {@link JournalException} that says why in one line. The daemon, once every conversation has stopped and the
 * rooms were closed, throws the first one, so that the CLI prints it as {@code parley: <reason>} and exits 1.
 */
final class Suspension {
    private Suspension() { }

    static void rethrow(CompletableFuture<?>[] stopped) {
        for (CompletableFuture<?> f : stopped) {
            try {
                f.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof JournalException j) {
                    throw j;
                }
                throw e;
            }
        }
    }
}
