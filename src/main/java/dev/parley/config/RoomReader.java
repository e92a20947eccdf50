package dev.parley.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/** Reads one room of a conversation, laid over room-defaults.&lt;type&gt;; irc and matrix rooms name a defined network. */
final class RoomReader {
    private final Values values;
    private final Map<String, String> env;
    private final BooleanSupplier consoleAttached;

    RoomReader(Values values, Map<String, String> env, BooleanSupplier consoleAttached) {
        this.values = values;
        this.env = env;
        this.consoleAttached = consoleAttached;
    }

    Optional<RoomConfig> room(Node conv, ConfigValue v, ConfigObject roomDefaults, String path,
                                      Map<String, IrcNetworkConfig> networks,
                                      Map<String, MatrixServerConfig> servers) {
        if (!(v instanceof ConfigObject)) {
            conv.problems().add(v.origin(), path, "expected an object such as { type = terminal }, got "
                    + Node.describe(v));
            return Optional.empty();
        }
        ConfigValue typeValue = ((ConfigObject) v).get("type");
        if (typeValue == null || !Node.isScalar(typeValue)) {
            List<String> types = List.copyOf(KINDS.keySet());
            conv.problems().add(v.origin(), path, "missing required key \"type\" ("
                    + String.join(", ", types.subList(0, types.size() - 1)) + " or " + types.get(types.size() - 1)
                    + ")");
            return Optional.empty();
        }
        String type = String.valueOf(typeValue.unwrapped());
        ConfigValue defaults = roomDefaults.get(type);
        if (!KINDS.containsKey(type) || !(defaults instanceof ConfigObject)) {
            conv.problems().add(typeValue.origin(), path + ".type", "unknown room type \"" + type
                    + "\" (known: " + String.join(", ", KINDS.keySet()) + ")");
            return Optional.empty();
        }
        Node r = conv.element(v, (ConfigObject) defaults, path).orElseThrow();
        r.raw("type");
        return Optional.of(KINDS.get(type).read(this, r, networks, servers));
    }

    /** Reads the keys of one kind of room (its own block of room-defaults lies under it). */
    @FunctionalInterface
    private interface KindReader {
        RoomConfig read(RoomReader reader, Node r, Map<String, IrcNetworkConfig> networks,
                        Map<String, MatrixServerConfig> servers);
    }

    /**
     * The room types, by the {@code type} a room gives: the one list of them in config (the errors name these;
     * app builds each from its record). A new type adds its reader here, its record to {@link RoomConfig} and its
     * defaults to reference.conf.
     */
    private static final Map<String, KindReader> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put(RoomConfig.Terminal.TYPE, (reader, r, networks, servers) -> new RoomConfig.Terminal(
                r.text("human-name"), reader.colours(r)));
        KINDS.put(RoomConfig.Irc.TYPE, (reader, r, networks, servers) -> reader.irc(r, networks));
        KINDS.put(RoomConfig.Matrix.TYPE, (reader, r, networks, servers) -> matrix(r, servers));
    }

    private RoomConfig irc(Node r, Map<String, IrcNetworkConfig> networks) {
        String network = definedName(r, "network", networks.keySet(), "irc network", "irc.networks");
        String channel = r.text("channel");
        if (!channel.isEmpty() && !IrcNames.isChannel(channel)) {
            r.problem("channel", "expected an IRC channel such as \"#parley\", got \"" + channel + "\"");
        }
        return new RoomConfig.Irc(network, channel, values.secret(r, "key"));
    }

    private static RoomConfig matrix(Node r, Map<String, MatrixServerConfig> servers) {
        String server = definedName(r, "server", servers.keySet(), "matrix server", "matrix.servers");
        String room = r.text("room");
        if (!room.isEmpty() && !Values.MATRIX_ROOM.matcher(room).matches()) {
            r.problem("room", "expected a Matrix room alias or id such as \"#parley:example.org\" or "
                    + "\"!abc:example.org\", got \"" + room + "\"");
        }
        return new RoomConfig.Matrix(server, room);
    }

    /** A reference to an entry of irc.networks / matrix.servers; unset means the only one there is. */
    private static String definedName(Node r, String key, Set<String> defined, String what, String where) {
        Optional<String> name = r.optString(key);
        if (name.isEmpty()) {
            if (r.raw(key) != null) {
                return "";
            }
            if (defined.size() == 1) {
                return defined.iterator().next();
            }
            r.missing(key, defined.isEmpty() ? "no " + what + "s are defined; add one under " + where
                    : "which " + what + ": " + String.join(", ", defined));
            return "";
        }
        if (!defined.contains(name.get())) {
            Optional<String> guess = Spelling.closest(name.get(), defined);
            r.problem(key, "unknown " + what + " \"" + name.get() + "\" ("
                    + (defined.isEmpty() ? "none are defined under " + where
                    : guess.map(g -> "did you mean \"" + g + "\"? ").orElse("") + "defined: "
                    + String.join(", ", defined)) + ")");
        }
        return name.get();
    }

    private boolean colours(Node r) {
        ConfigValue v = r.raw("colours");
        String s = v == null ? "auto" : String.valueOf(v.unwrapped()).toLowerCase();
        switch (s) {
            case "true": case "yes": case "on": case "always":
                return true;
            case "false": case "no": case "off": case "never":
                return false;
            case "auto":
                String noColor = env.get("NO_COLOR");
                return consoleAttached.getAsBoolean() && !"dumb".equals(env.get("TERM"))
                        && (noColor == null || noColor.isEmpty());
            default:
                r.problem("colours", "expected auto, true or false, got " + Node.describe(v));
                return false;
        }
    }
}
