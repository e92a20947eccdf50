package dev.parley.room;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Any room, with a durable outbox: what it was given to deliver is already in the journal, so the outbox only
 * has to remember how far the room got. Each parcel is handed on at once (the room keeps call order and does its
 * protocol's holding: rate limits, a seat away, a server down); as the room confirms parcels, the high-water mark
 * of the unbroken run of confirmed ones goes to the {@link DeliveryLog}. After a crash the conversation asks
 * {@link #deliveredUpTo} and hands over the rest of the journal's parcels again, before anything new.
 *
 * <p>What is not journalled ({@link #post}, {@link #notice}, {@link #relay} called directly: the notice that an
 * archive cannot be written, typing) passes straight through and is not recorded. Built once per room, it lives
 * as long as the room, across episodes: the marks are kept per episode.
 */
public final class OutboxRoom extends ForwardingRoom {
    private static final Logger log = LoggerFactory.getLogger(OutboxRoom.class);

    private final DeliveryLog deliveries;
    private final Map<String, Progress> episodes = new ConcurrentHashMap<>();

    public OutboxRoom(Room room, DeliveryLog deliveries) {
        super(room);
        this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
    }

    /** The room inside, for what only it offers (a Matrix room's id, an IRC room's nicks). */
    public Room inner() {
        return room;
    }

    @Override
    public CompletableFuture<Void> deliver(Parcel parcel) {
        Progress p = progress(parcel.key().episode());
        long seq = parcel.key().seq();
        synchronized (p) {
            if (seq <= p.handedOn) {
                // Already delivered, or on its way: the caller replays from a mark older than ours.
                return CompletableFuture.completedFuture(null);
            }
            p.handedOn = seq;
            p.inFlight.add(seq);
        }
        CompletableFuture<Void> delivered;
        try {
            delivered = room.deliver(parcel);
        } catch (RuntimeException e) {
            // A room that throws (a bug, or a seat it has no identity for) would do so again after a restart:
            // counted as given up, so that it does not hold the mark back for every parcel after it.
            confirmed(parcel.key().episode(), p, seq);
            throw e;
        }
        delivered.whenComplete((v, e) -> {
            if (e == null) {
                confirmed(parcel.key().episode(), p, seq);
            } else {
                log.debug("{}: parcel {} not delivered ({}); a restart sends it again", name(), parcel.key(),
                        e.toString());
            }
        });
        return delivered;
    }

    @Override
    public long deliveredUpTo(String episode) {
        Progress p = progress(episode);
        synchronized (p) {
            return p.mark;
        }
    }

    private Progress progress(String episode) {
        return episodes.computeIfAbsent(episode, e -> {
            long mark = deliveries.deliveredUpTo(room.name(), e);
            return new Progress(mark);
        });
    }

    /**
     * A parcel the room confirmed. The mark moves only over an unbroken run from the oldest parcel still out, so
     * it never passes one that is still on its way (rooms confirm in order, but a room that gave one up may
     * confirm the next first).
     */
    private void confirmed(String episode, Progress p, long seq) {
        long newMark;
        synchronized (p) {
            p.confirmed.add(seq);
            long before = p.mark;
            while (!p.inFlight.isEmpty() && p.confirmed.remove(p.inFlight.peek())) {
                p.mark = p.inFlight.poll();
            }
            if (p.mark == before) {
                return;
            }
            newMark = p.mark;
        }
        try {
            deliveries.delivered(room.name(), episode, newMark);
        } catch (RuntimeException e) {
            // A mark not written means a re-send after a restart, never a loss: not worth stopping for.
            log.warn("{}: cannot record delivery of {} up to {}: {}", name(), episode, newMark, e.getMessage());
        }
    }

    /** One episode's delivery in this room: the mark, and the parcels handed on but not yet confirmed. */
    private static final class Progress {
        long mark;
        long handedOn;
        final ArrayDeque<Long> inFlight = new ArrayDeque<>();
        final Set<Long> confirmed = new HashSet<>();

        Progress(long mark) {
            this.mark = mark;
            this.handedOn = mark;
        }
    }
}
