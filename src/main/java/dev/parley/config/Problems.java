package dev.parley.config;

import com.typesafe.config.ConfigOrigin;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Collects problems while a config is read, so that all of them are reported together: the first {@link #SHOWN}
 * in file and line order, and how many there are in all. A generated or pasted file can hold hundreds of thousands
 * of mistakes; nobody reads past the first screen, so the rest are counted but never worded.
 */
final class Problems {
    /** How many problems are listed; the rest are only counted. */
    static final int SHOWN = 50;
    private static final Pattern TRAILING_LINE = Pattern.compile("^(.*?)(?::\\s*\\d+(?:-\\d+)?)?$");

    /** A problem whose message is worded only if it is listed ("did you mean" is costly at 900,000 keys). */
    private record Entry(String file, int line, String path, Supplier<String> message, int order) { }

    /** Where a lazily worded problem is, and its kind: two of these that are equal are one problem. */
    private record Place(String file, int line, String path, String kind) { }

    // Keyed for de-duplication: a mistake in a shared defaults block is met once per element it applies to,
    // reported once.
    private final Map<Object, Entry> problems = new LinkedHashMap<>();

    void add(ConfigOrigin origin, String path, String message) {
        ConfigProblem p = new ConfigProblem(fileOf(origin), origin == null ? -1 : origin.lineNumber(), path, message);
        problems.putIfAbsent(p, new Entry(p.file(), p.line(), path, () -> message, problems.size()));
    }

    /**
     * A problem worded later, if at all; {@code kind} tells problems at the same place apart (for de-duplication)
     * without wording them.
     */
    void add(ConfigOrigin origin, String path, String kind, Supplier<String> message) {
        String file = fileOf(origin);
        int line = origin == null ? -1 : origin.lineNumber();
        problems.putIfAbsent(new Place(file, line, path, kind), new Entry(file, line, path, message, problems.size()));
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    /** The first {@link #SHOWN}, in file and line order (problems on one line keep the order they were found in). */
    List<ConfigProblem> list() {
        List<Entry> sorted = new ArrayList<>(problems.values());
        sorted.sort(Comparator.comparing(Entry::file).thenComparingInt(Entry::line).thenComparingInt(Entry::order));
        return sorted.stream().limit(SHOWN)
                .map(e -> new ConfigProblem(e.file(), e.line(), e.path(), e.message().get())).toList();
    }

    void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new ConfigException(list(), problems.size());
        }
    }

    /** The name a user knows the origin by: the file path as given, the classpath resource, or the test's name. */
    static String fileOf(ConfigOrigin origin) {
        if (origin == null) {
            return "?";
        }
        // A resource has a filename too when the classpath is a directory; its resource name is the stable one.
        if (origin.resource() != null) {
            return origin.resource();
        }
        if (origin.filename() != null) {
            return origin.filename();
        }
        if (origin.url() != null) {
            return origin.url().toString();
        }
        // Origins made by setOriginDescription carry the line in their description ("name: 12", or "name: 1-11" for a range).
        Matcher m = TRAILING_LINE.matcher(origin.description());
        return m.matches() ? m.group(1) : origin.description();
    }
}
