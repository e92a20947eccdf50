package dev.parley.irc;

import dev.parley.core.Cancellable;
import dev.parley.core.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watchdogs of one connection: a server that accepts the connection but never welcomes us, and one that
 * stops answering (ngircd froze on a NUL byte while PircBotX still believed it was connected), must not hold
 * the identity forever. Silence for {@code ping-interval} sends a PING; silence for twice that drops the
 * connection, which then reconnects like after any drop.
 */
final class Liveness {
    private static final Logger log = LoggerFactory.getLogger(Liveness.class);

    private final String who;
    private final Scheduler scheduler;
    private final Duration interval;
    private final Predicate<String> write;
    private volatile Instant lastLineAt;
    private Cancellable probe = Cancellable.NONE;

    /** @param write sends one raw line now; false if it could not */
    Liveness(String who, Scheduler scheduler, Duration pingInterval, Predicate<String> write) {
        this.who = who;
        this.scheduler = scheduler;
        this.interval = pingInterval;
        this.write = write;
        this.lastLineAt = scheduler.now();
    }

    /** The server sent a line: it is alive. */
    void heard() {
        lastLineAt = scheduler.now();
    }

    /** A new socket: {@code drop} it unless {@code welcomed} within twice the ping interval. */
    void awaitWelcome(BooleanSupplier welcomed, Runnable drop) {
        scheduler.schedule(interval.multipliedBy(2), () -> {
            if (!welcomed.getAsBoolean()) {
                log.info("{}: no welcome from the server, reconnecting", who);
                drop.run();
            }
        });
    }

    /**
     * Registered: from now on probe a silent server with PING and {@code drop} the connection when even that gets
     * no answer; stops on its own once {@code online} is false.
     */
    void watch(BooleanSupplier online, Runnable drop) {
        heard();
        schedule(online, drop);
    }

    void stop() {
        probe.cancel();
    }

    private void schedule(BooleanSupplier online, Runnable drop) {
        probe.cancel();
        probe = scheduler.schedule(interval, () -> {
            if (!online.getAsBoolean()) {
                return;
            }
            Duration silent = Duration.between(lastLineAt, scheduler.now());
            if (silent.compareTo(interval.multipliedBy(2)) >= 0) {
                log.info("{}: no answer from the server for {} s, reconnecting", who, silent.toSeconds());
                drop.run();
                return;
            }
            if (silent.compareTo(interval) >= 0) {
                write.test("PING :parley");
            }
            schedule(online, drop);
        });
    }
}
