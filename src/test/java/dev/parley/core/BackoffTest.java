package dev.parley.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));

    @Test
    void doublesFromInitialAndIsCapped() {
        assertThat(b.delay(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.delay(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(b.delay(4)).isEqualTo(Duration.ofSeconds(10));
        assertThat(b.delay(1000)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void jitterKeepsHalfAndRandomisesTheOtherHalf() {
        assertThat(b.jittered(2, 0.0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.jittered(2, 1.0)).isEqualTo(Duration.ofSeconds(4));
        assertThat(b.jittered(2, 0.5)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
