package dev.parley.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Humans' names as shown on the web: as they are, or (when configured) a stable pseudonym such as "Guest 4f2a9c",
 * the same on every page and in the static site. The pseudonym is a keyed hash of the name with a secret kept
 * beside the archive, so nobody can find who "Guest 4f2a9c" is by hashing guesses. Seats keep their names.
 */
final class Pseudonyms {
    static final Pseudonyms OFF = new Pseudonyms(null);

    private final byte[] key;

    private Pseudonyms(byte[] key) {
        this.key = key;
    }

    static Pseudonyms keyed(byte[] key) {
        return new Pseudonyms(key.clone());
    }

    boolean enabled() {
        return key != null;
    }

    /** What a human called {@code name} is shown as. */
    String of(String name) {
        if (key == null || name == null) {
            return name;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] h = mac.doFinal(name.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return "Guest " + HexFormat.of().formatHex(h, 0, 3);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    /**
     * {@code text} with each of {@code humans}' names, as a whole word, replaced by its pseudonym: a best effort for
     * notices ("Paused by alice") and messages that address someone, since a name can be written many ways.
     */
    String scrub(String text, Set<String> humans) {
        if (key == null || text == null || humans.isEmpty()) {
            return text;
        }
        String out = text;
        for (String human : humans) {
            if (human == null || human.isBlank()) {
                continue;
            }
            Pattern p = Pattern.compile("(?<![\\p{L}\\p{N}_])" + Pattern.quote(human) + "(?![\\p{L}\\p{N}_])",
                    Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            out = p.matcher(out).replaceAll(Matcher.quoteReplacement(of(human)));
        }
        return out;
    }
}
