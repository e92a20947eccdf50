package dev.parley.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How parley behaves on one IRC network: pacing of each connection's lines, how long replies and special text
 * are treated, and how dropped connections are supervised. Defaults ({@link #DEFAULTS}) are polite enough for a
 * public network; a local test server can use {@code lineDelay = 0}.
 *
 * @param lineDelay    time between two lines of one connection once its burst is spent (0 = no pacing)
 * @param burst        lines a connection may send at once before {@code lineDelay} applies
 * @param maxLines     IRC lines one reply may take; longer replies are cut (or sent in full, see {@code overflow})
 * @param overflow     what happens to a reply longer than {@code maxLines}
 * @param cutMarker    appended to the last line of a cut reply
 * @param formatting   keep IRC formatting codes (bold, colours...) in model text; off = stripped like other controls
 * @param actions      a reply starting with "/me " is sent as a CTCP ACTION; off = sent as text
 * @param directMessages private messages to the control nick reach the conversation (as direct messages)
 * @param reconnectMin first delay before reconnecting a dropped connection; doubles on each failure
 * @param reconnectMax cap of the reconnect delay
 * @param nickRetry    while a fallback nick is used, how often the wanted nick is tried again
 * @param pingInterval silence after which the connection is probed with a PING; twice that without an answer
 *                     and the connection is dropped and reconnected
 */
public record IrcOptions(
        Duration lineDelay,
        int burst,
        int maxLines,
        Overflow overflow,
        String cutMarker,
        boolean formatting,
        boolean actions,
        boolean directMessages,
        Duration reconnectMin,
        Duration reconnectMax,
        Duration nickRetry,
        Duration pingInterval) {

    /** What to do with a reply longer than {@code maxLines}. */
    public enum Overflow { CUT, FULL }

    public static final IrcOptions DEFAULTS = new IrcOptions(
            Duration.ofMillis(1000), 4, 12, Overflow.CUT, "… [cut]", false, true, false,
            Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(90));

    public IrcOptions {
        Objects.requireNonNull(overflow, "overflow");
        Objects.requireNonNull(cutMarker, "cutMarker");
        requireNotNegative(lineDelay, "lineDelay");
        requirePositive(reconnectMin, "reconnectMin");
        requirePositive(reconnectMax, "reconnectMax");
        requirePositive(nickRetry, "nickRetry");
        requirePositive(pingInterval, "pingInterval");
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1: " + burst);
        }
        if (maxLines < 1) {
            throw new IllegalArgumentException("maxLines must be at least 1: " + maxLines);
        }
        if (reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException("reconnectMax must not be below reconnectMin");
        }
    }

    /** The same options with another pacing: handy for tests and local servers. */
    public IrcOptions withPacing(Duration lineDelay, int burst) {
        return new IrcOptions(lineDelay, burst, maxLines, overflow, cutMarker, formatting, actions, directMessages,
                reconnectMin, reconnectMax, nickRetry, pingInterval);
    }

    public IrcOptions withReconnect(Duration min, Duration max) {
        return new IrcOptions(lineDelay, burst, maxLines, overflow, cutMarker, formatting, actions, directMessages,
                min, max, nickRetry, pingInterval);
    }

    public IrcOptions withLines(int maxLines, Overflow overflow) {
        return new IrcOptions(lineDelay, burst, maxLines, overflow, cutMarker, formatting, actions, directMessages,
                reconnectMin, reconnectMax, nickRetry, pingInterval);
    }

    public IrcOptions withNickRetry(Duration nickRetry) {
        return new IrcOptions(lineDelay, burst, maxLines, overflow, cutMarker, formatting, actions, directMessages,
                reconnectMin, reconnectMax, nickRetry, pingInterval);
    }

    public IrcOptions withDirectMessages(boolean directMessages) {
        return new IrcOptions(lineDelay, burst, maxLines, overflow, cutMarker, formatting, actions, directMessages,
                reconnectMin, reconnectMax, nickRetry, pingInterval);
    }

    private static void requireNotNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + d);
        }
    }

    private static void requirePositive(Duration d, String name) {
        requireNotNegative(d, name);
        if (d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
