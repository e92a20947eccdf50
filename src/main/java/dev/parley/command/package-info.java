/**
 * Moderator commands: parsing a human's line, checking the sender may run it, and acting on a {@link Control}.
 * Depends on core only; the conversation implements Control, so this package never sees the engine.
 */
package dev.parley.command;
