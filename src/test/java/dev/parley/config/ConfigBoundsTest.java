package dev.parley.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Numbers and durations have sane upper bounds, and a value out of range is told the bound it broke. */
class ConfigBoundsTest {
    private static final String TWO_SEATS = """
            conversations = [
              {
                id = talk
                seats = [
                  { id = ada, name = "Ada", model { provider = replay, replay.transcript = "classpath:d.md" } }
                  { id = basil, model { provider = replay, replay.transcript = "classpath:d.md" } }
                ]
                rooms = [ { type = terminal } ]
                %s
              }
            ]
            """;

    private static List<String> problems(String extra) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.withEnvironment(Map.of()).load(TWO_SEATS.formatted(extra), "x.conf"));
        assertThat(e).as("a config problem for " + extra).isNotNull();
        return e.problems().stream().map(ConfigProblem::message).toList();
    }

    @Test
    void aTurnLimitTooLargeIsToldItsUpperBoundNotItsLowerOne() {
        assertThat(problems("stop.max-turns = 99999999999999"))
                .containsExactly("must be between 0 and 1000000, got 99999999999999");
    }

    @Test
    void aPacingDelayOfBillionsOfDaysIsRefusedWithTheBound() {
        assertThat(problems("pacing { min-delay = 1000000000000d, max-delay = 1000000000000d }"))
                .containsExactly("must be at most 1h, got \"1000000000000d\"",
                        "must be at most 1h, got \"1000000000000d\"");
    }

    @Test
    void otherNumbersAndDurationsHaveBoundsToo() {
        assertThat(problems("stop.max-duration = 400d")).containsExactly("must be at most 365d, got \"400d\"");
        assertThat(problems("stop.max-cost = 1e300")).singleElement().asString().startsWith("must be between 0 and");
        assertThat(problems("pacing.typing-chars-per-second = 1e300")).singleElement().asString()
                .startsWith("must be between 0 and");
        assertThat(problems("stop.max-consecutive-failures = 5000")).containsExactly(
                "must be between 0 and 1000, got 5000");
    }
}
