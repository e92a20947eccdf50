package dev.parley.room;

import dev.parley.core.SeatId;

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

    /** Leaves and disconnects, after delivering what was already queued, within a short grace time. */
    @Override
    void close();
}
