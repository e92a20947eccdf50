package dev.parley.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TurnTest {
    @Test
    void aNamedTurnIsItsPrefixAndBodyAndEqualsTheSameTextGivenWhole() {
        Turn named = Turn.named(Role.USER, "Basil: ", "Tides turn.");
        assertThat(named.text()).isEqualTo("Basil: Tides turn.");
        assertThat(named.length()).isEqualTo("Basil: Tides turn.".length());
        assertThat(named).isEqualTo(Turn.user("Basil: Tides turn.")).hasSameHashCodeAs(Turn.user("Basil: Tides turn."));
        assertThat(named).isNotEqualTo(Turn.assistant("Basil: Tides turn.")).isNotEqualTo(Turn.user("Basil: Tides"));
        assertThat(named.toString()).contains("USER", "Basil: Tides turn.");
    }
}
