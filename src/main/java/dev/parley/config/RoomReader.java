package dev.parley.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
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
            conv.problems().add(v.origin(), path, "missing required key \"type\" (terminal, irc or matrix)");
            return Optional.empty();
        }
        String type = String.valueOf(typeValue.unwrapped());
        ConfigValue defaults = roomDefaults.get(type);
        if (!(defaults instanceof ConfigObject)) {
            conv.problems().add(typeValue.origin(), path + ".type", "unknown room type \"" + type
                    + "\" (known: terminal, irc, matrix)");
            return Optional.empty();
        }
        Node r = conv.element(v, (ConfigObject) defaults, path).orElseThrow();
        r.raw("type");
        switch (type) {
            case "terminal":
                return Optional.of(new RoomConfig.Terminal(r.text("human-name"), colours(r)));
            case "irc": {
                String network = definedName(r, "network", networks.keySet(), "irc network", "irc.networks");
                String channel = r.text("channel");
                if (!channel.isEmpty() && !IrcNames.isChannel(channel)) {
                    r.problem("channel", "expected an IRC channel such as \"#parley\", got \"" + channel + "\"");
                }
                return Optional.of(new RoomConfig.Irc(network, channel, values.secret(r, "key")));
            }
            default: {
                String server = definedName(r, "server", servers.keySet(), "matrix server", "matrix.servers");
                String room = r.text("room");
                if (!room.isEmpty() && !Values.MATRIX_ROOM.matcher(room).matches()) {
                    r.problem("room", "expected a Matrix room alias or id such as \"#parley:example.org\" or "
                            + "\"!abc:example.org\", got \"" + room + "\"");
                }
                return Optional.of(new RoomConfig.Matrix(server, room));
            }
        }
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
