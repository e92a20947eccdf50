package dev.parley.matrix;

import dev.parley.core.AtomicFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The /sync position of one room, kept in a small JSON file so that a restarted daemon continues exactly where
 * it stopped: events already delivered are not delivered again, events sent while it was down are. The token is
 * tied to the control user and room it was taken for; a file written for another pair is treated as absent.
 * Replaced whole ({@link AtomicFile}), so a crash leaves the old or the new token, never half.
 */
final class SyncState {
    private final Path file;

    SyncState(Path file) {
        this.file = file;
    }

    /** The saved since-token for this user and room, or null on a first start. */
    String load(String userId, String roomId) {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            JsonNode n = MatrixClient.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
            if (userId.equals(n.path("user").asText()) && roomId.equals(n.path("room").asText())
                    && n.hasNonNull("since")) {
                return n.get("since").asText();
            }
            return null;
        } catch (IOException e) {
            // A damaged file must not stop the room: start as new (skipping history) and say so.
            org.slf4j.LoggerFactory.getLogger(SyncState.class).warn("matrix state {} unreadable ({}); starting fresh",
                    file, e.toString());
            return null;
        }
    }

    void save(String userId, String roomId, String since) {
        ObjectNode n = MatrixClient.MAPPER.createObjectNode().put("user", userId).put("room", roomId)
                .put("since", since);
        try {
            AtomicFile.replace(file, n.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save matrix sync state to " + file, e);
        }
    }
}
