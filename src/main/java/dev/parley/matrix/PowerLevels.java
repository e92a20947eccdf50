package dev.parley.matrix;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is an operator in the room: user ids from config, or anyone at or above the configured power level. The
 * levels are read once the control identity has joined, then kept current from {@code m.room.power_levels}
 * events seen through /sync.
 */
final class PowerLevels {
    private static final Logger log = LoggerFactory.getLogger(PowerLevels.class);

    /** The part of {@code m.room.power_levels} content that says users' levels. */
    record Content(Map<String, Long> users, @JsonProperty("users_default") long usersDefault) {
        static final Content NONE = new Content(Map.of(), 0);

        Content {
            users = users == null ? Map.of() : users;
        }

        long levelOf(String user) {
            if (!users.containsKey(user)) {
                return usersDefault;
            }
            Long level = users.get(user);
            return level == null ? 0 : level;
        }
    }

    private final RoomContext room;
    private volatile Content content;

    PowerLevels(RoomContext room) {
        this.room = room;
    }

    /** Reads the room's levels as {@code control}; completes either way (a failure is logged, levels unknown). */
    CompletableFuture<Void> read(MatrixClient control, String roomId) {
        return control.powerLevels(roomId).handle((pl, e) -> {
            if (pl != null) {
                update(pl);
            } else {
                log.warn("{}: cannot read power levels: {}", room.name, MatrixClient.unwrap(e).toString());
            }
            return null;
        });
    }

    /** The content of an {@code m.room.power_levels} event (state key ""). */
    void update(JsonNode pl) {
        try {
            content = MatrixClient.read(pl, Content.class);
        } catch (IllegalArgumentException e) {
            // Levels the room cannot read count as none: nobody is an operator by level until they are fixed.
            log.warn("{}: power levels unreadable ({}); only configured operators count", room.name, e.getMessage());
            content = Content.NONE;
        }
    }

    boolean isOperator(String sender) {
        if (room.server.operators().contains(sender)) {
            return true;
        }
        if (room.server.operatorPowerLevel().isEmpty()) {
            return false;
        }
        Content pl = content;
        return pl != null && pl.levelOf(sender) >= room.server.operatorPowerLevel().getAsInt();
    }
}
