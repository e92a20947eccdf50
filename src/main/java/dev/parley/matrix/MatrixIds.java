package dev.parley.matrix;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Checks and splits Matrix user ids ({@code @localpart:server}) where they enter. */
final class MatrixIds {
    /** The localpart as the spec allows for historical ids too (printable ASCII but ':'), then the server name. */
    private static final Pattern USER = Pattern.compile("@([!-9;-~]+):([A-Za-z0-9.\\-:\\[\\]]+)");

    private MatrixIds() { }

    static String requireUserId(String userId) {
        if (userId == null || !USER.matcher(userId).matches()) {
            throw new IllegalArgumentException("not a Matrix user id (@localpart:server): " + userId);
        }
        return userId;
    }

    static String localpart(String userId) {
        return userId.substring(1, userId.indexOf(':'));
    }

    static String server(String userId) {
        return userId.substring(userId.indexOf(':') + 1);
    }

    /**
     * The device parley logs in as, the same at every start: one per user and room, since each room logs its
     * identities in on its own (see {@link MatrixClient#login}).
     */
    static String deviceId(String userId, String room) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((userId + " " + room).getBytes(StandardCharsets.UTF_8));
            return "PARLEY" + HexFormat.of().withUpperCase().formatHex(hash, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Escapes regex metacharacters for Python's re (used by Synapse), which knows no \Q...\E. */
    static String regexQuote(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            if ("\\.^$|?*+()[]{}".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
