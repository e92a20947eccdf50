package dev.parley.conversation;

import static dev.parley.testsupport.TestConfigs.conversation;
import static dev.parley.testsupport.TestConfigs.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.config.PacingConfig;
import dev.parley.room.MemoryRoom;
import dev.parley.testsupport.ScriptedModel;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PacerTest {
    @Test
    void delaysStayWithinTheRangeAndTypingIsProportionalAndCapped() {
        Pacer p = new Pacer(new PacingConfig(Duration.ofSeconds(2), Duration.ofSeconds(5), 20, Duration.ofSeconds(6),
                true), new Random(3));
        for (int i = 0; i < 200; i++) {
            assertThat(p.beforeTurn()).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(5));
        }
        assertThat(p.typing("x".repeat(40))).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.typing("🌊".repeat(40))).as("counts characters, not UTF-16 units").isEqualTo(Duration.ofSeconds(2));
        assertThat(p.typing("x".repeat(1000))).isEqualTo(Duration.ofSeconds(6));
        p.set(Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertThat(p.beforeTurn()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.describe()).isEqualTo("1 s");
    }

    @Test
    void inVirtualTimeEachTurnWaitsThePauseThenTheTypingTime() {
        PacingConfig pacing = new PacingConfig(Duration.ofSeconds(3), Duration.ofSeconds(3), 10, Duration.ofSeconds(60),
                true);
        Table t = new Table(with(conversation("Ada", "Basil"), b -> b.pacing(pacing)),
                ScriptedModel.saying("twenty characters!!!", "x"), ScriptedModel.saying("ten chars!", "y")).start();
        t.run(Duration.ofMillis(4999));
        assertThat(t.room.posts()).isEmpty();
        assertThat(t.room.shown()).extracting(MemoryRoom.Shown::kind).contains(MemoryRoom.Kind.TYPING_ON);
        t.run(Duration.ofMillis(1));
        assertThat(t.room.posts()).containsExactly("twenty characters!!!");
        t.run(Duration.ofMillis(3999));
        assertThat(t.room.posts()).hasSize(1);
        t.run(Duration.ofMillis(1));
        assertThat(t.room.posts()).containsExactly("twenty characters!!!", "ten chars!");
    }
}
