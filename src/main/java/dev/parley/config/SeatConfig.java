package dev.parley.config;

import dev.parley.core.SeatId;
import java.util.Optional;

/**
 * One model bound to one room identity. {@code irc} and {@code matrix} are empty when the seat is
 * not shown on that network. {@code contextBudgetTokens} bounds what the model is sent each turn.
 */
public record SeatConfig(
        SeatId id,
        String name,
        Optional<IrcIdentity> irc,
        Optional<MatrixIdentity> matrix,
        ModelConfig model,
        String systemPrompt,
        int contextBudgetTokens) {
    /** The same seat with another model config. */
    public SeatConfig withModel(ModelConfig m) {
        return new SeatConfig(id, name, irc, matrix, m, systemPrompt, contextBudgetTokens);
    }
}
