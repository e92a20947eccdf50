package dev.parley.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The *-defaults blocks under which list elements and map entries are laid. A config file may override them, so
 * the keys it adds there are checked against reference.conf, once, rather than once per element they apply to.
 */
final class DefaultsBlocks {
    private DefaultsBlocks() { }

    /** Keys the user added to a defaults block must be keys of that block in reference.conf. */
    static void check(ConfigValue user, ConfigValue ref, String path, Problems problems) {
        if (!(user instanceof ConfigObject) || !(ref instanceof ConfigObject) || ((ConfigObject) ref).isEmpty()) {
            return;
        }
        ConfigObject u = (ConfigObject) user;
        ConfigObject r = (ConfigObject) ref;
        for (Map.Entry<String, ConfigValue> e : u.entrySet()) {
            String childPath = path + "." + e.getKey();
            ConfigValue refChild = r.get(e.getKey());
            if (refChild == null && !requiredKeys(path).contains(e.getKey())) {
                Set<String> known = new TreeSet<>(r.keySet());
                problems.add(e.getValue().origin(), childPath, Node.unknownKey(e.getKey(), known));
            } else if (refChild != null) {
                check(e.getValue(), refChild, childPath, problems);
            }
        }
    }

    /** Required keys are documented in the defaults blocks but cannot have a default; they may still be set there. */
    private static Set<String> requiredKeys(String defaultsPath) {
        switch (defaultsPath) {
            case "conversation-defaults": return Set.of("seats", "rooms");
            case "seat-defaults.irc": return Set.of("nick");
            case "seat-defaults.matrix": return Set.of("user");
            case "room-defaults.irc": return Set.of("channel");
            case "room-defaults.matrix": return Set.of("room");
            case "irc.network-defaults": return Set.of("host");
            case "matrix.server-defaults": return Set.of("homeserver-url", "control-user");
            default: return Set.of();
        }
    }
}
