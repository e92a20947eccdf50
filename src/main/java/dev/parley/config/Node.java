package dev.parley.config;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One config object being read into a record. Every getter records the key as known, so that after reading,
 * {@link #finish()} can report the keys the user wrote that nothing read (typos) with a "did you mean".
 * A value that is wrong is reported to {@link Problems} and replaced by a harmless fallback, so reading goes on
 * and every problem is found in one pass.
 */
final class Node {
    private final ConfigObject merged;
    private final ConfigObject own;
    private final String path;
    private final ConfigOrigin origin;
    private final Problems problems;
    private final Set<String> read = new LinkedHashSet<>();
    private final List<Node> children = new ArrayList<>();
    private final Map<String, Node> childByKey = new LinkedHashMap<>();

    /**
     * @param merged what is read: the user's object over its defaults
     * @param own    the keys the user wrote here, checked for typos; null when there is nothing of the user's
     */
    Node(ConfigObject merged, ConfigObject own, String path, ConfigOrigin origin, Problems problems) {
        this.merged = merged;
        this.own = own;
        this.path = path;
        this.origin = origin;
        this.problems = problems;
    }

    static Node empty(String path, ConfigOrigin origin, Problems problems) {
        return new Node(ConfigFactory.empty().root(), null, path, origin, problems);
    }

    String path() {
        return path;
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    ConfigOrigin origin() {
        return origin;
    }

    Problems problems() {
        return problems;
    }

    /** Where {@code key} was written, or this object when it is not set. */
    ConfigOrigin originOf(String key) {
        ConfigValue v = merged.get(key);
        return v == null ? origin : v.origin();
    }

    /** Whether the user wrote {@code key} in this very object (not inherited from defaults). */
    boolean ownHas(String key) {
        return own != null && own.get(key) != null && own.get(key).valueType() != ConfigValueType.NULL;
    }

    void problem(String key, String message) {
        problems.add(originOf(key), path(key), message);
    }

    void problemHere(String message) {
        problems.add(origin, path, message);
    }

    ConfigValue raw(String key) {
        read.add(key);
        ConfigValue v = merged.get(key);
        return v == null || v.valueType() == ConfigValueType.NULL ? null : v;
    }

    boolean isSet(String key) {
        return raw(key) != null;
    }

    void missing(String key, String why) {
        problemHere("missing required key \"" + key + "\"" + (why.isEmpty() ? "" : " (" + why + ")"));
    }

    // ---- scalars

    Optional<String> optString(String key) {
        ConfigValue v = raw(key);
        if (v == null) {
            return Optional.empty();
        }
        if (isScalar(v)) {
            return Optional.of(asText(v));
        }
        problem(key, "expected a string, got " + describe(v));
        return Optional.empty();
    }

    /**
     * A scalar as the text the user wrote, converted by the library: {@code nick = 007} stays "007" and
     * {@code 1.50} stays "1.50" (the unwrapped number would print as 7 and 1.5).
     */
    private static String asText(ConfigValue v) {
        return ConfigFactory.empty().withValue("v", v).getString("v");
    }

    /** A required string; reported as missing when unset (an empty string is allowed). */
    String string(String key) {
        return string(key, "");
    }

    String string(String key, String whyRequired) {
        ConfigValue v = raw(key);
        if (v == null) {
            missing(key, whyRequired);
            return "";
        }
        return optString(key).orElse("");
    }

    /** A required string that must not be blank. */
    String text(String key) {
        String s = string(key);
        if (raw(key) != null && s.isBlank() && isScalar(raw(key))) {
            problem(key, "must not be empty");
        }
        return s;
    }

    boolean bool(String key) {
        ConfigValue v = raw(key);
        if (v == null) {
            missing(key, "");
            return false;
        }
        if (v.valueType() == ConfigValueType.BOOLEAN) {
            return (Boolean) v.unwrapped();
        }
        if (v.valueType() == ConfigValueType.STRING) {
            // Strings come from ${?ENV} substitutions; accept the spellings HOCON itself accepts.
            switch (((String) v.unwrapped()).trim().toLowerCase(Locale.ROOT)) {
                case "true": case "yes": case "on":
                    return true;
                case "false": case "no": case "off":
                    return false;
                default:
                    break;
            }
        }
        problem(key, "expected true or false, got " + describe(v));
        return false;
    }

    long longValue(String key, long min, long max) {
        ConfigValue v = raw(key);
        if (v == null) {
            missing(key, "");
            return Math.max(min, 0);
        }
        return checkLong(key, v, min, max).orElse(Math.max(min, 0));
    }

    int integer(String key, int min, int max) {
        return (int) longValue(key, min, max);
    }

    Optional<Long> optLong(String key, long min, long max) {
        ConfigValue v = raw(key);
        return v == null ? Optional.empty() : checkLong(key, v, min, max);
    }

    private Optional<Long> checkLong(String key, ConfigValue v, long min, long max) {
        Optional<Double> d = asNumber(key, v, "a whole number");
        if (d.isEmpty()) {
            return Optional.empty();
        }
        double x = d.get();
        if (x != Math.rint(x)) {
            problem(key, "expected a whole number, got " + describe(v));
            return Optional.empty();
        }
        if (x < min || x > max) {
            problem(key, "must be " + range(min, max) + ", got " + describe(v));
            return Optional.empty();
        }
        return Optional.of((long) x);
    }

    double number(String key, double min, double max) {
        ConfigValue v = raw(key);
        if (v == null) {
            missing(key, "");
            return Math.max(min, 0);
        }
        return checkDouble(key, v, min, max).orElse(Math.max(min, 0));
    }

    Optional<Double> optNumber(String key, double min, double max) {
        ConfigValue v = raw(key);
        return v == null ? Optional.empty() : checkDouble(key, v, min, max);
    }

    private Optional<Double> checkDouble(String key, ConfigValue v, double min, double max) {
        Optional<Double> d = asNumber(key, v, "a number");
        if (d.isPresent() && (d.get() < min || d.get() > max || d.get().isNaN())) {
            problem(key, "must be " + range(min, max) + ", got " + describe(v));
            return Optional.empty();
        }
        return d;
    }

    private Optional<Double> asNumber(String key, ConfigValue v, String what) {
        if (v.valueType() == ConfigValueType.NUMBER) {
            return Optional.of(((Number) v.unwrapped()).doubleValue());
        }
        if (v.valueType() == ConfigValueType.STRING) {
            try {
                return Optional.of(Double.parseDouble(((String) v.unwrapped()).trim()));
            } catch (NumberFormatException e) {
                // fall through to the problem below
            }
        }
        problem(key, "expected " + what + ", got " + describe(v));
        return Optional.empty();
    }

    private static String range(double min, double max) {
        String lo = fmt(min);
        String hi = fmt(max);
        if (max >= Long.MAX_VALUE || max == Double.MAX_VALUE) {
            return "at least " + lo;
        }
        return "between " + lo + " and " + hi;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }

    /**
     * The longest any duration may be unless its key says otherwise: a day is more than any pause, timeout or
     * backoff needs, and a larger value (a typo, 1000000000000d) would only make a conversation wait forever.
     */
    static final Duration MAX_DURATION = Duration.ofDays(1);

    /** A duration written with a unit ("500ms", "2s", "30m"); a bare number is refused as ambiguous. */
    Duration duration(String key, Duration min) {
        return duration(key, min, MAX_DURATION);
    }

    Duration duration(String key, Duration min, Duration max) {
        ConfigValue v = raw(key);
        if (v == null) {
            missing(key, "");
            return min;
        }
        return checkDuration(key, v, min, max).orElse(min);
    }

    /** A required duration; empty when it is missing or wrong (already reported), for rules between keys. */
    Optional<Duration> requiredDuration(String key, Duration min) {
        return requiredDuration(key, min, MAX_DURATION);
    }

    Optional<Duration> requiredDuration(String key, Duration min, Duration max) {
        ConfigValue v = raw(key);
        if (v == null) {
            missing(key, "");
            return Optional.empty();
        }
        return checkDuration(key, v, min, max);
    }

    Optional<Duration> optDuration(String key, Duration min) {
        ConfigValue v = raw(key);
        return v == null ? Optional.empty() : checkDuration(key, v, min, MAX_DURATION);
    }

    private Optional<Duration> checkDuration(String key, ConfigValue v, Duration min, Duration max) {
        if (v.valueType() == ConfigValueType.NUMBER) {
            problem(key, "give a duration with a unit, such as " + v.unwrapped() + "s or " + v.unwrapped()
                    + "ms, got the bare number " + v.unwrapped());
            return Optional.empty();
        }
        if (v.valueType() != ConfigValueType.STRING) {
            problem(key, "expected a duration such as 500ms, 2s or 5m, got " + describe(v));
            return Optional.empty();
        }
        Duration d;
        try {
            d = ConfigFactory.empty().withValue("d", v).getDuration("d");
        } catch (com.typesafe.config.ConfigException e) {
            problem(key, "expected a duration such as 500ms, 2s or 5m, got " + describe(v));
            return Optional.empty();
        }
        if (d.compareTo(min) < 0) {
            problem(key, "must be at least " + Durations.format(min) + ", got " + describe(v));
            return Optional.empty();
        }
        if (d.compareTo(max) > 0) {
            problem(key, "must be at most " + Durations.format(max) + ", got " + describe(v));
            return Optional.empty();
        }
        return Optional.of(d);
    }

    /** One of an enum's constants, written in kebab case: {@code round-robin} for ROUND_ROBIN. */
    <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
        Optional<String> s = optString(key);
        if (s.isEmpty()) {
            if (raw(key) == null) {
                missing(key, "");
            }
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (kebab(e).equals(s.get().trim().toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        problem(key, "unknown " + key + " \"" + s.get() + "\" (known: "
                + Arrays.stream(type.getEnumConstants()).map(Node::kebab).collect(Collectors.joining(", ")) + ")");
        return fallback;
    }

    static String kebab(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    // ---- collections

    List<ConfigValue> list(String key) {
        ConfigValue v = raw(key);
        if (v == null) {
            return List.of();
        }
        if (v.valueType() != ConfigValueType.LIST) {
            problem(key, "expected a list [ ... ], got " + describe(v));
            return List.of();
        }
        return (ConfigList) v;
    }

    List<String> strings(String key) {
        List<String> out = new ArrayList<>();
        List<ConfigValue> items = list(key);
        for (int i = 0; i < items.size(); i++) {
            ConfigValue v = items.get(i);
            if (isScalar(v)) {
                out.add(asText(v));
            } else {
                problems.add(v.origin(), path(key) + "." + i, "expected a string, got " + describe(v));
            }
        }
        return out;
    }

    /** An object of string values, such as HTTP headers; its keys are the user's, not checked for typos. */
    Map<String, String> stringMap(String key) {
        Map<String, String> out = new LinkedHashMap<>();
        ConfigObject obj = object(key);
        for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
            ConfigValue v = e.getValue();
            if (isScalar(v)) {
                out.put(e.getKey(), asText(v));
            } else {
                problems.add(v.origin(), path(key) + "." + e.getKey(), "expected a string, got " + describe(v));
            }
        }
        return out;
    }

    /** A free-form object (JSON to pass on), unwrapped into maps, lists and scalars. */
    Map<String, Object> anyMap(String key) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : object(key).entrySet()) {
            if (e.getValue().valueType() != ConfigValueType.NULL) {
                out.put(e.getKey(), e.getValue().unwrapped());
            }
        }
        return out;
    }

    ConfigObject object(String key) {
        ConfigValue v = raw(key);
        if (v == null) {
            return ConfigFactory.empty().root();
        }
        if (v.valueType() != ConfigValueType.OBJECT) {
            problem(key, "expected an object { ... }, got " + describe(v));
            return ConfigFactory.empty().root();
        }
        return (ConfigObject) v;
    }

    /** A nested object whose keys are checked; its defaults come with it from the merged tree. */
    Node child(String key) {
        Node known = childByKey.get(key);
        if (known != null) {
            return known;
        }
        ConfigObject obj = object(key);
        ConfigObject ownChild = null;
        if (own != null && own.get(key) instanceof ConfigObject) {
            ownChild = (ConfigObject) own.get(key);
        }
        // Without a block of the user's own here, point at the user's enclosing block rather than reference.conf.
        ConfigOrigin o = ownChild != null ? ownChild.origin() : origin;
        Node n = new Node(obj, ownChild, path(key), o, problems);
        children.add(n);
        childByKey.put(key, n);
        return n;
    }

    /** A list element or map entry read as an object of its own, over {@code defaults}. */
    Optional<Node> element(ConfigValue v, ConfigObject defaults, String elementPath) {
        if (v.valueType() != ConfigValueType.OBJECT) {
            problems.add(v.origin(), elementPath, "expected an object { ... }, got " + describe(v));
            return Optional.empty();
        }
        ConfigObject obj = (ConfigObject) v;
        Node n = new Node(obj.withFallback(defaults), obj, elementPath, obj.origin(), problems);
        children.add(n);
        return Optional.of(n);
    }

    /** Reports the keys the user wrote that nothing read, here and in every child read from here. */
    void finish() {
        if (own != null) {
            for (Map.Entry<String, ConfigValue> e : own.entrySet()) {
                if (!read.contains(e.getKey())) {
                    String key = e.getKey();
                    problems.add(e.getValue().origin(), path(key), "unknown key", () -> unknownKey(key, read));
                }
            }
        }
        for (Node c : children) {
            c.finish();
        }
    }

    static String unknownKey(String key, Set<String> known) {
        Optional<String> guess = Spelling.closest(key, known);
        if (guess.isPresent()) {
            return "unknown key (did you mean \"" + guess.get() + "\"?)";
        }
        return "unknown key (known here: " + String.join(", ", known) + ")";
    }

    static boolean isScalar(ConfigValue v) {
        return v != null && (v.valueType() == ConfigValueType.STRING || v.valueType() == ConfigValueType.NUMBER
                || v.valueType() == ConfigValueType.BOOLEAN);
    }

    /** A value as the user wrote it, with its kind when that helps: {@code "fast"}, {@code 12}, {@code a list}. */
    static String describe(ConfigValue v) {
        switch (v.valueType()) {
            case STRING:
                return "\"" + v.unwrapped() + "\"";
            case NUMBER:
            case BOOLEAN:
                return String.valueOf(v.unwrapped());
            case LIST:
                return "a list";
            case OBJECT:
                return "an object";
            default:
                return "null";
        }
    }
}
