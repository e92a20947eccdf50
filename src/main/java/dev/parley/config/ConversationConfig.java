package dev.parley.config;

import java.util.List;
import java.util.Optional;

/**
 * One conversation: who sits at the table, where it is shown, and the rules of the room.
 * {@code openingLine} empty means the first seat gets a blank prompt. {@code seats} is the roster; which of them
 * play an episode, and how episodes follow each other, is {@code hosting}.
 */
public record ConversationConfig(
        String id,
        List<SeatConfig> seats,
        List<RoomConfig> rooms,
        TurnPolicyKind turnPolicy,
        Optional<String> openingLine,
        boolean autoStart,
        PacingConfig pacing,
        StopConfig stop,
        HealthConfig health,
        ContextConfig context,
        ReplyConfig replies,
        CommandConfig commands,
        HostingConfig hosting,
        WebConfig web,
        ModerationConfig moderation) {
    public ConversationConfig {
        seats = List.copyOf(seats);
        rooms = List.copyOf(rooms);
    }

    /** With no moderation gate beyond the engine's own (configs built in code: tests, replays). */
    public ConversationConfig(String id, List<SeatConfig> seats, List<RoomConfig> rooms, TurnPolicyKind turnPolicy,
                              Optional<String> openingLine, boolean autoStart, PacingConfig pacing, StopConfig stop,
                              HealthConfig health, ContextConfig context, ReplyConfig replies,
                              CommandConfig commands, HostingConfig hosting, WebConfig web) {
        this(id, seats, rooms, turnPolicy, openingLine, autoStart, pacing, stop, health, context, replies, commands,
                hosting, web, ModerationConfig.NONE);
    }

    /**
     * With the default hosting (the whole roster plays, the next episode waits for {@code !start}) and shown on the
     * web as by default (public, noindex).
     */
    public ConversationConfig(String id, List<SeatConfig> seats, List<RoomConfig> rooms, TurnPolicyKind turnPolicy,
                              Optional<String> openingLine, boolean autoStart, PacingConfig pacing, StopConfig stop,
                              HealthConfig health, ContextConfig context, ReplyConfig replies,
                              CommandConfig commands) {
        this(id, seats, rooms, turnPolicy, openingLine, autoStart, pacing, stop, health, context, replies, commands,
                HostingConfig.DEFAULT, WebConfig.DEFAULT);
    }

    /** The seats that play an episode unless an operator picks others: the configured cast, else everyone. */
    public List<SeatConfig> defaultCast() {
        if (hosting.cast().isEmpty()) {
            return seats;
        }
        return seats.stream().filter(s -> hosting.cast().contains(s.id())).toList();
    }

    /**
     * The config one episode runs with: {@code cast} at the table (the rest of the roster may be invited), started
     * at once (the host decided when), with {@code opening} if an operator gave one.
     */
    public ConversationConfig forEpisode(List<SeatConfig> cast, Optional<String> opening) {
        return new ConversationConfig(id, cast, rooms, turnPolicy, opening.or(() -> openingLine), true, pacing, stop,
                health, context, replies, commands, hosting, web, moderation);
    }

    /** The same conversation with another hosting (a one-shot run leaves after its episode). */
    public ConversationConfig withHosting(HostingConfig h) {
        return new ConversationConfig(id, seats, rooms, turnPolicy, openingLine, autoStart, pacing, stop, health,
                context, replies, commands, h, web, moderation);
    }

    /** The same conversation behind another moderation gate. */
    public ConversationConfig withModeration(ModerationConfig m) {
        return new ConversationConfig(id, seats, rooms, turnPolicy, openingLine, autoStart, pacing, stop, health,
                context, replies, commands, hosting, web, m);
    }

    public enum TurnPolicyKind { ROUND_ROBIN, RANDOM, ADDRESSED, MANUAL }
}
