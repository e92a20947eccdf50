package dev.parley.matrix;

import dev.parley.core.SeatId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Taking posts back: remembers which events were posted under each journal ref, and redacts them when the
 * conversation retracts the ref. Posts still queued are dropped before they are sent; one being sent is redacted
 * as soon as its event id is known. Only the last {@link #REFS_KEPT} refs are known.
 */
final class Retractions implements MatrixOutbox.Receipts {
    /** How many refs' event ids are remembered: the last ones, which are what is retracted. */
    static final int REFS_KEPT = 1000;

    /** An event a seat (null: the control identity) posted. */
    private record Sent(SeatId seat, String eventId) { }

    private final RoomContext room;
    private final MatrixMembership membership;
    private final MatrixOutbox outbox;
    /** Posts' transaction ids to the journal ref they were posted under, until sent or dropped. */
    private final Map<String, Long> refOfTxn = new ConcurrentHashMap<>();
    /** The events posted under each of the last refs, and who sent them. */
    private final Map<Long, List<Sent>> sentByRef = lastRefs();
    /** Refs retracted while some of their posts were still being sent: those are redacted once sent. */
    private final Map<Long, String> retractedRefs = lastRefs();

    Retractions(RoomContext room, MatrixMembership membership, MatrixOutbox outbox) {
        this.room = room;
        this.membership = membership;
        this.outbox = outbox;
    }

    private static <V> Map<Long, V> lastRefs() {
        return new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, V> eldest) {
                return size() > REFS_KEPT;
            }
        };
    }

    /** The post queued under {@code txnId} may be taken back by its journal ref. */
    void remember(String txnId, long ref) {
        refOfTxn.put(txnId, ref);
    }

    /** A queued message was sent ({@code eventId}) or given up (null): remember it under its ref, if it had one. */
    @Override
    public void sent(SeatId seat, String txnId, String eventId) {
        Long ref = refOfTxn.remove(txnId);
        if (ref == null || eventId == null) {
            return;
        }
        String reason;
        synchronized (sentByRef) {
            sentByRef.computeIfAbsent(ref, r -> new ArrayList<>()).add(new Sent(seat, eventId));
            reason = retractedRefs.get(ref);
        }
        if (reason != null) {
            redact(new Sent(seat, eventId), reason);
        }
    }

    /** Redacts the events posted under {@code refs} with {@code notice} as the reason; posts no notice. */
    void retract(List<Long> refs, String notice) {
        Set<Long> wanted = Set.copyOf(refs);
        outbox.drop(txn -> {
            Long ref = refOfTxn.get(txn);
            return ref != null && wanted.contains(ref);
        }).forEach(refOfTxn::remove);
        List<Sent> known = new ArrayList<>();
        synchronized (sentByRef) {
            for (Long ref : wanted) {
                retractedRefs.put(ref, notice);
                known.addAll(sentByRef.getOrDefault(ref, List.of()));
            }
        }
        known.forEach(e -> redact(e, notice));
    }

    /** As the seat that sent it while the seat is in the room, else (or if refused) as the control identity. */
    private void redact(Sent event, String reason) {
        MatrixClient seat = event.seat() == null ? null : membership.inRoom(event.seat());
        CompletableFuture<Void> done = seat != null
                ? seat.redact(room.roomId, event.eventId(), outbox.nextTxnId(), reason)
                        .handle((v, e) -> e == null ? CompletableFuture.<Void>completedFuture(null)
                                : redactAsControl(event, reason))
                        .thenCompose(f -> f)
                : redactAsControl(event, reason);
        done.exceptionally(e -> {
            if (!room.closed) {
                room.fail("cannot redact " + event.eventId(), e);
            }
            return null;
        });
    }

    private CompletableFuture<Void> redactAsControl(Sent event, String reason) {
        return membership.controlReady()
                .thenCompose(c -> c.redact(room.roomId, event.eventId(), outbox.nextTxnId(), reason));
    }
}
