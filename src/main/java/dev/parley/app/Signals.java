package dev.parley.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SIGHUP, the daemon's "read your config again". The JDK offers signals only through sun.misc (jdk.unsupported). */
final class Signals {
    private static final Logger log = LoggerFactory.getLogger(Signals.class);

    private Signals() { }

    /**
     * Runs {@code action} (off the signal's thread) on each SIGHUP; where the platform has none, does nothing. A
     * process started with SIGHUP ignored (under {@code nohup}, for one) keeps ignoring it: the JVM does not install
     * a handler for a shutdown signal that was ignored when it started. That is said once, with what does reload.
     */
    @SuppressWarnings("sunapi")
    static void onHangUp(Runnable action) {
        try {
            sun.misc.SignalHandler before = sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                Thread t = new Thread(action, "parley-reload");
                t.setDaemon(true);
                t.start();
            });
            if (before == sun.misc.SignalHandler.SIG_IGN) {
                log.warn("SIGHUP is ignored in this process (started under nohup?), so it does not reload the "
                        + "config; the !reload command does");
            }
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.debug("no SIGHUP here: {}", e.toString());
        }
    }
}
