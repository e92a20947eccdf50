package dev.parley.testsupport;

import dev.parley.config.CommandConfig;
import dev.parley.config.ContextConfig;
import dev.parley.config.ConversationConfig;
import dev.parley.config.ConversationConfig.TurnPolicyKind;
import dev.parley.config.HealthConfig;
import dev.parley.config.HostingConfig;
import dev.parley.config.IrcIdentity;
import dev.parley.config.ModelConfig;
import dev.parley.config.PacingConfig;
import dev.parley.config.ReplyConfig;
import dev.parley.config.RoomConfig;
import dev.parley.config.SeatConfig;
import dev.parley.config.StopConfig;
import dev.parley.core.SeatId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Config records for tests, with the same defaults as reference.conf, changed with withers. */
public final class TestConfigs {
    private TestConfigs() { }

    public static ModelConfig model(String provider, String model) {
        return new ModelConfig(provider, model, Optional.empty(), Optional.empty(), Map.of(), Optional.empty(),
                Optional.empty(), 512, Optional.empty(), List.of(), Map.of(),
                new ModelConfig.Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(120)),
                new ModelConfig.Retry(4, Duration.ofSeconds(1), Duration.ofSeconds(30)), Optional.empty(), false,
                "2023-06-01", Optional.empty());
    }

    public static SeatConfig seat(String id, String name) {
        return new SeatConfig(SeatId.of(id), name, Optional.of(new IrcIdentity(name, Optional.empty())),
                Optional.empty(), model("replay", "test"), "You are " + name + ".", 6000);
    }

    public static PacingConfig pacing(long minMs, long maxMs) {
        return new PacingConfig(Duration.ofMillis(minMs), Duration.ofMillis(maxMs), 0, Duration.ofSeconds(6), true);
    }

    public static StopConfig stop(int maxTurns) {
        return new StopConfig(maxTurns, Duration.ZERO, "^C^C", 4, 3, 0, Optional.empty());
    }

    public static HealthConfig health() {
        return new HealthConfig(true, HealthConfig.Action.STOP, 8, 2, 6, 0.8, 3, 20, 5, 0.68, 4, 0.1, 6, 0.04, 6, 0.2);
    }

    public static ConversationConfig conversation(String... seatNames) {
        List<SeatConfig> seats = new ArrayList<>();
        for (String n : seatNames) {
            seats.add(seat(n.toLowerCase(java.util.Locale.ROOT), n));
        }
        return new ConversationConfig("test", seats, List.of(new RoomConfig.Terminal("you", false)),
                TurnPolicyKind.ROUND_ROBIN, Optional.empty(), true, pacing(0, 0), stop(20), health(),
                new ContextConfig(false, "//", 4.0),
                new ReplyConfig(ReplyConfig.OnFailure.SKIP, ReplyConfig.EmptyReply.RETRY_THEN_SKIP,
                        ReplyConfig.StreamCut.RETRY, false),
                new CommandConfig("!", false));
    }

    /** A copy of {@code c} with one part changed: {@code with(c, b -> b.turnPolicy(RANDOM))}. */
    public static ConversationConfig with(ConversationConfig c, UnaryOperator<Builder> change) {
        return change.apply(new Builder(c)).build();
    }

    /** Mutable copy of a ConversationConfig, for tests only. */
    public static final class Builder {
        private ConversationConfig c;

        Builder(ConversationConfig c) {
            this.c = c;
        }

        public Builder turnPolicy(TurnPolicyKind k) {
            c = new ConversationConfig(c.id(), c.seats(), c.rooms(), k, c.openingLine(), c.autoStart(), c.pacing(),
                    c.stop(), c.health(), c.context(), c.replies(), c.commands(), c.hosting(), c.web());
            return this;
        }

        public Builder openingLine(String line) {
            c = new ConversationConfig(c.id(), c.seats(), c.rooms(), c.turnPolicy(), Optional.ofNullable(line),
                    c.autoStart(), c.pacing(), c.stop(), c.health(), c.context(), c.replies(), c.commands(), c.hosting(), c.web());
            return this;
        }

        public Builder autoStart(boolean auto) {
            c = new ConversationConfig(c.id(), c.seats(), c.rooms(), c.turnPolicy(), c.openingLine(), auto,
                    c.pacing(), c.stop(), c.health(), c.context(), c.replies(), c.commands(), c.hosting(), c.web());
            return this;
        }

        public Builder pacing(PacingConfig p) {
            c = new ConversationConfig(c.id(), c.seats(), c.rooms(), c.turnPolicy(), c.openingLine(), c.autoStart(),
                    p, c.stop(), c.health(), c.context(), c.replies(), c.commands(), c.hosting(), c.web());
            return this;
        }

        public Builder stop(StopConfig s) {
            c = new ConversationConfig(c.id(), c.seats(), c.rooms(), c.turnPolicy(), c.openingLine(), c.autoStart(),
                    c.pacing(), s, c.health(), c.context(), c.replies(), c.commands(), c.hosting(), c.web());
            return this;
        }

        public Builder health(HealthConfig h) {
            c = new ConversationConfig(c.id(), c.seats(), c.rooms(), c.turnPolicy(), c.openingLine(), c.autoStart(),
                    c.pacing(), c.stop(), h, c.context(), c.replies(), c.commands(), c.hosting(), c.web());
            return this;
        }

        public Builder context(ContextConfig x) {
            c = new ConversationConfig(c.id(), c.seats(), c.rooms(), c.turnPolicy(), c.openingLine(), c.autoStart(),
                    c.pacing(), c.stop(), c.health(), x, c.replies(), c.commands(), c.hosting(), c.web());
            return this;
        }

        public Builder replies(ReplyConfig r) {
            c = new ConversationConfig(c.id(), c.seats(), c.rooms(), c.turnPolicy(), c.openingLine(), c.autoStart(),
                    c.pacing(), c.stop(), c.health(), c.context(), r, c.commands(), c.hosting(), c.web());
            return this;
        }

        public Builder seats(List<SeatConfig> s) {
            c = new ConversationConfig(c.id(), s, c.rooms(), c.turnPolicy(), c.openingLine(), c.autoStart(),
                    c.pacing(), c.stop(), c.health(), c.context(), c.replies(), c.commands(), c.hosting(), c.web());
            return this;
        }

        public Builder rooms(List<RoomConfig> r) {
            c = new ConversationConfig(c.id(), c.seats(), r, c.turnPolicy(), c.openingLine(), c.autoStart(),
                    c.pacing(), c.stop(), c.health(), c.context(), c.replies(), c.commands(), c.hosting(), c.web());
            return this;
        }

        public Builder id(String id) {
            c = new ConversationConfig(id, c.seats(), c.rooms(), c.turnPolicy(), c.openingLine(), c.autoStart(),
                    c.pacing(), c.stop(), c.health(), c.context(), c.replies(), c.commands(), c.hosting(), c.web());
            return this;
        }

        public Builder hosting(HostingConfig h) {
            c = c.withHosting(h);
            return this;
        }

        public ConversationConfig build() {
            return c;
        }
    }
}
