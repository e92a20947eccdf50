package dev.parley.conversation;

import dev.parley.config.SeatConfig;
import dev.parley.model.ModelClient;

/**
 * Reaches a seat's model on demand: for a roster seat invited mid-episode, or a seat an operator moved to another
 * model. Whoever provides it owns the clients it makes and closes them when the episode is over.
 */
@FunctionalInterface
public interface SeatModels {
    /** A client for the seat's model config; throws IllegalArgumentException when it cannot be made. */
    ModelClient connect(SeatConfig seat);
}
