package dev.parley.config;

import java.util.Optional;

/** Where a conversation is shown. Network details live in the top-level irc/matrix sections. */
public sealed interface RoomConfig {
    /** The {@code type} that names this kind of room in a config file. */
    String type();

    /**
     * Where the room is, for the rule that two conversations never share a room: one place, one room. Empty for
     * the terminal, which has a rule of its own (one conversation at most).
     */
    Optional<String> place();

    /** The room as a status page names it. */
    String label();

    /** The local terminal: stdin lines are the operator's messages, output on stdout. */
    record Terminal(String humanName, boolean colours) implements RoomConfig {
        public static final String TYPE = "terminal";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Optional<String> place() {
            return Optional.empty();
        }

        @Override
        public String label() {
            return "terminal";
        }
    }

    /** An IRC channel on a network named in {@code irc.networks}. */
    record Irc(String network, String channel, Optional<Secret> key) implements RoomConfig {
        public static final String TYPE = "irc";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Optional<String> place() {
            return Optional.of("irc " + network + " " + channel.toLowerCase());
        }

        @Override
        public String label() {
            return channel + " (" + network + ")";
        }
    }

    /** A Matrix room (id or alias) on a homeserver named in {@code matrix.servers}. */
    record Matrix(String server, String room) implements RoomConfig {
        public static final String TYPE = "matrix";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Optional<String> place() {
            return Optional.of("matrix " + server + " " + room);
        }

        @Override
        public String label() {
            return room;
        }
    }
}
