package dev.parley.config;

import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a conversation's {@code moderation} block and the list files it names. A list is read here, once, so that
 * {@code parley check} reports a bad regular expression by its own file and line, before any episode runs.
 *
 * <p>List syntax: one rule a line; blank lines and lines starting with {@code #} are skipped; a line starting with
 * {@code re:} is a regular expression (matched case-insensitively against the normalised text), any other line a
 * literal word or phrase.
 */
final class ModerationReader {
    static final String REGEX_PREFIX = "re:";
    /** A list larger than this is a mistake (a log file named by accident), not a word list. */
    private static final long MAX_LIST_BYTES = 16L * 1024 * 1024;

    private final Values values;

    ModerationReader(Values values) {
        this.values = values;
    }

    ModerationConfig moderation(Node m) {
        List<ModerationConfig.WordList> lists = new ArrayList<>();
        List<String> files = m.strings("lists");
        for (int i = 0; i < files.size(); i++) {
            read(m, files.get(i)).ifPresent(lists::add);
        }
        Node l = m.child("limits");
        ModerationConfig.Limits limits = new ModerationConfig.Limits(
                l.integer("max-chars", 0, 1_000_000), l.integer("max-lines", 0, 100_000),
                l.integer("max-links", 0, 100_000), l.integer("max-mentions", 0, 100_000));
        return new ModerationConfig(m.bool("enabled"), lists, m.bool("leetspeak"), limits,
                m.choice("on-hit", ModerationConfig.OnHit.class, ModerationConfig.OnHit.RETRY_THEN_SKIP),
                m.integer("mute-after", 0, 1000),
                m.choice("humans", ModerationConfig.Humans.class, ModerationConfig.Humans.PASS),
                api(m.child("api")));
    }

    private Optional<ModerationConfig.Api> api(Node a) {
        Optional<String> url = a.optString("url").filter(u -> !u.isBlank());
        String model = a.string("model");
        Optional<Secret> key = values.secret(a, "key");
        Duration timeout = a.duration("timeout", Duration.ofMillis(100), Duration.ofMinutes(5));
        ModerationConfig.WhenDown whenDown = a.choice("when-down", ModerationConfig.WhenDown.class,
                ModerationConfig.WhenDown.HOLD);
        Map<String, Double> thresholds = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : a.object("categories").entrySet()) {
            Object v = e.getValue().unwrapped();
            if (v instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 1) {
                thresholds.put(e.getKey(), n.doubleValue());
            } else {
                a.problems().add(e.getValue().origin(), a.path("categories") + "." + e.getKey(),
                        "a category's threshold is a score from 0 to 1, got " + Node.describe(e.getValue()));
            }
        }
        if (url.isEmpty()) {
            return Optional.empty();
        }
        if (!url.get().startsWith("http://") && !url.get().startsWith("https://")) {
            a.problem("url", "expected an http(s) URL such as \"https://api.openai.com/v1/moderations\", got \""
                    + url.get() + "\"");
        }
        return Optional.of(new ModerationConfig.Api(url.get(), model, key, thresholds, timeout, whenDown));
    }

    /** One list file, relative to the config file that names it; every bad line is a problem at its file:line. */
    private Optional<ModerationConfig.WordList> read(Node m, String name) {
        Path path;
        try {
            path = resolve(m.originOf("lists"), name);
        } catch (InvalidPathException e) {
            m.problem("lists", "\"" + name + "\" is not a file path");
            return Optional.empty();
        }
        List<String> lines;
        try {
            if (Files.size(path) > MAX_LIST_BYTES) {
                m.problem("lists", "list file \"" + path + "\" is larger than 16 MiB");
                return Optional.empty();
            }
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            m.problem("lists", "cannot read list file \"" + path + "\" (" + e.getClass().getSimpleName() + ")");
            return Optional.empty();
        }
        List<ModerationConfig.Rule> rules = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean regex = line.startsWith(REGEX_PREFIX);
            String text = regex ? line.substring(REGEX_PREFIX.length()) : line;
            if (regex) {
                Optional<String> bad = badRegex(text);
                if (bad.isPresent()) {
                    ConfigOrigin at = ConfigOriginFactory.newFile(path.toString()).withLineNumber(i + 1);
                    m.problems().add(at, m.path("lists"), "bad regular expression: " + bad.get());
                    continue;
                }
            }
            rules.add(new ModerationConfig.Rule(path.getFileName().toString(), i + 1, text, regex));
        }
        return Optional.of(new ModerationConfig.WordList(path.toString(), rules));
    }

    /** Why {@code regex} does not compile (its description, first line only), or empty when it does. */
    static Optional<String> badRegex(String regex) {
        if (regex.isBlank()) {
            return Optional.of("empty after \"re:\"");
        }
        try {
            Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            return Optional.empty();
        } catch (PatternSyntaxException e) {
            return Optional.of(e.getDescription() + " near index " + e.getIndex() + " in \"" + regex + "\"");
        }
    }

    private static Path resolve(ConfigOrigin origin, String name) {
        Path p = Path.of(name);
        if (p.isAbsolute() || origin == null || origin.filename() == null) {
            return p;
        }
        Path dir = Path.of(origin.filename()).toAbsolutePath().getParent();
        return dir == null ? p : dir.resolve(p);
    }
}
