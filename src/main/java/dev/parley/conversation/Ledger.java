package dev.parley.conversation;

import dev.parley.core.Message;
import dev.parley.core.SeatId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The messages of the history with where they stand in the journal: each message's sequence number, and the
 * parcels that showed it in the rooms (the drafts of a streamed reply, then the rest of the message). What
 * {@code !retract} and {@code !retry} need to take a message back from the context, the transcript and the rooms.
 */
final class Ledger {
    /** One message of the history; {@code refs} are empty for a human's line (the rooms got it from the human). */
    record Entry(long seq, Message message, List<Long> refs) { }

    private final List<Entry> entries = new ArrayList<>();
    /** Refs posted for the reply in progress, before its message is journalled. */
    private final List<Long> draftRefs = new ArrayList<>();

    /** A paragraph of the reply in progress was shown as {@code parcel}. */
    void draftPosted(long parcel) {
        if (parcel > 0) {
            draftRefs.add(parcel);
        }
    }

    /** The turn was dropped before its message was journalled (a retry, a dismissal): its drafts stay shown. */
    void dropDrafts() {
        draftRefs.clear();
    }

    /** A seat's message, journalled as {@code seq}; {@code parcel} showed (the rest of) it, 0 if none did. */
    void said(long seq, Message message, long parcel) {
        List<Long> refs = new ArrayList<>(draftRefs);
        if (parcel > 0) {
            refs.add(parcel);
        }
        draftRefs.clear();
        entries.add(new Entry(seq, message, List.copyOf(refs)));
    }

    /** A message read back from the journal after a restart, with the refs it was shown under. */
    void restored(long seq, Message message, List<Long> refs) {
        entries.add(new Entry(seq, message, List.copyOf(refs)));
    }

    void heard(long seq, Message message) {
        entries.add(new Entry(seq, message, List.of()));
    }

    /** The last {@code n} messages, oldest first (fewer when there are fewer). */
    List<Entry> last(int n) {
        return List.copyOf(entries.subList(Math.max(0, entries.size() - n), entries.size()));
    }

    /** The newest message of a seat (any seat when {@code seat} is empty). */
    Optional<Entry> lastBySeat(Optional<SeatId> seat) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            SeatId by = entries.get(i).message().speaker().seat();
            if (by != null && (seat.isEmpty() || seat.get().equals(by))) {
                return Optional.of(entries.get(i));
            }
        }
        return Optional.empty();
    }

    void remove(List<Entry> taken) {
        entries.removeAll(taken);
    }
}
