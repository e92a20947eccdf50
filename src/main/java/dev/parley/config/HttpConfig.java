package dev.parley.config;

/**
 * The web view's server: off unless enabled; where it listens; whether humans' names are shown as stable
 * pseudonyms (on the web and in the static site), since people in a room did not all agree to be published.
 */
public record HttpConfig(boolean enabled, String bind, int port, boolean pseudonyms) {
    public static final HttpConfig OFF = new HttpConfig(false, "127.0.0.1", 8080, false);
}
