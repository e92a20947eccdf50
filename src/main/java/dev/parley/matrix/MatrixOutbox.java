package dev.parley.matrix;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.SeatId;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The room's send queue: one queue for every identity and one request in flight, so messages appear in the
 * order they were queued across all seats and the control identity. A message keeps its transaction id through
 * every retry ({@link MatrixClient} retries network errors, 5xx and rate limits itself), so the homeserver never
 * shows it twice. What is Matrix-specific is here: a seat's message refused with 403 is held until the seat
 * rejoined, then sent again ({@link #holdUntilRejoined}). Callers never block.
 */
final class MatrixOutbox {
    private static final Logger log = LoggerFactory.getLogger(MatrixOutbox.class);

    /** Told of each message that left the queue: sent ({@code eventId}) or given up (null). */
    interface Receipts {
        void sent(SeatId seat, String txnId, String eventId);
    }

    /**
     * {@code seat} null: the control identity. {@code afterRejoin}: refused once as "not in room" already, and
     * the seat has joined again since. {@code sent}: completed once the homeserver has the event, or once it was
     * given up for good (and reported); failed if the room closed first.
     */
    private record Outgoing(SeatId seat, ObjectNode content, String txnId, boolean afterRejoin,
                            CompletableFuture<Void> sent) {
        Outgoing rejoined() {
            return new Outgoing(seat, content, txnId, true, sent);
        }
    }

    private final RoomContext room;
    /** The client a message of the seat (null: the control identity) is sent with, once it may send. */
    private final Function<SeatId, CompletableFuture<MatrixClient>> sender;
    /** Brings the seat back into the room; completes once it is in (fails if it cannot be). */
    private final Function<SeatId, CompletableFuture<Void>> rejoin;
    private final Receipts receipts;

    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    private boolean sending;
    private boolean closing;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    private final String txnPrefix;
    private final AtomicLong txnCounter = new AtomicLong();
    private final AtomicLong heldForRejoin = new AtomicLong();

    MatrixOutbox(RoomContext room, Function<SeatId, CompletableFuture<MatrixClient>> sender,
                 Function<SeatId, CompletableFuture<Void>> rejoin, Receipts receipts) {
        this.room = room;
        this.sender = sender;
        this.rejoin = rejoin;
        this.receipts = receipts;
        byte[] run = new byte[6];
        new SecureRandom().nextBytes(run);
        this.txnPrefix = "parley." + HexFormat.of().formatHex(run) + ".";
    }

    /** A transaction id of this process: for what is not journalled, and for redactions. */
    String nextTxnId() {
        return txnPrefix + txnCounter.incrementAndGet();
    }

    /**
     * Queues an {@code m.room.message} as the seat (null: the control identity) under {@code txnId}; the future
     * says when it left the queue (see {@link Outgoing}).
     */
    CompletableFuture<Void> send(SeatId seat, ObjectNode content, String txnId) {
        Outgoing o = new Outgoing(seat, content, txnId, false, new CompletableFuture<>());
        synchronized (queue) {
            if (closing) {
                log.warn("{}: closed; message not sent", room.name);
                o.sent().completeExceptionally(new MatrixException(0, "", room.name + " closed"));
                return o.sent();
            }
            queue.add(o);
        }
        pump();
        return o.sent();
    }

    /** Whether the seat has messages queued (or in flight). */
    boolean holds(SeatId seat) {
        synchronized (queue) {
            return queue.stream().anyMatch(o -> seat.equals(o.seat()));
        }
    }

    /** Drops the queued messages whose transaction id matches, except one in flight; returns their ids. */
    List<String> drop(Predicate<String> txnIds) {
        List<String> dropped = new ArrayList<>();
        synchronized (queue) {
            Outgoing inFlight = sending ? queue.peek() : null;
            for (Iterator<Outgoing> it = queue.iterator(); it.hasNext(); ) {
                Outgoing o = it.next();
                if (o != inFlight && txnIds.test(o.txnId())) {
                    it.remove();
                    dropped.add(o.txnId());
                }
            }
        }
        pump(); // a closing room whose queue this emptied is drained now
        return dropped;
    }

    /**
     * Sends the next message if none is in flight. Called whenever one may go out: queued, a client became
     * ready, the previous one finished.
     */
    void pump() {
        Outgoing next;
        synchronized (queue) {
            if (sending) {
                return;
            }
            next = queue.peek();
            if (next == null) {
                if (closing) {
                    drained.complete(null);
                }
                return;
            }
            sending = true;
        }
        String who = next.seat() == null ? "the control identity" : "seat " + next.seat();
        sender.apply(next.seat()).thenCompose(c -> c.send(room.roomId, "m.room.message", next.txnId(), next.content()))
                .whenComplete((eventId, e) -> {
                    if (e != null && !room.closed && next.seat() != null && !next.afterRejoin()
                            && MatrixClient.unwrap(e) instanceof MatrixException m && m.status() == 403) {
                        holdUntilRejoined(next, m);
                        return;
                    }
                    synchronized (queue) {
                        queue.poll();
                        sending = false;
                    }
                    receipts.sent(next.seat(), next.txnId(), e == null ? eventId : null);
                    if (e == null || !room.closed) {
                        // Delivered, or refused for good (reported below): sending it again would not help.
                        next.sent().complete(null);
                    } else {
                        next.sent().completeExceptionally(MatrixClient.unwrap(e));
                    }
                    if (e != null && !room.closed) {
                        Throwable cause = MatrixClient.unwrap(e);
                        String key = who + (cause instanceof MatrixException m ? m.errcode() : "");
                        if (room.reported.add(key)) {
                            room.fail("message from " + who + " not delivered", cause);
                        } else {
                            log.warn("{}: message from {} not delivered: {}", room.name, who, cause.getMessage());
                        }
                    }
                    // Not recursively: a run of failed messages must not grow the stack.
                    room.scheduler.execute(this::pump);
                });
    }

    /**
     * A seat's message refused with 403: most likely the seat is not in the room (it left or was kicked, and
     * /sync may not have said so yet). The message stays at the head of the queue, so nothing overtakes it,
     * while the seat rejoins; then it is sent again with the same transaction id. Refused again after the
     * rejoin, it is something else (e.g. power levels) and is dropped and reported like any other failure.
     */
    private void holdUntilRejoined(Outgoing next, MatrixException refusal) {
        heldForRejoin.incrementAndGet();
        log.info("{}: message from seat {} refused ({}); holding it until the seat is back", room.name, next.seat(),
                refusal.getMessage());
        rejoin.apply(next.seat()).whenComplete((v, e) -> {
            synchronized (queue) {
                if (queue.peek() == next) {
                    queue.poll();
                    queue.addFirst(next.rejoined());
                }
                sending = false;
            }
            room.scheduler.execute(this::pump);
        });
    }

    /**
     * Stops taking messages and waits up to the close grace for the queued ones; those still queued then fail.
     */
    void close() {
        synchronized (queue) {
            closing = true;
        }
        pump();
        try {
            drained.get(room.tuning.closeGrace().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            List<Outgoing> left;
            synchronized (queue) {
                left = List.copyOf(queue);
            }
            log.warn("{}: closing with {} message(s) not delivered", room.name, left.size());
            left.forEach(o -> o.sent().completeExceptionally(new MatrixException(0, "", room.name + " closed")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.debug("drain failed", e);
        }
    }

    /** How many messages were refused as "not in room" and held until their seat rejoined. */
    long heldForRejoin() {
        return heldForRejoin.get();
    }
}
