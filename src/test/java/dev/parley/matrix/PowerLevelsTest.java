package dev.parley.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.config.MatrixServerConfig;
import dev.parley.config.Secret;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Operator checks from the room's power levels, read from a scripted homeserver in virtual time. */
class PowerLevelsTest {
    private final ScriptedHomeserver hs = new ScriptedHomeserver();

    PowerLevelsTest() throws Exception { }

    @AfterEach
    void stop() {
        hs.close();
    }

    private PowerLevels levels(OptionalInt operatorLevel) {
        MatrixServerConfig cfg = new MatrixServerConfig("hs", hs.url(), "@bot:hs",
                Optional.of(new Secret("bot", "test")), List.of("@kate:hs"), MatrixServerConfig.Mode.ACCOUNTS,
                Optional.empty(), operatorLevel, Optional.empty());
        return new PowerLevels(hs.context(cfg, Set.of()));
    }

    @Test
    void levelsReadAfterAServerErrorDecideWhoIsAnOperator() throws Exception {
        hs.on("GET", "/rooms/!r:hs/state/m.room.power_levels/", 502, "{}");
        PowerLevels levels = levels(OptionalInt.of(50));
        Instant t0 = hs.scheduler.now();
        var read = levels.read(hs.client("bot"), "!r:hs");
        hs.until("the first read failed", () -> hs.calls().size() == 1);
        hs.on("GET", "/rooms/!r:hs/state/m.room.power_levels/", 200,
                "{\"users\":{\"@mod:hs\":50,\"@admin:hs\":100,\"@low:hs\":10},\"users_default\":0,\"ban\":50}");
        hs.drive(read).get();

        assertThat(Duration.between(t0, hs.scheduler.now())).as("backed off in virtual time")
                .isEqualTo(ScriptedHomeserver.BACKOFF.initial());
        assertThat(hs.calls()).allSatisfy(c -> assertThat(c.user()).isEqualTo("@bot:hs"));
        assertThat(levels.isOperator("@mod:hs")).isTrue();
        assertThat(levels.isOperator("@admin:hs")).isTrue();
        assertThat(levels.isOperator("@low:hs")).isFalse();
        assertThat(levels.isOperator("@nobody:hs")).isFalse();
        assertThat(levels.isOperator("@kate:hs")).as("configured operator").isTrue();
    }

    @Test
    void usersDefaultCountsForEveryoneNotListedAndAnEventReplacesTheLevels() throws Exception {
        hs.on("GET", "/rooms/!r:hs/state/m.room.power_levels/", 200,
                "{\"users\":{\"@low:hs\":0},\"users_default\":50}");
        PowerLevels levels = levels(OptionalInt.of(50));
        hs.drive(levels.read(hs.client("bot"), "!r:hs")).get();
        assertThat(levels.isOperator("@anyone:hs")).isTrue();
        assertThat(levels.isOperator("@low:hs")).isFalse();

        levels.update(MatrixClient.MAPPER.readTree("{\"users\":{\"@low:hs\":75}}"));
        assertThat(levels.isOperator("@low:hs")).isTrue();
        assertThat(levels.isOperator("@anyone:hs")).isFalse();
    }

    @Test
    void withoutAnOperatorLevelOrReadableLevelsOnlyConfiguredOperatorsCount() throws Exception {
        hs.on("GET", "/rooms/!r:hs/state/m.room.power_levels/", 403, "{\"errcode\":\"M_FORBIDDEN\"}");
        PowerLevels byLevel = levels(OptionalInt.of(50));
        hs.drive(byLevel.read(hs.client("bot"), "!r:hs")).get();
        assertThat(byLevel.isOperator("@admin:hs")).isFalse();
        assertThat(byLevel.isOperator("@kate:hs")).isTrue();
        byLevel.update(MatrixClient.MAPPER.readTree("{\"users\":\"not a map\"}"));
        assertThat(byLevel.isOperator("@admin:hs")).isFalse();

        PowerLevels configOnly = levels(OptionalInt.empty());
        configOnly.update(MatrixClient.MAPPER.readTree("{\"users\":{\"@admin:hs\":100}}"));
        assertThat(configOnly.isOperator("@admin:hs")).isFalse();
        assertThat(configOnly.isOperator("@kate:hs")).isTrue();
    }
}
