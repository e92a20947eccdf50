package dev.parley.matrix;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The part of a /sync answer a room reads: where to go on from, and what happened in which rooms. */
record SyncResponse(@JsonProperty("next_batch") String nextBatch, Rooms rooms) {
    private static final Logger log = LoggerFactory.getLogger(SyncResponse.class);

    SyncResponse {
        rooms = rooms == null ? new Rooms(null, null, null) : rooms;
    }

    /** Rooms by id: joined ones with their events, and those we are invited to or left (contents unread). */
    record Rooms(Map<String, JoinedRoom> join, Map<String, JsonNode> invite, Map<String, JsonNode> leave) {
        Rooms {
            join = join == null ? Map.of() : join;
            invite = invite == null ? Map.of() : invite;
            leave = leave == null ? Map.of() : leave;
        }
    }

    record JoinedRoom(Events state, Timeline timeline) {
        static final JoinedRoom NONE = new JoinedRoom(null, null);

        JoinedRoom {
            state = state == null ? new Events(null) : state;
            timeline = timeline == null ? new Timeline(null, false, null) : timeline;
        }
    }

    record Events(List<RoomEvent> events) {
        Events {
            events = events == null ? List.of() : events;
        }
    }

    /** {@code limited}: more happened than the timeline holds; the rest is before {@code prevBatch}. */
    record Timeline(List<RoomEvent> events, boolean limited, @JsonProperty("prev_batch") String prevBatch) {
        Timeline {
            events = events == null ? List.of() : events;
        }
    }

    /** One page of /messages: its events, oldest first going forward, and where the next page starts. */
    record MessagesPage(List<RoomEvent> chunk, String end) {
        MessagesPage {
            chunk = chunk == null ? List.of() : chunk;
        }
    }

    /**
     * Reads an answer. One of a shape the room does not know is logged and read as "nothing happened", so the
     * loop goes on from its {@code next_batch} rather than stopping.
     */
    static SyncResponse of(JsonNode json, String roomName) {
        try {
            return MatrixClient.read(json, SyncResponse.class);
        } catch (IllegalArgumentException e) {
            log.warn("{}: a sync batch could not be read and is skipped: {}", roomName, e.getMessage());
            return new SyncResponse(json.path("next_batch").asText(null), null);
        }
    }

    boolean joined(String roomId) {
        return rooms.join().containsKey(roomId);
    }

    /** The room's events in this batch (none if it is not among the joined rooms). */
    JoinedRoom room(String roomId) {
        JoinedRoom r = rooms.join().get(roomId);
        return r == null ? JoinedRoom.NONE : r;
    }

    boolean invited(String roomId) {
        return rooms.invite().containsKey(roomId);
    }

    boolean left(String roomId) {
        return rooms.leave().containsKey(roomId);
    }
}
