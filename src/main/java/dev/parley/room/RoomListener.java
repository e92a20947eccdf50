package dev.parley.room;

import dev.parley.core.SeatId;

/**
 * What a room reports back to the conversation. Calls come on the room's own threads, in the order
 * the server delivered the events; the conversation hops onto its loop.
 */
public interface RoomListener {
    /** A human said something (never a seat's or the control identity's own message). */
    void onHuman(Inbound message);

    /** A seat's identity is now in the room (joined) or not (disconnected, kicked). */
    default void onSeatPresence(SeatId seat, boolean present) { }

    /** The room itself failed for good (bad credentials, banned): shown to the operator, logged. */
    default void onRoomProblem(String problem) { }
}
