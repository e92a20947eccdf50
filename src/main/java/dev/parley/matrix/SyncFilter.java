package dev.parley.matrix;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What a room asks /sync and /messages for: this room only, no presence, account data or ephemeral events.
 * An event type the room should hear is added here and handled in {@link InboundEvents#handle}.
 */
final class SyncFilter {
    /** Timeline event types read, in /sync and when a gap is filled with /messages. */
    static final List<String> TIMELINE_TYPES = List.of("m.room.message", "m.room.power_levels", "m.room.member");
    /** State event types read (members are lazy-loaded: the room learns of them from the timeline). */
    static final List<String> STATE_TYPES = List.of("m.room.power_levels");

    private SyncFilter() { }

    /** The inline /sync filter for {@code roomId}, at most {@code timelineLimit} timeline events a batch. */
    static String sync(String roomId, int timelineLimit) {
        ObjectNode f = MatrixClient.MAPPER.createObjectNode();
        f.putObject("presence").putArray("not_types").add("*");
        f.putObject("account_data").putArray("not_types").add("*");
        ObjectNode room = f.putObject("room");
        room.putArray("rooms").add(roomId);
        room.putObject("account_data").putArray("not_types").add("*");
        room.putObject("ephemeral").putArray("not_types").add("*");
        ObjectNode st = room.putObject("state");
        STATE_TYPES.forEach(st.putArray("types")::add);
        st.put("lazy_load_members", true);
        ObjectNode tl = room.putObject("timeline");
        ArrayNode types = tl.putArray("types");
        TIMELINE_TYPES.forEach(types::add);
        tl.put("limit", timelineLimit);
        return f.toString();
    }

    /** The timeline types as a RoomEventFilter, for /messages. */
    static String messages() {
        ObjectNode f = MatrixClient.MAPPER.createObjectNode();
        TIMELINE_TYPES.forEach(f.putArray("types")::add);
        return f.toString();
    }
}
