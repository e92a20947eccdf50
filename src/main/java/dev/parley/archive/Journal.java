package dev.parley.archive;

import java.util.List;

/**
 * The append-only record of one conversation. {@link #append} returns only once the event is durable
 * (written, flushed and forced to disk for the file journal), so a caller may post to rooms right after;
 * {@link #appendAllThen} lets the caller go on and says when the batch is durable.
 */
public interface Journal extends AutoCloseable {
    /** What a journal tells once a batch handed to {@link #appendAllThen} is on disk, or could not be written. */
    interface Durable {
        Durable NOTHING = new Durable() {
            @Override
            public void done() {
            }

            @Override
            public void failed(JournalException failure) {
            }
        };

        void done();

        void failed(JournalException failure);
    }

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
     * Like {@link #appendAll}, but may return before the batch is durable: {@code then} is told once it is (or
     * that it could not be written, after which the journal takes nothing more), in append order, on whatever
     * thread forced it. A batch that breaks the journal's rules (a seq out of order) throws at once. The default
     * appends at once and tells {@code then} before returning.
     */
    default void appendAllThen(List<JournalEvent> batch, Durable then) {
        try {
            appendAll(batch);
        } catch (JournalException e) {
            then.failed(e);
            return;
        }
        then.done();
    }

    /** Returns once everything appended so far is durable; throws if some of it could not be written. */
    default void flush() {
    }

    /**
     * The journal's name within its conversation (the file's name without extension), part of each parcel's key:
     * a journal that wraps another must give the other's, or the outbox takes one episode's parcels for another's.
     */
    default String name() {
        return "memory";
    }

    /**
     * Every durable event appended so far, in order (including those read back when the journal was reopened);
     * {@link #flush} first to be sure it holds everything appended.
     */
    List<JournalEvent> events();

    @Override
    void close();
}
