package dev.parley.config;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Says where and why an {@code include} failed. The HOCON library reports a missing required include by the
 * included name alone, in Java's words ("missing.conf: java.io.FileNotFoundException: ..."), without the line of
 * the include; the line is found here by reading the including file, and the reason said plainly.
 */
final class IncludeProblem {
    private IncludeProblem() { }

    /** The problem for a failed include in {@code file}, or empty when {@code e} is about {@code file} itself. */
    static Optional<ConfigException> of(Path file, com.typesafe.config.ConfigException.IO e) {
        String name = e.origin() == null ? "" : e.origin().description();
        if (name.isEmpty() || name.equals(file.toString()) || Path.of(name).equals(file.toAbsolutePath())) {
            return Optional.empty();
        }
        int line = -1;
        String statement = "include \"" + name + "\"";
        List<String> lines = readLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            if (text.startsWith("include") && text.contains("\"" + name + "\"")) {
                line = i + 1;
                statement = text;
                break;
            }
        }
        return Optional.of(new ConfigException(List.of(new ConfigProblem(file.toString(), line, "",
                statement + ": " + reason(file, name, statement, e.getCause())))));
    }

    private static String reason(Path file, String name, String statement, Throwable cause) {
        boolean notFound = cause instanceof FileNotFoundException
                || cause != null && String.valueOf(cause.getMessage()).contains("not found");
        if (!notFound) {
            return "cannot be read (" + (cause == null ? "unknown reason" : cause.getMessage()) + ")";
        }
        if (statement.contains("classpath(")) {
            return "no such resource in parley's jar: " + name;
        }
        if (statement.contains("url(")) {
            return "nothing found at " + name;
        }
        Path p = Path.of(name);
        // A plain include is looked up beside the including file; file("...") from the working directory.
        Path where = statement.contains("file(") || p.isAbsolute() ? p.toAbsolutePath()
                : file.toAbsolutePath().getParent().resolve(p);
        return "no such file " + where;
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
