package dev.parley.matrix;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.parley.config.MatrixServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The application-service registration file that the homeserver admin lists under
 * {@code app_service_config_files}. It holds both tokens, so the daemon reads its as_token back from the same
 * file (no copying secrets between files). {@code url} is null: parley receives by syncing as the control
 * identity, so the homeserver never needs to reach the daemon (see docs/matrix.md).
 * {@code rate_limited: false} exempts the seats' ghosts from message rate limits.
 */
public final class MatrixRegistration {
    /** The two secrets of a registration: as_token (we present it) and hs_token (the homeserver presents it). */
    public record Tokens(String asToken, String hsToken) {
        @Override
        public String toString() {
            return "Tokens[<redacted>]";
        }
    }

    private static final Pattern LINE = Pattern.compile("^(as_token|hs_token):\\s*\"([^\"]*)\"\\s*$",
            Pattern.MULTILINE);
    private static final SecureRandom RANDOM = new SecureRandom();

    private MatrixRegistration() { }

    /** 256 bits from a SecureRandom each. */
    public static Tokens newTokens() {
        byte[] as = new byte[32];
        byte[] hs = new byte[32];
        RANDOM.nextBytes(as);
        RANDOM.nextBytes(hs);
        return new Tokens(HexFormat.of().formatHex(as), HexFormat.of().formatHex(hs));
    }

    /** The exclusive user namespace of the seats' ghosts: configured, or {@code @<control>_.*:<server>}. */
    public static String userNamespace(MatrixServerConfig server) {
        var as = server.appservice().orElseThrow(() -> new IllegalArgumentException(
                "matrix server " + server.name() + " is not in appservice mode"));
        return as.userNamespace().orElseGet(() -> "@" + MatrixIds.regexQuote(MatrixIds.localpart(server.controlUser()))
                + "_.*:" + MatrixIds.regexQuote(MatrixIds.server(server.controlUser())));
    }

    /** The registration YAML for {@code server} with {@code tokens}. */
    public static String yaml(MatrixServerConfig server, Tokens tokens) {
        return yaml(server, tokens, false);
    }

    /** As {@link #yaml(MatrixServerConfig, Tokens)}; {@code rateLimited} true only to test rate limiting. */
    public static String yaml(MatrixServerConfig server, Tokens tokens, boolean rateLimited) {
        var as = server.appservice().orElseThrow(() -> new IllegalArgumentException(
                "matrix server " + server.name() + " is not in appservice mode"));
        MatrixIds.requireUserId(server.controlUser());
        return "# parley application service registration for homeserver '" + server.name() + "'.\n"
                + "# List this file under app_service_config_files in homeserver.yaml. Keep it secret.\n"
                + "id: " + q(as.id()) + "\n"
                + "url: null\n"
                + "as_token: " + q(tokens.asToken()) + "\n"
                + "hs_token: " + q(tokens.hsToken()) + "\n"
                + "sender_localpart: " + q(MatrixIds.localpart(server.controlUser())) + "\n"
                + "rate_limited: " + rateLimited + "\n"
                + "namespaces:\n"
                + "  users:\n"
                + "    - exclusive: true\n"
                + "      regex: " + q(userNamespace(server)) + "\n"
                + "  aliases: []\n"
                + "  rooms: []\n";
    }

    /**
     * What {@code parley matrix-registration --config FILE} does: writes the registration file named in the
     * config, with fresh tokens, unless it exists (then its tokens are kept and the file is rewritten only if
     * {@code rewrite}, e.g. after the namespace changed). Returns the file's path.
     */
    public static Path write(MatrixServerConfig server, boolean rewrite) throws IOException {
        Path file = server.appservice().orElseThrow(() -> new IllegalArgumentException(
                "matrix server " + server.name() + " is not in appservice mode")).registrationFile();
        boolean exists = Files.exists(file);
        if (exists && !rewrite) {
            return file;
        }
        Tokens tokens = exists ? read(file) : newTokens();
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve(file.getFileName() + ".tmp");
        Files.writeString(tmp, yaml(server, tokens), StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r-----"));
        } catch (UnsupportedOperationException ignored) {
            // Not a POSIX file system: the directory's own permissions must protect it.
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    /** {@link #write} for every server in appservice mode (what the CLI command does); returns the files. */
    public static java.util.List<Path> writeAll(java.util.Collection<MatrixServerConfig> servers, boolean rewrite)
            throws IOException {
        java.util.List<Path> written = new java.util.ArrayList<>();
        for (MatrixServerConfig s : servers) {
            if (s.mode() == MatrixServerConfig.Mode.APPSERVICE) {
                written.add(write(s, rewrite));
            }
        }
        return written;
    }

    /** Reads the tokens back from a registration file this class wrote. */
    public static Tokens read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String as = null;
        String hs = null;
        Matcher m = LINE.matcher(text);
        while (m.find()) {
            if (m.group(1).equals("as_token")) {
                as = m.group(2);
            } else {
                hs = m.group(2);
            }
        }
        if (as == null || hs == null || as.isBlank() || hs.isBlank()) {
            throw new IOException(file + ": no as_token/hs_token lines (write it with parley matrix-registration)");
        }
        return new Tokens(as, hs);
    }

    private static String q(String s) {
        try {
            // A JSON string is a valid double-quoted YAML scalar with the same escapes.
            return MatrixClient.MAPPER.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
