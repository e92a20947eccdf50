package dev.parley.irc;

import dev.parley.core.Cancellable;
import dev.parley.core.Scheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Keeps what a room is given (seats' replies, notices, relays, typing) in call order in the channel, although
 * every identity speaks over its own connection with its own paced queue: an item's lines are handed to its
 * identity's queue only once the server acknowledged the previous item's lines (see {@link SendQueue}). Without
 * this, a long paced reply from one seat and the next seat's reply (or a "conversation ended" notice) would
 * interleave line by line, and lines sent again after a reconnect would land after what followed them.
 *
 * <p>Callers never wait: {@link #submit} queues, and at most writes at once what the identity's queue may send now
 * ({@link SendQueue#addAll}). An identity that is not in the channel (not yet joined,
 * disconnected, kicked) is waited for a while ({@code patience}): identities join one by one after a start, and
 * come back one by one after a server restart, and a backlog must still go out in its order. After that its lines
 * go to its own queue, which holds them until it is back, and the items after it go on, so one identity that
 * stays away does not silence the room; it is not waited for again until it has been back.
 */
final class RoomSequencer {
    /** One identity's outgoing side in the room's channel. */
    interface Outlet {
        /** In the channel now, so that what it is given will be written soon. */
        boolean joined();

        /**
         * Queues lines; {@code whenWritten} is told true once the last of them was written, false if the queue was
         * dropped first; {@code whenAcknowledged} likewise once the server acknowledged them.
         */
        void send(List<String> lines, Consumer<Boolean> whenWritten, Consumer<Boolean> whenAcknowledged);
    }

    /** {@code delivered} completes once the server acknowledged the item's lines, and fails if they were dropped. */
    private record Item(Outlet outlet, List<String> lines, CompletableFuture<Void> delivered) {
        void acknowledged(boolean yes) {
            if (yes) {
                delivered.complete(null);
            } else {
                delivered.completeExceptionally(new IllegalStateException("dropped: the connection closed first"));
            }
        }
    }

    private final Scheduler scheduler;
    private final Duration patience;
    private final ArrayDeque<Item> pending = new ArrayDeque<>();
    /** Identities waited for as long as patience allows, until they are back. */
    private final Set<Outlet> givenUp = new HashSet<>();
    private Outlet awaited;
    private Cancellable patienceTimer = Cancellable.NONE;
    private Item inFlight;
    private final List<CompletableFuture<Void>> idleWaiters = new ArrayList<>();

    RoomSequencer(Scheduler scheduler, Duration patience) {
        this.scheduler = scheduler;
        this.patience = patience;
    }

    /** The outlet is in the channel (again): the item waiting for it goes, and it will be waited for again. */
    void joined(Outlet outlet) {
        synchronized (this) {
            givenUp.remove(outlet);
            if (awaited == outlet) {
                awaited = null;
                patienceTimer.cancel();
            }
        }
        advance();
    }

    /** Waited long enough for {@code outlet}: what is queued for it goes to its own queue, the rest goes on. */
    private void gaveUp(Outlet outlet) {
        synchronized (this) {
            if (awaited != outlet) {
                return;
            }
            awaited = null;
            givenUp.add(outlet);
        }
        advance();
    }

    /**
     * Queues {@code lines} for {@code outlet}, to go out after everything submitted before. The future completes
     * once the server acknowledged them (its own queue may hold them while it is away, and sends them again on a
     * new connection if the old one died before the server answered), and fails if that queue dropped them.
     * The next item waits only until they were written.
     */
    CompletableFuture<Void> submit(Outlet outlet, List<String> lines) {
        Item item = new Item(outlet, List.copyOf(lines), new CompletableFuture<>());
        synchronized (this) {
            pending.add(item);
        }
        advance();
        return item.delivered();
    }

    /** The outlet left the channel: stop waiting for its lines (its own queue still delivers them later). */
    void absent(Outlet outlet) {
        synchronized (this) {
            if (inFlight == null || inFlight.outlet() != outlet) {
                return;
            }
            if (!patience.isZero()) {
                // Its lines go again on its next connection if the server never acknowledged them: wait a while.
                Item item = inFlight;
                awaited = outlet;
                patienceTimer.cancel();
                patienceTimer = scheduler.schedule(patience, () -> gaveUpOn(item));
                return;
            }
            inFlight = null;
        }
        advance();
    }

    /** Waited long enough for the item in flight of an identity that left: the others go on. */
    private void gaveUpOn(Item item) {
        synchronized (this) {
            if (inFlight != item) {
                return;
            }
            inFlight = null;
            awaited = null;
            givenUp.add(item.outlet());
        }
        advance();
    }

    /** Hands every pending item to its outlet at once (closing: order across identities no longer matters). */
    void flush() {
        List<Item> all;
        synchronized (this) {
            all = new ArrayList<>(pending);
            pending.clear();
            awaited = null;
            patienceTimer.cancel();
        }
        all.forEach(i -> i.outlet().send(i.lines(), written -> { }, i::acknowledged));
    }

    /** Completes when nothing is pending or in flight. */
    synchronized CompletableFuture<Void> idle() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (inFlight == null && pending.isEmpty()) {
            f.complete(null);
        } else {
            idleWaiters.add(f);
        }
        return f;
    }

    private void advance() {
        while (true) {
            Item next;
            List<CompletableFuture<Void>> nowIdle = List.of();
            synchronized (this) {
                if (inFlight != null) {
                    return;
                }
                next = pending.peek();
                if (next != null && !next.outlet().joined() && !next.lines().isEmpty()
                        && !givenUp.contains(next.outlet()) && !patience.isZero()) {
                    if (awaited != next.outlet()) {
                        Outlet outlet = next.outlet();
                        awaited = outlet;
                        patienceTimer.cancel();
                        patienceTimer = scheduler.schedule(patience, () -> gaveUp(outlet));
                    }
                    return;
                }
                pending.poll();
                if (next == null) {
                    nowIdle = new ArrayList<>(idleWaiters);
                    idleWaiters.clear();
                } else if (next.outlet().joined() && !next.lines().isEmpty()) {
                    inFlight = next;
                }
            }
            if (next == null) {
                nowIdle.forEach(f -> f.complete(null));
                return;
            }
            Item item = next;
            // Sent outside the lock: the callback may run at once, on this thread, and come back here.
            // The next item goes once this one's lines were acknowledged, not merely written: lines written into a
            // connection that died go again on the next one, and must still come before what follows.
            // The next item goes before this one's delivery is reported: what listens (the outbox recording its
            // mark in a file) should not hold up the room.
            item.outlet().send(item.lines(), written -> { }, acknowledged -> {
                done(item);
                item.acknowledged(acknowledged);
            });
            synchronized (this) {
                if (inFlight == item) {
                    return;
                }
            }
        }
    }

    private void done(Item item) {
        synchronized (this) {
            if (inFlight != item) {
                return;
            }
            inFlight = null;
            if (awaited == item.outlet()) {
                awaited = null;
                patienceTimer.cancel();
            }
        }
        advance();
    }
}
