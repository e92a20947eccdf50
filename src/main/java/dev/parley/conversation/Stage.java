package dev.parley.conversation;

import dev.parley.archive.Journal;
import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalException;
import dev.parley.core.Cancellable;
import dev.parley.core.Scheduler;
import dev.parley.core.SeatId;
import dev.parley.room.Parcel;
import dev.parley.room.Room;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongFunction;

/**
 * Where a conversation records and shows what happens. Every event gets the next sequence number and is appended
 * to the journal, durably, before any room is shown anything of it: the journal is the source of truth. What a
 * room is to show is journalled too, as an {@link JournalEvent.Outgoing} written together with its event; its
 * sequence number is the parcel's key, so a restart can hand each room what it had not delivered yet
 * ({@link #redeliver}), and Matrix can recognise a message it already has.
 *
 * <p>Once an append failed, the stage takes nothing more: no later event is journalled, so nothing more is shown.
 */
final class Stage {
    private final Journal journal;
    private final List<Room> rooms;
    private final Scheduler clock;
    /** The conversation's loop: what a journal thread says comes back onto it. */
    private final Executor loop;
    private final String episode;
    private long seq;
    private JournalException failed;
    /** Batches journalled whose rooms have not been shown them yet (the journal's thread is forcing them). */
    private int showing;
    private final ArrayDeque<Runnable> afterShown = new ArrayDeque<>();

    Stage(String conversation, Journal journal, List<Room> rooms, Scheduler clock, Executor loop) {
        this.loop = loop;
        this.journal = journal;
        this.rooms = List.copyOf(rooms);
        this.clock = clock;
        this.episode = conversation + "/" + journal.name();
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
        append(List.of(event.apply(seq + 1)));
        return seq;
    }

    /**
     * After a restart, before anything new: each room is handed, in journal order, the parcels it had not
     * delivered when the process died. Rooms that keep no record of their deliveries are handed nothing.
     */
    void redeliver() {
        List<JournalEvent> past = journal.events();
        for (Room room : rooms) {
            long delivered = room.deliveredUpTo(episode);
            for (JournalEvent e : past) {
                if (e instanceof JournalEvent.Outgoing o && o.seq() > delivered && o.rooms().contains(room.name())) {
                    room.deliver(parcel(o));
                }
            }
        }
    }

    /** Journals a notice, then tells every room. */
    void announce(String text) {
        announceExcept(null, text);
    }

    /** Like {@link #announce}, but skips one room (the one whose command this answers: it gets the answer). */
    void announceExcept(Room skipped, String text) {
        show(s -> new JournalEvent.Notice(s, clock.now(), text), rooms.stream().filter(r -> r != skipped).toList(),
                JournalEvent.Outgoing.NOTICE, null, null, text);
    }

    /**
     * Journals a seat's message (or draft) and posts {@code shown} of it in every room; null shows nothing.
     * Returns what was journalled: the event's sequence number and, if shown, its parcel's (the ref by which the
     * rooms can take it back: {@link #retract}).
     */
    Recorded post(LongFunction<JournalEvent> event, SeatId seat, String shown) {
        long parcel = show(event, shown == null ? List.of() : rooms, JournalEvent.Outgoing.POST, seat.value(), null,
                shown);
        return new Recorded(parcel == 0 ? seq : parcel - 1, parcel);
    }

    /** What {@link #post} journalled: the event, and the parcel that showed it (0 when nothing was shown). */
    record Recorded(long event, long parcel) { }

    /** Journals a command and answers it in the room it came from, only. */
    void answer(LongFunction<JournalEvent> command, Room origin, String answer) {
        show(command, List.of(origin), JournalEvent.Outgoing.NOTICE, null, null, answer);
    }

    /** Journals what a human said and relays it to every other room; returns the event's sequence number. */
    long relay(LongFunction<JournalEvent> said, Room origin, String sender, String text) {
        long parcel = show(said, rooms.stream().filter(r -> r != origin).toList(), JournalEvent.Outgoing.RELAY, null,
                sender, text);
        return parcel == 0 ? seq : parcel - 1;
    }

    void cast(Set<SeatId> seats) {
        rooms.forEach(r -> r.cast(seats));
    }

    /** Takes back the posts shown as these parcels (see {@link Room#retract}). */
    void retract(List<Long> parcels, String notice) {
        rooms.forEach(r -> r.retract(parcels, notice));
    }

    void topic(String text) {
        rooms.forEach(r -> r.topic(text));
    }

    void typing(SeatId seat, boolean on) {
        rooms.forEach(r -> r.typing(seat, on));
    }

    /** Journals {@code event} and, in the same write, what {@code to} are to show; then hands them the parcel. */
    /** Returns the parcel's sequence number, or 0 when there was nobody to show it to. */
    private long show(LongFunction<JournalEvent> event, List<Room> to, String kind, String seat, String sender,
                      String text) {
        JournalEvent first = event.apply(seq + 1);
        if (to.isEmpty()) {
            append(List.of(first));
            return 0;
        }
        JournalEvent.Outgoing out = new JournalEvent.Outgoing(seq + 2, first.ts(),
                to.stream().map(Room::name).toList(), kind, seat, sender, text);
        Parcel parcel = parcel(out);
        append(List.of(first, out), () -> to.forEach(r -> r.deliver(parcel)));
        return out.seq();
    }

    private void append(List<JournalEvent> batch) {
        append(batch, () -> { });
    }

    /**
     * Appends the batch and runs {@code show} once it is durable: at once if the journal forced it on this thread,
     * else on the loop when the journal's thread says so (in append order, since the loop runs tasks in order).
     * A failure is thrown here, or on the loop, where the conversation's failure handler suspends it.
     */
    private void append(List<JournalEvent> batch, Runnable show) {
        if (failed != null) {
            throw new JournalException("the journal failed earlier and takes no more events", failed);
        }
        // "Here" is this call on this thread: a thread of the pool that appended earlier may be the one that
        // commits this batch for another journal later on, and must then hand it to the loop like any other.
        Thread caller = Thread.currentThread();
        boolean[] returned = {false};
        boolean[] durableHere = {false};
        JournalException[] failedHere = {null};
        showing++;
        Journal.Durable then = new Journal.Durable() {
            @Override
            public void done() {
                if (Thread.currentThread() == caller && !returned[0]) {
                    durableHere[0] = true;
                } else {
                    loop.execute(() -> {
                        try {
                            show.run();
                        } finally {
                            shown(); // after what the rooms did on being shown it, such as a human answering
                        }
                    });
                }
            }

            @Override
            public void failed(JournalException failure) {
                if (Thread.currentThread() == caller && !returned[0]) {
                    failedHere[0] = failure;
                } else {
                    loop.execute(() -> {
                        shown();
                        failed = failure;
                        throw failure;
                    });
                }
            }
        };
        try {
            journal.appendAllThen(batch, then);
        } catch (RuntimeException refused) { // a closed journal, a seq out of order: nothing was taken
            showing--;
            if (refused instanceof JournalException j) {
                failed = j;
            }
            throw refused;
        }
        returned[0] = true;
        if (durableHere[0] || failedHere[0] != null) {
            showing--;
        }
        if (failedHere[0] != null) {
            failed = failedHere[0];
            throw failed;
        }
        seq += batch.size();
        if (durableHere[0]) {
            show.run();
        }
    }

    /**
     * Whether some of what was journalled is still to be shown (its journal's thread is forcing it). A turn waits
     * for it ({@link #whenShown}): the next model is asked once the room has the previous message, as a human
     * reading the room would have it, and a staged replay's audience speaks in its place.
     */
    boolean showing() {
        return showing > 0;
    }

    /**
     * Runs {@code task} on the loop once everything journalled so far has been shown, after whatever the rooms
     * did on being shown it (a human answering in a staged replay). Cancelling works until it runs.
     */
    Cancellable whenShown(Runnable task) {
        AtomicBoolean cancelled = new AtomicBoolean();
        afterShown.add(() -> {
            if (!cancelled.get()) {
                task.run();
            }
        });
        return () -> cancelled.set(true);
    }

    private void shown() {
        if (--showing == 0) {
            while (!afterShown.isEmpty()) {
                loop.execute(afterShown.poll());
            }
        }
    }

    /** Waits until all that was journalled is on disk (before the transcript is written from the journal). */
    void flush() {
        try {
            journal.flush();
        } catch (JournalException e) {
            failed = e;
            throw e;
        }
    }

    private Parcel parcel(JournalEvent.Outgoing o) {
        Parcel.Key key = new Parcel.Key(episode, o.seq());
        return switch (o.kind()) {
            case JournalEvent.Outgoing.POST -> Parcel.post(key, SeatId.of(o.seat()), o.text());
            case JournalEvent.Outgoing.RELAY -> Parcel.relay(key, o.sender(), o.text());
            default -> Parcel.notice(key, o.text());
        };
    }

    /** Whether appending failed: the conversation is suspended, and must not show anything more. */
    boolean broken() {
        return failed != null;
    }
}
