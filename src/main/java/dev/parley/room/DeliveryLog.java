package dev.parley.room;

/**
 * How far each room got with each episode's parcels: a high-water mark per room and episode. Kept by the archive
 * beside the journals ({@code archive.JsonlDeliveryLog}), read by {@link OutboxRoom}.
 *
 * <p>A mark may lag behind what was really delivered (it is written after the room's server took the parcel, and
 * not forced to disk): a restart then sends those parcels again, which Matrix deduplicates by transaction id and
 * IRC repeats (see docs/irc.md). It must never run ahead, or a parcel would be lost.
 */
public interface DeliveryLog {
    /** The highest sequence number of {@code episode} that {@code room} delivered, with all before it; 0 if none. */
    long deliveredUpTo(String room, String episode);

    /**
     * Records that {@code room} delivered every parcel of {@code episode} up to {@code seq}. Never blocks long.
     * Calls may come from several threads and out of order: the log keeps the highest.
     */
    void delivered(String room, String episode, long seq);

}
