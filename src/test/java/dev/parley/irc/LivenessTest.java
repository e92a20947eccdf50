package dev.parley.irc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The welcome and PING watchdogs, in virtual time (ping interval 90 s). */
class LivenessTest {
    private final VirtualScheduler scheduler = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<String> sent = new ArrayList<>();
    private final AtomicInteger drops = new AtomicInteger();
    private final Liveness liveness = new Liveness("Ada", scheduler, Duration.ofSeconds(90), sent::add);
    private boolean online = true;

    @Test
    void aServerThatNeverWelcomesIsDroppedAfterTwiceThePingInterval() {
        liveness.awaitWelcome(() -> false, drops::incrementAndGet);
        scheduler.advance(Duration.ofSeconds(179));
        assertThat(drops).hasValue(0);
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(drops).hasValue(1);
    }

    @Test
    void aWelcomeInTimeKeepsTheConnection() {
        liveness.awaitWelcome(() -> true, drops::incrementAndGet);
        scheduler.advance(Duration.ofMinutes(10));
        assertThat(drops).hasValue(0);
    }

    @Test
    void silenceGetsAPingThenTheConnectionIsDropped() {
        liveness.watch(() -> online, drops::incrementAndGet);
        scheduler.advance(Duration.ofSeconds(90));
        assertThat(sent).containsExactly("PING :parley");
        assertThat(drops).hasValue(0);
        scheduler.advance(Duration.ofSeconds(90));
        assertThat(drops).hasValue(1);
        scheduler.advance(Duration.ofMinutes(10));
        assertThat(drops).as("dropped once; the next session watches anew").hasValue(1);
    }

    @Test
    void aTalkativeServerIsNeitherPingedNorDropped() {
        liveness.watch(() -> online, drops::incrementAndGet);
        for (int i = 0; i < 20; i++) {
            scheduler.advance(Duration.ofSeconds(60));
            liveness.heard();
        }
        assertThat(sent).isEmpty();
        assertThat(drops).hasValue(0);
    }

    @Test
    void anAnsweredPingKeepsTheConnection() {
        liveness.watch(() -> online, drops::incrementAndGet);
        scheduler.advance(Duration.ofSeconds(90));
        assertThat(sent).containsExactly("PING :parley");
        scheduler.advance(Duration.ofSeconds(1));
        liveness.heard(); // the PONG
        scheduler.advance(Duration.ofSeconds(89));
        assertThat(drops).hasValue(0);
    }

    @Test
    void offlineOrStoppedItWatchesNoMore() {
        liveness.watch(() -> online, drops::incrementAndGet);
        online = false;
        scheduler.advance(Duration.ofMinutes(10));
        online = true;
        liveness.watch(() -> online, drops::incrementAndGet);
        liveness.stop();
        scheduler.advance(Duration.ofMinutes(10));
        assertThat(sent).isEmpty();
        assertThat(drops).hasValue(0);
    }
}
