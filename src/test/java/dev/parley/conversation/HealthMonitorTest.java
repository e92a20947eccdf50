package dev.parley.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.config.HealthConfig;
import dev.parley.core.Message;
import dev.parley.core.SeatId;
import dev.parley.core.Speaker;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HealthMonitorTest {
    private static final HealthConfig DEFAULTS = new HealthConfig(true, HealthConfig.Action.STOP, 8, 2, 6, 0.9, 3);

    /** Feeds alternating Ada/Basil lines; returns the index of the line that fired, or -1. */
    private static int firesAt(HealthConfig config, List<String> lines) {
        HealthMonitor m = new HealthMonitor(config);
        for (int i = 0; i < lines.size(); i++) {
            String name = i % 2 == 0 ? "Ada" : "Basil";
            Optional<String> v = m.observe(new Message(Speaker.seat(SeatId.of(name.toLowerCase()), name),
                    lines.get(i), Instant.EPOCH));
            if (v.isPresent()) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void firesOnAcknowledgementPingPong() {
        assertThat(firesAt(DEFAULTS, List.of("Ready when you are.", "ack", "ack", "ack.", "Ack!", "ok", "ok", "ack",
                "ack", "ok"))).isBetween(3, 7);
    }

    @Test
    void firesOnStillWaiting() {
        assertThat(firesAt(DEFAULTS, List.of("still waiting", "still waiting", "still waiting...", "Still waiting.",
                "still waiting", "still waiting"))).isBetween(2, 5);
    }

    @Test
    void firesOnLonePunctuation() {
        assertThat(firesAt(DEFAULTS, List.of(".", "...", ".", "…", ".", "!", ".", "."))).isBetween(3, 7);
    }

    @Test
    void firesOnANearlyRepeatedLongLine() {
        String line = "I understand your point, and I think we should consider the broader implications of this.";
        assertThat(firesAt(DEFAULTS, List.of(line, "Indeed, the ocean is vast and full of wonders to explore.",
                line.replace("broader", "wider"), "Coral reefs support a quarter of marine species worldwide.",
                line.replace(".", "!")))).isEqualTo(4);
    }

    @Test
    void staysQuietOnALivelyDialogueOfShortLines() {
        List<String> lively = List.of("Tide pools at dawn?", "Only at low tide.", "Bring the thermos.",
                "Soup or coffee?", "Coffee, black.", "Rocks get slippery.", "Crabs first?", "Hermit ones, sure.",
                "Under the kelp.", "Watch your fingers!", "Anemones close fast.", "Touch gently, then.",
                "Starfish regrow arms.", "Even whole bodies?", "Some species, yes.", "Wild.", "Barnacles glue headfirst.",
                "Upside-down forever?", "Feet kicking food in.", "Gulls incoming!", "Hide the sandwiches.", "Too late.",
                "Next time: binoculars.", "And sunscreen.");
        assertThat(firesAt(DEFAULTS, lively)).isEqualTo(-1);
    }

    @Test
    void aHumanSteppingInResetsTheStreakAndDisabledMeansSilent() {
        HealthMonitor m = new HealthMonitor(DEFAULTS);
        for (int i = 0; i < 5; i++) {
            assertThat(m.observe(new Message(Speaker.seat(SeatId.of("a"), "A" + i), "ok", Instant.EPOCH))).isEmpty();
        }
        m.observe(new Message(Speaker.human("kate"), "hey, wake up", Instant.EPOCH));
        assertThat(m.observe(new Message(Speaker.seat(SeatId.of("a"), "A9"), "ok", Instant.EPOCH))).isEmpty();

        HealthConfig off = new HealthConfig(false, HealthConfig.Action.STOP, 8, 2, 2, 0.9, 2);
        assertThat(firesAt(off, List.of("ack", "ack", "ack", "ack", "ack"))).isEqualTo(-1);
    }
}
