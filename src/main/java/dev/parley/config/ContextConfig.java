package dev.parley.config;

/**
 * How each seat's view of the room is built: an optional room preamble appended to its system prompt,
 * the aside prefix that hides a human line from models, and the chars-per-token estimate for budgets.
 */
public record ContextConfig(boolean roomPreamble, String asidePrefix, double charsPerToken) {
}
