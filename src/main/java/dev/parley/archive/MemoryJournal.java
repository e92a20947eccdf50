package dev.parley.archive;

import java.util.ArrayList;
import java.util.List;

/** A journal kept in memory, for tests and benchmarks; same ordering rules as the file journal. */
public final class MemoryJournal implements Journal {
    private final List<JournalEvent> events = new ArrayList<>();

    @Override
    public synchronized void append(JournalEvent event) {
        long expected = events.size() + 1L;
        if (event.seq() != expected) {
            throw new JournalException("journal seq " + event.seq() + " out of order, expected " + expected);
        }
        events.add(event);
    }

    @Override
    public synchronized List<JournalEvent> events() {
        return List.copyOf(events);
    }

    @Override
    public void close() { }
}
