package dev.parley.core;

import java.time.Duration;

/**
 * Figures no journal event holds, reported by the parts that see them (model decorators, IRC connections, the
 * Matrix rooms' HTTP traffic) to whoever exports them: the web view's {@code /metrics}. Every method must return at
 * once and never throw; {@link #NOOP} is the default of every part, so nothing depends on a metrics library.
 *
 * <p>Labels are names from the config only (conversation, seat, model, network, nick, server) and small fixed
 * sets (error kinds): never a human's name or id, whose number has no bound.
 */
public interface Telemetry {
    /** Reports nothing: for tests, the static site, and a daemon without a web view. */
    Telemetry NOOP = new Telemetry() { };

    /** A seat's model sent the first text of a reply {@code wait} after the call began (retries' waits included). */
    default void modelFirstToken(String conversation, String seat, String model, Duration wait) { }

    /** A seat's model call failed with {@code kind} (rate_limited, transient, ...) and is tried again. */
    default void modelRetry(String conversation, String seat, String model, String kind) { }

    /** A seat's model call ended (answered or failed), costing {@code dollars} at the configured price. */
    default void modelCost(String conversation, String seat, String model, double dollars) { }

    /** An IRC connection of {@code nick} on {@code network} was welcomed ({@code up}) or lost (not up). */
    default void ircConnection(String network, String nick, boolean up) { }

    /** An IRC connection of {@code nick} on {@code network} is about to connect again after it was lost. */
    default void ircReconnect(String network, String nick) { }

    /** A room event a Matrix /sync delivered, {@code lag} after its homeserver received it (origin_server_ts). */
    default void matrixSyncLag(String server, Duration lag) { }

    /** A message send to a Matrix homeserver is tried again (network error, 5xx or rate limit). */
    default void matrixSendRetry(String server) { }
}
