package dev.parley.archive;

import java.util.ArrayList;
import java.util.List;

/** A journal kept in memory, for tests and benchmarks; same ordering rules as the file journal. */
public final class MemoryJournal implements Journal {
    private final List<JournalEvent> events = new ArrayList<>();

    @Override
    public void append(JournalEvent event) {
        appendAll(List.of(event));
    }

    /** All or nothing, like the file journal's single write. */
    @Override
    public synchronized void appendAll(List<JournalEvent> batch) {
        for (int i = 0; i < batch.size(); i++) {
            long expected = events.size() + 1L + i;
            if (batch.get(i).seq() != expected) {
                throw new JournalException("journal seq " + batch.get(i).seq() + " out of order, expected "
                        + expected);
            }
        }
        events.addAll(batch);
    }

    @Override
    public synchronized List<JournalEvent> events() {
        return List.copyOf(events);
    }

    @Override
    public void close() { }
}
