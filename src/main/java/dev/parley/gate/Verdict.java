package dev.parley.gate;

/**
 * What the gate decided about one message. {@code rule} names what matched ("words.txt:12", "max-links",
 * "moderation-api:harassment") and {@code detail} says why in a few words, for the journal and operators only.
 */
public record Verdict(Kind kind, String rule, String detail) {
    public static final Verdict PASS = new Verdict(Kind.PASS, null, null);

    public enum Kind {
        /** Nothing matched. */
        PASS,
        /** A rule matched: the message is withheld and the seat gets a strike. */
        HIT,
        /** The moderation service could not answer and the policy is to hold: withheld, no strike. */
        HELD,
        /** The moderation service could not answer and the policy is to let it through: posted, operators told. */
        UNCHECKED
    }

    public static Verdict hit(String rule, String detail) {
        return new Verdict(Kind.HIT, rule, detail);
    }

    public static Verdict held(String detail) {
        return new Verdict(Kind.HELD, "moderation-api-down", detail);
    }

    public static Verdict unchecked(String detail) {
        return new Verdict(Kind.UNCHECKED, "moderation-api-down", detail);
    }

    /** Whether the message may be shown. */
    public boolean passes() {
        return kind == Kind.PASS || kind == Kind.UNCHECKED;
    }
}
