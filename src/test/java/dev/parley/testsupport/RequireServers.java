package dev.parley.testsupport;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * Integration tests need real servers (ngircd, InspIRCd, Synapse). On a developer machine without them the
 * test is skipped; where {@code PARLEY_REQUIRE_SERVERS=1} (set by .ci/run) a missing server is a failure,
 * so CI can never pass by skipping.
 */
public final class RequireServers {
    public static final String ENV = "PARLEY_REQUIRE_SERVERS";

    private RequireServers() { }

    public static boolean required() {
        return "1".equals(System.getenv(ENV)) || "true".equalsIgnoreCase(System.getenv(ENV));
    }

    /** Skips (or, under CI, fails) unless {@code available}; {@code what} says what is missing and how to get it. */
    public static void assume(boolean available, String what) {
        if (available) {
            return;
        }
        if (required()) {
            fail(what + " is required (" + ENV + " is set) but was not found");
        }
        abort(what + " not found; skipping (set " + ENV + "=1 to make this a failure)");
    }
}
