package dev.parley.config;

/** Moderator commands: the prefix humans type, and whether private messages to the bot are read. */
public record CommandConfig(String prefix, boolean privateMessages) {
}
