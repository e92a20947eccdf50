package dev.parley.config;

import java.util.Optional;

/** Where a conversation is shown. Network details live in the top-level irc/matrix sections. */
public sealed interface RoomConfig {
    /** The local terminal: stdin lines are the operator's messages, output on stdout. */
    record Terminal(String humanName, boolean colours) implements RoomConfig { }

    /** An IRC channel on a network named in {@code irc.networks}. */
    record Irc(String network, String channel, Optional<Secret> key) implements RoomConfig { }

    /** A Matrix room (id or alias) on a homeserver named in {@code matrix.servers}. */
    record Matrix(String server, String room) implements RoomConfig { }
}
