package dev.parley.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A seat id is its value: equal ids are one key, whatever made them; a bad one is refused where it enters. */
class SeatIdTest {
    @Test
    void idsOfTheSameValueAreOneKey() {
        SeatId a = SeatId.of("kimi");
        SeatId b = new SeatId(new String("kimi"));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(Map.of(a, 1).get(b)).isEqualTo(1);
        assertThat(a).isNotEqualTo(SeatId.of("Kimi")).isNotEqualTo(SeatId.of("claude-1"));
        assertThat((Object) a).isNotEqualTo("kimi");
        assertThat(a.toString()).isEqualTo("kimi");
    }

    @Test
    void aBadIdIsRefusedWithWhatIsAllowed() {
        assertThatThrownBy(() -> SeatId.of("no spaces")).hasMessageContaining("1-64 letters, digits");
        assertThatThrownBy(() -> SeatId.of(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
