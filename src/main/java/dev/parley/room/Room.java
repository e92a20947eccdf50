package dev.parley.room;

import dev.parley.core.SeatId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One place a conversation is shown: an IRC channel, a Matrix room, the terminal, or memory.
 * Every method returns at once: sending is queued by the room and delivered in call order.
 * Text handed to a room is data: a room never interprets it (no commands, no raw HTML, no raw protocol).
 */
public interface Room extends AutoCloseable {
    /** A short human-readable name for logs and status: "irc #parley", "matrix !abc:hs", "terminal". */
    String name();

    /** Connects and joins; presence of each seat is then reported through the listener. */
    void open(RoomListener listener);

    /** Posts {@code text} (may contain line breaks, may be blank) as the seat's own identity. */
    void post(SeatId seat, String text);

    /**
     * Which seats' identities are in the room from now on (the cast of an episode): those not in it yet join,
     * those no longer in it leave, for real (a JOIN or PART the audience sees). Before {@link #open}, it says who
     * joins at open; by default every seat the room was made with does. A seat sent out is not reported absent:
     * it left on purpose. Rooms whose seats have no identity of their own only report presence.
     */
    default void cast(Set<SeatId> seats) { }

    /**
     * Takes back the posts delivered as the parcels numbered {@code refs} ({@link Parcel.Key#seq()}; one message
     * may have been posted in several parts). A room that can remove them does (a Matrix redaction with
     * {@code notice} as its reason); the others say {@code notice} ("A message from Basil was retracted by kate.")
     * from the control identity.
     */
    default void retract(List<Long> refs, String notice) {
        notice(notice);
    }

    /** Sets the room's topic, where the control identity may (IRC TOPIC, Matrix m.room.topic); else nothing. */
    default void topic(String text) { }

    /** Posts a notice from the control identity (bot status, command replies). */
    void notice(String text);

    /** Shows or hides "is typing" for the seat, where the room supports it. */
    default void typing(SeatId seat, boolean typing) { }

    /**
     * Shows a human's message that was said in another room of the same conversation, so that every audience
     * follows the whole exchange. Rooms may render it better; by default it is a notice.
     */
    default void relay(String sender, String text) {
        notice("<" + sender + "> " + text);
    }

    /**
     * Shows a parcel: something the journal holds (a seat's post, a notice, a relay). The rooms that talk to a
     * server override it to complete the future once the server has the parcel, or once they gave it up for good
     * (and reported why); the future fails if the room closes first. Rooms without a server show it at once.
     * A room whose protocol can deduplicate sends uses {@link Parcel.Key#id()} for it.
     */
    default CompletableFuture<Void> deliver(Parcel parcel) {
        switch (parcel.kind()) {
            case POST -> post(parcel.seat(), parcel.text());
            case NOTICE -> notice(parcel.text());
            case RELAY -> relay(parcel.sender(), parcel.text());
        }
        return CompletableFuture.completedFuture(null);
    }

    /**
     * The highest journal sequence number of {@code episode} this room has delivered (with everything before it),
     * so that a restart sends the rest first. A room that keeps no such record ({@link OutboxRoom} does) says it
     * has everything, and is sent nothing again.
     */
    default long deliveredUpTo(String episode) {
        return Long.MAX_VALUE;
    }

    /**
     * What this room has to add to {@code !status}, if anything: a state the operators must know about that the
     * conversation cannot see (e.g. an end-to-end encrypted Matrix room parley cannot read). Empty by default.
     */
    default String status() {
        return "";
    }

    /** Leaves and disconnects, after delivering what was already queued, within a short grace time. */
    @Override
    void close();
}
