/**
 * The moderation gate: word and pattern lists, size limits and an external moderation service, composed into one
 * {@link dev.parley.gate.Gate} that judges a model's message before any room sees it, and the per-episode
 * {@link dev.parley.gate.Filter} state behind {@code !filter}.
 *
 * <p>May use core, config records, Jackson and OkHttp (for the moderation service); never conversation, room,
 * irc, matrix or command: the engine calls the gate, the gate knows nothing of turns or rooms.
 */
package dev.parley.gate;
