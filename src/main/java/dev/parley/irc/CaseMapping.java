package dev.parley.irc;

import java.util.Locale;

/**
 * When two nicks (or channel names) are the same to the server: its ISUPPORT {@code CASEMAPPING}. Java's
 * {@code equalsIgnoreCase} is wrong both ways: it misses that {@code Ada[m]} and {@code ada{m}} are one nick
 * under rfc1459, and it folds letters such as {@code Ä}/{@code ä} that no IRC server folds.
 */
enum CaseMapping {
    /** Only A–Z fold to a–z (ngircd 26 announces this). */
    ASCII("ascii", 'Z'),
    /** A–Z plus {@code [\]^} fold to {@code {|}~} (RFC 1459's Scandinavian letters; InspIRCd 3 announces this). */
    RFC1459("rfc1459", '^'),
    /** Like rfc1459 but {@code ^} and {@code ~} stay apart. */
    STRICT_RFC1459("strict-rfc1459", ']');

    /** What a server that names no casemapping (or one we do not know) is taken to use: the protocol's own. */
    static final CaseMapping DEFAULT = RFC1459;

    private final String token;
    /** The last character this mapping folds: 'Z' (ascii), ']' (strict-rfc1459), '^' (rfc1459). */
    private final char upperEnd;

    CaseMapping(String token, char upperEnd) {
        this.token = token;
        this.upperEnd = upperEnd;
    }

    /** The mapping a server names in {@code CASEMAPPING=value}; {@link #DEFAULT} for one we do not know. */
    static CaseMapping of(String value) {
        String v = value == null ? "" : value.toLowerCase(Locale.ROOT);
        for (CaseMapping m : values()) {
            if (m.token.equals(v)) {
                return m;
            }
        }
        return DEFAULT;
    }

    /** The ISUPPORT value that names this mapping. */
    String token() {
        return token;
    }

    /** The lower-case form the server compares: a key for maps of nicks or channels. */
    String fold(String s) {
        char[] out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            char f = fold(c);
            if (f != c) {
                if (out == null) {
                    out = s.toCharArray();
                }
                out[i] = f;
            }
        }
        return out == null ? s : new String(out);
    }

    /** Whether the server takes {@code a} and {@code b} for the same nick or channel. */
    boolean equals(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            if (fold(a.charAt(i)) != fold(b.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private char fold(char c) {
        // 'A'..'Z' is 0x41..0x5A, '['..'^' is 0x5B..0x5E; each folds to the character 0x20 above it.
        return c >= 'A' && c <= upperEnd ? (char) (c + 0x20) : c;
    }
}
