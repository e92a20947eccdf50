package dev.parley.conversation;

import dev.parley.archive.Journal;
import dev.parley.archive.JournalEvent;
import dev.parley.core.Scheduler;
import dev.parley.core.SeatId;
import dev.parley.room.Room;
import java.util.List;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * Where a conversation records and shows what happens. Every event gets the next sequence number and is appended
 * to the journal, durably, before any room is shown anything of it: the journal is the source of truth.
 */
final class Stage {
    private final Journal journal;
    private final List<Room> rooms;
    private final Scheduler clock;
    private long seq;

    Stage(Journal journal, List<Room> rooms, Scheduler clock) {
        this.journal = journal;
        this.rooms = List.copyOf(rooms);
        this.clock = clock;
    }

    List<Room> rooms() {
        return rooms;
    }

    List<JournalEvent> events() {
        return journal.events();
    }

    /** After a restart, numbering goes on from the journal's last event. */
    void continueAfter(long lastSeq) {
        seq = lastSeq;
    }

    /** Appends the event built for the next sequence number; returns that number. */
    long record(LongFunction<JournalEvent> event) {
        long next = seq + 1;
        journal.append(event.apply(next));
        seq = next;
        return next;
    }

    /** Journals a notice, then tells every room. */
    void announce(String text) {
        announceExcept(null, text);
    }

    /** Like {@link #announce}, but skips one room (the one whose command this answers: it gets the answer). */
    void announceExcept(Room skipped, String text) {
        record(seq -> new JournalEvent.Notice(seq, clock.now(), text));
        rooms.stream().filter(r -> r != skipped).forEach(r -> r.notice(text));
    }

    /** Shows a seat's text, under the sequence number of the event that journalled it. */
    void post(SeatId seat, String text, long ref) {
        rooms.forEach(r -> r.post(seat, text, ref));
    }

    void cast(Set<SeatId> seats) {
        rooms.forEach(r -> r.cast(seats));
    }

    void retract(List<Long> refs, String notice) {
        rooms.forEach(r -> r.retract(refs, notice));
    }

    void topic(String text) {
        rooms.forEach(r -> r.topic(text));
    }

    void typing(SeatId seat, boolean on) {
        rooms.forEach(r -> r.typing(seat, on));
    }
}
