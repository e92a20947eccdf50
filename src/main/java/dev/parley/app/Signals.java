package dev.parley.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SIGHUP, the daemon's "read your config again". The JDK offers signals only through sun.misc (jdk.unsupported). */
final class Signals {
    private static final Logger log = LoggerFactory.getLogger(Signals.class);

    private Signals() { }

    /** Runs {@code action} (off the signal's thread) on each SIGHUP; where the platform has none, does nothing. */
    @SuppressWarnings("sunapi")
    static void onHangUp(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                Thread t = new Thread(action, "parley-reload");
                t.setDaemon(true);
                t.start();
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.debug("no SIGHUP here: {}", e.toString());
        }
    }
}
