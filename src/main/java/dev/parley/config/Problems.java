package dev.parley.config;

import com.typesafe.config.ConfigOrigin;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Collects problems while a config is read, so that all of them are reported together. */
final class Problems {
    private static final Pattern TRAILING_LINE = Pattern.compile("^(.*?)(?::\\s*\\d+(?:-\\d+)?)?$");

    // A set: a mistake in a shared defaults block is met once per element it applies to, reported once.
    private final Set<ConfigProblem> problems = new LinkedHashSet<>();

    void add(ConfigOrigin origin, String path, String message) {
        problems.add(new ConfigProblem(fileOf(origin), origin == null ? -1 : origin.lineNumber(), path, message));
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    /** In file and line order (a stable sort: problems on one line keep the order they were found in). */
    List<ConfigProblem> list() {
        List<ConfigProblem> out = new ArrayList<>(problems);
        out.sort(Comparator.comparing(ConfigProblem::file).thenComparingInt(ConfigProblem::line));
        return out;
    }

    void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new ConfigException(list());
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
