/**
 * Moderator commands: parsing a human's line, one permission filter, and acting on a {@link Control}.
 * Depends on core only; the conversation implements Control, so this package never sees the engine.
 *
 * <p>Text produced by a model is never parsed as a command: the engine only passes lines typed by humans
 * (the {@link dev.parley.command.Invoker}), whatever a model's reply starts with.
 */
package dev.parley.command;
