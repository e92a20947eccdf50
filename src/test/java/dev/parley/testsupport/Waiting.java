package dev.parley.testsupport;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * How the IRC and Matrix tests wait for what another thread (a room, a socket reader, a server) does: Awaitility,
 * polling every 10 ms because rooms and sockets answer within milliseconds (its default 100 ms would slow every
 * step), and leaving other threads' uncaught exceptions to the code under test, as the sleep loops it replaced did.
 */
public final class Waiting {
    private Waiting() {
    }

    public static ConditionFactory upTo(Duration timeout) {
        return Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(10)).dontCatchUncaughtExceptions();
    }
}
