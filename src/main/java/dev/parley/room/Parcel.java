package dev.parley.room;

import dev.parley.core.SeatId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Something the journal holds that a room must show: a seat's post, a notice, or a human's line relayed from
 * another room. Its {@link Key} names it for good, whichever process delivers it: a restart that sends it again
 * sends the same key, so a protocol with idempotent sends (Matrix transaction ids) shows it once.
 */
public record Parcel(Key key, Kind kind, SeatId seat, String sender, String text) {
    public enum Kind { POST, NOTICE, RELAY }

    /**
     * Where the parcel sits in the journal: the episode (conversation and journal file, e.g.
     * {@code "debate/debate-20260101-120000"}) and the sequence number of the journal event that carries it.
     * Every parcel is its own journal event, so within a room (each room keeps its own record) the pair is unique.
     */
    public record Key(String episode, long seq) {
        public Key {
            Objects.requireNonNull(episode, "episode");
            if (seq < 1) {
                throw new IllegalArgumentException("seq must be positive: " + seq);
            }
        }

        /**
         * The sequence number of the journal event whose text the parcel shows (the message, draft, notice or
         * command it belongs to): always the one just before it, written in the same append.
         */
        public long shows() {
            return seq - 1;
        }

        /**
         * A short id made only of the key, safe in a URL path: {@code p<12 hex of the episode>.<seq>}. Matrix
         * uses it as the transaction id, so it must never depend on the process that sends.
         */
        public String id() {
            try {
                byte[] hash = MessageDigest.getInstance("SHA-256").digest(episode.getBytes(StandardCharsets.UTF_8));
                return "p" + HexFormat.of().formatHex(hash, 0, 6) + "." + seq;
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JDK", e);
            }
        }
    }

    public Parcel {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
        if (kind == Kind.POST && seat == null) {
            throw new IllegalArgumentException("a post needs its seat");
        }
        if (kind == Kind.RELAY && sender == null) {
            throw new IllegalArgumentException("a relay needs its sender");
        }
    }

    public static Parcel post(Key key, SeatId seat, String text) {
        return new Parcel(key, Kind.POST, seat, null, text);
    }

    public static Parcel notice(Key key, String text) {
        return new Parcel(key, Kind.NOTICE, null, null, text);
    }

    public static Parcel relay(Key key, String sender, String text) {
        return new Parcel(key, Kind.RELAY, null, sender, text);
    }
}
