package dev.parley.archive;

import java.util.List;

/**
 * The append-only record of one conversation. {@link #append} returns only once the event is durable
 * (written, flushed and forced to disk for the file journal), so a caller may post to rooms right after.
 */
public interface Journal extends AutoCloseable {
    /** Appends an event; its seq must be the next one. Throws {@link JournalException} when it cannot. */
    void append(JournalEvent event);

    /**
     * Appends events that belong together (an event and what the rooms are to show of it) as one write: after a
     * crash either all of them are in the journal or none. The default appends them one by one.
     */
    default void appendAll(List<JournalEvent> batch) {
        batch.forEach(this::append);
    }

    /**
     * The journal's name within its conversation (the file's name without extension), part of each parcel's key:
     * a journal that wraps another must give the other's, or the outbox takes one episode's parcels for another's.
     */
    default String name() {
        return "memory";
    }

    /** Every event appended so far, in order (including those read back when the journal was reopened). */
    List<JournalEvent> events();

    @Override
    void close();
}
