package dev.parley.irc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Keeps what a room is given (seats' replies, notices, relays, typing) in call order in the channel, although
 * every identity speaks over its own connection with its own paced queue: an item's lines are handed to its
 * identity's queue only once the previous item's lines were written. Without this, a long paced reply from one
 * seat and the next seat's reply (or a "conversation ended" notice) would interleave line by line.
 *
 * <p>Callers never wait: {@link #submit} only queues. An identity that is not in the channel (not yet joined,
 * disconnected, kicked) is not waited for: its lines go to its own queue, which holds them until it is back, and
 * the items after it go on, so one dropped connection does not silence the room.
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

    private final ArrayDeque<Item> pending = new ArrayDeque<>();
    private Item inFlight;
    private final List<CompletableFuture<Void>> idleWaiters = new ArrayList<>();

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
            inFlight = null;
        }
        advance();
    }

    /** Hands every pending item to its outlet at once (closing: order across identities no longer matters). */
    void flush() {
        List<Item> all;
        synchronized (this) {
            all = new ArrayList<>(pending);
            pending.clear();
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
                next = pending.poll();
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
            item.outlet().send(item.lines(), written -> done(item), item::acknowledged);
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
        }
        advance();
    }
}
