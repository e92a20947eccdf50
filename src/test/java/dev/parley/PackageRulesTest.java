package dev.parley;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules each package's {@code package-info.java} states, enforced on src/main: every reference to
 * another parley package or to a library (an import, or a fully qualified name in code; comments and strings do
 * not count) must be one the package's sentence allows. A sub-package follows its parent's rule (the providers
 * under {@code model}). The table mirrors the sentences; change both together.
 */
class PackageRulesTest {
    private static final Path MAIN = Path.of("src/main/java");
    private static final String ROOT = "dev.parley";

    /** What a package may reference: other parley packages (by name, below dev.parley) and libraries. */
    private record Rule(String says, Predicate<String> parley, Predicate<String> library) { }

    /** slf4j is the logging every package may use (core's sentence names it; the JDK is always allowed). */
    private static final Set<String> LOGGING = Set.of("org.slf4j");

    private static final Map<String, Rule> RULES = new LinkedHashMap<>();

    static {
        RULES.put("app", new Rule("Everything may be imported here; nothing imports app.", p -> true, l -> true));
        RULES.put("archive", new Rule("Depends on core, room's interfaces, Jackson and slf4j; knows nothing of the "
                + "engine, models, commands or network rooms.", only("core", "room"), libraries("com.fasterxml.jackson")));
        RULES.put("command", new Rule("Depends on core only; the conversation implements Control, so this package "
                + "never sees the engine.", only("core"), libraries()));
        RULES.put("config", new Rule("Depends on core and Typesafe Config only.", only("core"),
                libraries("com.typesafe.config")));
        RULES.put("conversation", new Rule("Knows the Room and ModelClient interfaces only: never PircBotX, OkHttp, "
                + "Matrix or a concrete provider.", never("irc", "matrix", "model.*", "host", "web", "app"),
                notLibraries("org.pircbotx", "okhttp3")));
        RULES.put("core", new Rule("Depends on the JDK (and slf4j for logging) only; every other package may depend "
                + "on it.", only(), libraries()));
        RULES.put("gate", new Rule("May use core, config records, Jackson and OkHttp (for the moderation service); "
                + "never conversation, room, irc, matrix or command.", only("core", "config"),
                libraries("com.fasterxml.jackson", "okhttp3")));
        RULES.put("host", new Rule("Knows the engine, rooms, models and commands by their interfaces; never irc, "
                + "matrix or a concrete provider.", never("irc", "matrix", "model.*", "web", "app"), l -> true));
        RULES.put("irc", new Rule("Depends on core, room and config records only; never on the conversation engine, "
                + "models or commands.", only("core", "room", "config"), l -> true));
        RULES.put("matrix", new Rule("Depends on core, room and config only; never on the conversation engine, "
                + "models or commands.", only("core", "room", "config"), l -> true));
        RULES.put("model", new Rule("Knows nothing about rooms, commands or the conversation engine.",
                never("room", "command", "conversation", "host", "irc", "matrix", "web", "app"), l -> true));
        RULES.put("room", new Rule("Depends on core only; never on the conversation engine, models, commands, the "
                + "archive or a network library.", only("core"), libraries()));
        RULES.put("web", new Rule("May use core and archive (journals, the feed); never config, conversation, "
                + "command, model, room, irc or matrix.", only("core", "archive"), l -> true));
    }

    private static Predicate<String> only(String... packages) {
        Set<String> allowed = Set.of(packages);
        return allowed::contains;
    }

    /** {@code "model.*"} forbids the sub-packages of model (the concrete providers), not model itself. */
    private static Predicate<String> never(String... packages) {
        return p -> Stream.of(packages).noneMatch(f -> f.endsWith(".*")
                ? p.startsWith(f.substring(0, f.length() - 1)) : p.equals(f));
    }

    private static Predicate<String> libraries(String... prefixes) {
        return l -> Stream.concat(Stream.of(prefixes), LOGGING.stream()).anyMatch(p -> l.equals(p)
                || l.startsWith(p + "."));
    }

    private static Predicate<String> notLibraries(String... prefixes) {
        return l -> Stream.of(prefixes).noneMatch(p -> l.equals(p) || l.startsWith(p + "."));
    }

    private static final Pattern TEXT_BLOCK = Pattern.compile("\"\"\"[\\s\\S]*?\"\"\"");
    private static final Pattern STRING = Pattern.compile("\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])'");
    private static final Pattern BLOCK_COMMENT = Pattern.compile("/\\*[\\s\\S]*?\\*/");
    private static final Pattern LINE_COMMENT = Pattern.compile("//[^\\n]*");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+?)\\.(?:[A-Z][\\w.]*|\\*)"
            + "\\s*;", Pattern.MULTILINE);
    /** A qualified name in code: lower-case package parts, then a type (upper case). */
    private static final Pattern QUALIFIED = Pattern.compile("(?<![\\w.])((?:[a-z][a-z0-9_]*\\.)+[a-z][a-z0-9_]*)\\.[A-Z]");

    @Test
    void everyPackageHasARuleAndSaysIt() throws IOException {
        try (Stream<Path> dirs = Files.list(MAIN.resolve(ROOT.replace('.', '/')))) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                String name = dir.getFileName().toString();
                assertThat(RULES).as("a rule for package " + name).containsKey(name);
                assertThat(dir.resolve("package-info.java")).as("package-info of " + name).exists();
            }
        }
    }

    @Test
    void sourcesKeepTheirPackagesRules() throws IOException {
        List<String> violations = violations(MAIN);
        assertThat(violations).as("references a package-info forbids").isEmpty();
    }

    /** Proves the scan sees what it must: a forbidden import, and a qualified name in code; not comments. */
    @Test
    void theScanFindsAViolationAndIgnoresComments(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path room = Files.createDirectories(tmp.resolve("dev/parley/room"));
        Files.writeString(room.resolve("Bad.java"), """
                package dev.parley.room;

                import dev.parley.conversation.Conversation;
                import okhttp3.OkHttpClient;

                /** Mentions {@link dev.parley.archive.Journal} in a comment only: allowed. */
                final class Bad {
                    // dev.parley.irc.IrcRoom in a line comment: allowed
                    String s = "dev.parley.matrix.MatrixRoom in a string: allowed";
                    dev.parley.model.ModelClient client;
                }
                """);
        assertThat(violations(tmp)).hasSize(3)
                .anyMatch(v -> v.contains("dev.parley.conversation"))
                .anyMatch(v -> v.contains("okhttp3"))
                .anyMatch(v -> v.contains("dev.parley.model"));
    }

    private static List<String> violations(Path sourceRoot) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String source = Files.readString(file);
                Matcher pm = PACKAGE.matcher(source);
                if (!pm.find() || !pm.group(1).startsWith(ROOT + ".")) {
                    continue;
                }
                String pkg = pm.group(1).substring(ROOT.length() + 1);
                String top = pkg.contains(".") ? pkg.substring(0, pkg.indexOf('.')) : pkg;
                Rule rule = RULES.get(top);
                if (rule == null) {
                    found.add(file + ": package " + pkg + " has no rule in this test");
                    continue;
                }
                for (String used : references(source)) {
                    boolean ok;
                    if (used.startsWith(ROOT + ".")) {
                        String other = used.substring(ROOT.length() + 1);
                        ok = other.equals(top) || other.startsWith(top + ".") || rule.parley().test(other);
                    } else {
                        ok = used.startsWith("java.") || used.startsWith("javax.") || rule.library().test(used);
                    }
                    if (!ok) {
                        found.add(sourceRoot.relativize(file) + " uses " + used + "; " + top + "'s package-info: "
                                + rule.says());
                    }
                }
            }
        }
        return found;
    }

    /** The packages a source file refers to, outside comments and string literals. */
    private static Set<String> references(String source) {
        String code = TEXT_BLOCK.matcher(source).replaceAll("\"\"");
        code = STRING.matcher(code).replaceAll("\"\"");
        code = BLOCK_COMMENT.matcher(code).replaceAll(" ");
        code = LINE_COMMENT.matcher(code).replaceAll("");
        Set<String> used = new TreeSet<>();
        Matcher im = IMPORT.matcher(code);
        while (im.find()) {
            used.add(im.group(1));
        }
        String body = PACKAGE.matcher(code).replaceAll("");
        body = Pattern.compile("^import\\s[^;]*;", Pattern.MULTILINE).matcher(body).replaceAll("");
        Matcher qm = QUALIFIED.matcher(body);
        while (qm.find()) {
            used.add(qm.group(1));
        }
        return used;
    }
}
