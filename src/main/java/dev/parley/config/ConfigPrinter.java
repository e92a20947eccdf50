package dev.parley.config;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValueFactory;
import dev.parley.core.SeatId;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Renders the effective configuration (after defaults) as HOCON, for {@code parley check}: what parley will
 * actually do, key by key. Secrets are never printed: a secret shows as the variable or file it came from,
 * so the output can be pasted into a bug report, and loaded again with the same environment.
 *
 * <p>It walks the records the readers built, not a list of keys: a record component is written under its name in
 * kebab case ({@code maxTurns} → {@code max-turns}), so a key added to a record and its reader is printed without
 * an edit here. The few places where the file's shape is not the records' are the tables below; a component
 * whose key is not its name fails ConfigPrinterTest's load-back (the loader refuses the unknown key). The records,
 * not the merged Typesafe tree, because the readers lay defaults over each list element and map entry (there is
 * no one merged tree), only the records know where a secret came from (a resolved tree holds its value), and the
 * records hold values as parley reads them (a duration as 1.5s however it was written).
 */
public final class ConfigPrinter {
    /** Keys that are not their component's name in kebab case, by "Record.component". */
    private static final Map<String, String> RENAMED = Map.of(
            "ConversationConfig.hosting", "episodes",
            "HostingConfig.maxEpisodes", "max",
            "WebConfig.hidden", "private",
            "MatrixIdentity.userId", "user",
            "ModerationConfig.Api.thresholds", "categories",
            "MatrixServerConfig.Encryption.proxy", "e2e-proxy");

    /**
     * Components that are no key of their block: a network's or server's name is its key in the map, the origin
     * is the header line, and a conversation's cast is written by the conversation (it is the one hosting key
     * outside the episodes block).
     */
    private static final Set<String> NOT_KEYS = Set.of("IrcNetworkConfig.name", "MatrixServerConfig.name",
            "ParleyConfig.origin", "HostingConfig.cast");

    /** Blocks that reference.conf sets to null, so that null is how a file says there is none. */
    private static final Set<String> NULL_WHEN_ABSENT = Set.of("ModelConfig.price");

    /** Records whose keys sit in their parent's block, not in a block of their own. */
    private static final Set<String> FLATTENED = Set.of("IrcNetworkConfig.options", "MatrixServerConfig.encryption");

    /** Values a config file writes as one string, though parley holds them as records. */
    private static final Map<Class<?>, Function<Object, String>> AS_TEXT = Map.of(
            SeatId.class, v -> ((SeatId) v).value(),
            TimeWindow.class, Object::toString,
            ModerationConfig.WordList.class, v -> ((ModerationConfig.WordList) v).file());

    private static final Pattern BARE_KEY = Pattern.compile("[A-Za-z0-9_-]+");

    private static final Pattern SECRET_HEADER =
            Pattern.compile("(?i)auth|key|token|secret|cookie|password|signature|session");

    private final StringBuilder out = new StringBuilder();
    private int depth;

    private ConfigPrinter() { }

    public static String print(ParleyConfig config) {
        ConfigPrinter p = new ConfigPrinter();
        p.config(config);
        return p.out.toString();
    }

    /** The file's top level: its sections in the order a config file has them, conversations last. */
    private void config(ParleyConfig c) {
        line("# Effective configuration loaded from " + c.origin() + " (defaults applied, secrets redacted).");
        entry("transcripts-dir", c.transcriptsDir(), Path.class);
        entry("time-zone", c.timeZone(), ZoneId.class);
        entry("http", c.http(), HttpConfig.class);
        open("irc");
        named("networks", c.ircNetworks());
        close();
        open("matrix");
        named("servers", c.matrixServers());
        close();
        entry("conversations", c.conversations(), List.class);
    }

    /** Blocks by name: the networks and servers. */
    private void named(String key, Map<String, ? extends Record> blocks) {
        open(key);
        blocks.forEach((name, block) -> {
            open(key(name));
            components(block);
            close();
        });
        close();
    }

    /** A record's components, one entry each, at the current depth. */
    private void components(Record r) {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            String id = id(r.getClass()) + "." + c.getName();
            Object value = read(c, r);
            if (id.equals("ConversationConfig.hosting")) {
                List<SeatId> cast = ((HostingConfig) value).cast();
                raw("cast", cast.isEmpty() ? "null" : scalar(cast)); // empty: every seat plays
            }
            if (id.equals("ModelConfig.headers")) { // the one secret that is no Secret: a key passed in a header
                raw("headers", render(redactedHeaders(stringMap((Map<?, ?>) value))));
                continue;
            }
            if (NOT_KEYS.contains(id)) {
                continue;
            }
            if (NULL_WHEN_ABSENT.contains(id) && value instanceof Optional<?> o && o.isEmpty()) {
                raw(kebab(c.getName()), "null");
                continue;
            }
            if (FLATTENED.contains(id)) {
                components((Record) value);
                continue;
            }
            entry(RENAMED.getOrDefault(id, kebab(c.getName())), value, c.getGenericType());
        }
    }

    private void entry(String key, Object value, Type type) {
        if (value == null) {
            raw(key, "null");
        } else if (value instanceof Optional<?> o) {
            Type inner = type instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
            if (o.isPresent()) {
                entry(key, o.get(), inner);
            } else if (!(inner instanceof Class<?> k && (Secret.class.equals(k) || isBlock(k)))) {
                raw(key, "null"); // an absent secret or block is left out: reference.conf's defaults stand
            }
        } else if (value instanceof OptionalInt i) {
            raw(key, i.isPresent() ? String.valueOf(i.getAsInt()) : "null");
        } else if (value instanceof Secret s) {
            secret(key, s);
        } else if (isBlock(value.getClass())) {
            open(key);
            components((Record) value);
            close();
        } else if (value instanceof List<?> l && !l.isEmpty() && isElementBlock(l.get(0))) {
            line(key + " = [");
            depth++;
            l.forEach(this::element);
            depth--;
            line("]");
        } else {
            raw(key, scalar(value));
        }
    }

    /**
     * A list element: a block. A room is one line with its type first, unless it holds a secret: the comment
     * that says the secret is redacted would swallow the rest of the line.
     */
    private void element(Object e) {
        if (e instanceof RoomConfig room && !holdsSecret((Record) room)) {
            StringBuilder one = new StringBuilder("{ type = " + room.type());
            for (RecordComponent c : room.getClass().getRecordComponents()) {
                Object v = read(c, (Record) room);
                Object shown = v instanceof Optional<?> o ? o.orElse(null) : v;
                if (shown != null) {
                    one.append(", ").append(kebab(c.getName())).append(" = ").append(scalar(shown));
                }
            }
            line(one.append(" }").toString());
            return;
        }
        line("{");
        depth++;
        if (e instanceof RoomConfig room) {
            raw("type", room.type());
        }
        components((Record) e);
        depth--;
        line("}");
    }

    /** A secret by where it came from ("env NAME" / "file PATH"); its value is never in the output. */
    private void secret(String base, Secret secret) {
        String source = secret.source();
        if (source.startsWith("env ")) {
            line(base + "-env = " + quote(source.substring(4)) + "  # set; value redacted");
        } else if (source.startsWith("file ")) {
            line(base + "-file = " + quote(source.substring(5)) + "  # read; value redacted");
        } else {
            line("# " + base + ": " + secret);
        }
    }

    /**
     * Headers are where gateways put their keys (Authorization, api-key, x-api-key, cookies): values of such
     * headers are never printed.
     */
    static Map<String, String> redactedHeaders(Map<String, String> headers) {
        Map<String, String> out = new java.util.TreeMap<>();
        headers.forEach((name, value) -> out.put(name,
                SECRET_HEADER.matcher(name).find() ? "<redacted>" : value));
        return out;
    }

    /** One value as HOCON: strings quoted, durations and numbers the way a config file writes them. */
    private static String scalar(Object v) {
        Function<Object, String> asText = AS_TEXT.get(v.getClass());
        if (asText != null) {
            return quote(asText.apply(v));
        }
        if (v instanceof String || v instanceof Path || v instanceof ZoneId) {
            return quote(v instanceof ZoneId z ? z.getId() : v.toString());
        }
        if (v instanceof Duration d) {
            return Durations.format(d);
        }
        if (v instanceof Enum<?> e) {
            return Node.kebab(e);
        }
        if (v instanceof Double d) {
            return number(d);
        }
        if (v instanceof List<?> l) {
            return ConfigValueFactory.fromIterable(l.stream().map(i -> AS_TEXT.getOrDefault(i.getClass(),
                    Object::toString).apply(i)).toList()).render(ConfigRenderOptions.concise());
        }
        if (v instanceof Map<?, ?> m) {
            return render(m);
        }
        return String.valueOf(v); // booleans and whole numbers
    }

    private static String render(Map<?, ?> map) {
        return ConfigValueFactory.fromMap(stringKeys(map)).render(ConfigRenderOptions.concise());
    }

    private static boolean holdsSecret(Record r) {
        return Stream.of(r.getClass().getRecordComponents()).map(c -> read(c, r))
                .anyMatch(v -> v instanceof Secret || v instanceof Optional<?> o && o.orElse(null) instanceof Secret);
    }

    /** A record written as a block of keys (not one of those a file writes as a string). */
    private static boolean isBlock(Class<?> k) {
        return k.isRecord() && !AS_TEXT.containsKey(k);
    }

    private static boolean isElementBlock(Object first) {
        return first instanceof RoomConfig || isBlock(first.getClass());
    }

    private static Object read(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + c + " of " + r.getClass().getName(), e);
        }
    }

    /** "ModerationConfig.Api" for a nested record: the name the tables above use. */
    private static String id(Class<?> k) {
        return k.getName().substring(k.getPackageName().length() + 1).replace('$', '.');
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> stringMap(Map<?, ?> m) {
        return (Map<String, String>) m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> stringKeys(Map<?, ?> m) {
        return (Map<String, ?>) m;
    }

    private void open(String key) {
        line(key + " {");
        depth++;
    }

    private void close() {
        depth--;
        line("}");
    }

    private void raw(String key, String rendered) {
        line(key + " = " + rendered);
    }

    private void line(String text) {
        out.append("  ".repeat(Math.max(0, depth))).append(text).append('\n');
    }

    private static String key(String name) {
        return BARE_KEY.matcher(name).matches() ? name : ConfigUtil.quoteString(name);
    }

    private static String quote(String s) {
        return ConfigUtil.quoteString(s);
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }
}
