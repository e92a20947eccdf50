/**
 * The host: keeps each configured conversation's rooms for the life of the process and runs it as a series of
 * episodes, one {@code Conversation} and journal each; casts, schedules, reloads. Knows the engine, rooms, models
 * and commands by their interfaces; never irc, matrix or a concrete provider (app hands it {@link dev.parley.host.Parts}),
 * nor the web: it publishes a {@link dev.parley.host.SeriesStatus} per conversation, which app adapts for the web.
 */
package dev.parley.host;
