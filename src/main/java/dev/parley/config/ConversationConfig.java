package dev.parley.config;

import java.util.List;
import java.util.Optional;

/**
 * One conversation: who sits at the table, where it is shown, and the rules of the room.
 * {@code openingLine} empty means the first seat gets a blank prompt.
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
        WebConfig web) {
    public ConversationConfig {
        seats = List.copyOf(seats);
        rooms = List.copyOf(rooms);
    }

    /** A conversation shown on the web as by default (public, noindex). */
    public ConversationConfig(String id, List<SeatConfig> seats, List<RoomConfig> rooms, TurnPolicyKind turnPolicy,
                              Optional<String> openingLine, boolean autoStart, PacingConfig pacing, StopConfig stop,
                              HealthConfig health, ContextConfig context, ReplyConfig replies,
                              CommandConfig commands) {
        this(id, seats, rooms, turnPolicy, openingLine, autoStart, pacing, stop, health, context, replies, commands,
                WebConfig.DEFAULT);
    }

    public enum TurnPolicyKind { ROUND_ROBIN, RANDOM, ADDRESSED, MANUAL }
}
