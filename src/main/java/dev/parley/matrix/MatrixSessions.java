package dev.parley.matrix;

import dev.parley.core.AtomicFile;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access tokens our password logins were given, kept across restarts, one per homeserver, user and device,
 * as every Matrix client keeps its session. Logging in again at each start would cost the homeserver a password
 * hash per identity (about 0.24 s of Synapse's CPU each) and run into its login rate limits (Synapse's default
 * {@code rc_login}: a burst of 5, then one login per 5.5 minutes per account and per address), so a daemon with a
 * few seats that restarts a few times would wait minutes for {@code M_LIMIT_EXCEEDED}.
 *
 * <p>The file is a secret: it is created owner-only (0600 where the file system has POSIX permissions, set as the
 * file is made, never after) and its tokens are never logged, not even from a damaged file's parse error. It is
 * replaced whole ({@link AtomicFile}: a fresh file made owner-only, forced, renamed over the old one). A damaged or
 * unreadable file counts as empty (the identities log in with their passwords) and is named in a warning. Tokens
 * configured by the operator never come here: they are the operator's to keep.
 */
final class MatrixSessions {
    private static final Logger log = LoggerFactory.getLogger(MatrixSessions.class);
    private static final FileAttribute<?>[] OWNER_ONLY = {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};

    /** Where sessions are kept; null for a store that lives in memory only. */
    private final Path file;
    private final Map<Key, String> tokens = new LinkedHashMap<>();
    private boolean loaded;

    /** Written out for the reason {@link dev.parley.core.SeatId} says: hashed on the thread that opens the room. */
    private record Key(String homeserver, String user, String device) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(homeserver, k.homeserver) && Objects.equals(user, k.user)
                    && Objects.equals(device, k.device);
        }

        @Override
        public int hashCode() {
            return Objects.hash(homeserver, user, device);
        }
    }

    private MatrixSessions(Path file) {
        this.file = file;
    }

    /**
     * The sessions of the room whose sync position is kept in {@code stateFile}, kept beside it
     * ({@code matrix-local-_room_server.json} → {@code matrix-local-_room_server.sessions.json}): the devices are
     * per user and room already, so no two rooms share a session.
     */
    static MatrixSessions beside(Path stateFile) {
        return new MatrixSessions(fileBeside(stateFile));
    }

    static Path fileBeside(Path stateFile) {
        String name = stateFile.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - ".json".length()) : name;
        return stateFile.resolveSibling(stem + ".sessions.json");
    }

    /** A store that forgets everything when the process ends (for parts tested without a state directory). */
    static MatrixSessions inMemory() {
        MatrixSessions s = new MatrixSessions(null);
        s.loaded = true;
        return s;
    }

    /** The token kept for this device of {@code user} on {@code homeserver}, if any. */
    synchronized Optional<String> token(String homeserver, String user, String device) {
        load();
        return Optional.ofNullable(tokens.get(new Key(homeserver, user, device)));
    }

    /** Keeps the token a password login just returned; a file that cannot be written is reported, not fatal. */
    synchronized void remember(String homeserver, String user, String device, String token) {
        load();
        if (!token.equals(tokens.put(new Key(homeserver, user, device), token))) {
            save();
        }
    }

    /** Drops a token the homeserver refused, so that no later start tries it again. */
    synchronized void forget(String homeserver, String user, String device) {
        load();
        if (tokens.remove(new Key(homeserver, user, device)) != null) {
            save();
        }
    }

    private void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        JsonNode root;
        try {
            root = MatrixClient.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException first) {
            return;
        } catch (JsonProcessingException e) {
            // Never the parser's message: it quotes the text it choked on, which may be a token.
            var at = e.getLocation();
            damaged("not JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
            return;
        } catch (IOException e) {
            damaged(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return;
        }
        JsonNode sessions = root == null ? null : root.get("sessions");
        if (sessions == null || !sessions.isArray()) {
            damaged("no \"sessions\" list");
            return;
        }
        for (JsonNode s : sessions) {
            String hs = s.path("homeserver").asText("");
            String user = s.path("user").asText("");
            String device = s.path("device").asText("");
            String token = s.path("access_token").asText("");
            if (hs.isEmpty() || user.isEmpty() || device.isEmpty() || token.isEmpty()) {
                damaged("an entry without homeserver, user, device or access_token");
                tokens.clear();
                return;
            }
            tokens.put(new Key(hs, user, device), token);
        }
    }

    private void damaged(String why) {
        log.warn("matrix sessions file {} unreadable ({}); its identities log in with their passwords, and it is "
                + "written anew after the next login", file, why);
    }

    private void save() {
        if (file == null) {
            return;
        }
        ObjectNode root = MatrixClient.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("sessions");
        tokens.forEach((k, token) -> list.addObject().put("homeserver", k.homeserver()).put("user", k.user())
                .put("device", k.device()).put("access_token", token));
        try {
            boolean posix = file.toAbsolutePath().getParent().getFileSystem().supportedFileAttributeViews()
                    .contains("posix");
            AtomicFile.replace(file, root.toString().getBytes(StandardCharsets.UTF_8),
                    posix ? OWNER_ONLY : new FileAttribute<?>[0]);
        } catch (IOException e) {
            log.warn("cannot keep matrix sessions in {} ({}); the next start logs in with passwords again", file,
                    e.toString());
        }
    }
}
