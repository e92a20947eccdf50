package dev.parley.matrix;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * One event of a room as /sync and /messages return it. The content stays JSON: each event type reads its own
 * fields (see {@link InboundEvents}). Missing fields read as empty, never null.
 */
record RoomEvent(String type, String sender, @JsonProperty("state_key") String stateKey,
                 @JsonProperty("event_id") String eventId, JsonNode content) {
    RoomEvent {
        type = type == null ? "" : type;
        sender = sender == null ? "" : sender;
        stateKey = stateKey == null ? "" : stateKey;
        content = content == null ? MissingNode.getInstance() : content;
    }
}
