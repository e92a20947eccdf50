package dev.parley.config;

import java.util.OptionalInt;

/**
 * Finds where a HOCON text nests objects or lists deeper than any real config does.
 *
 * <p>The HOCON library parses recursively, so a 12 KB file of a few thousand nested braces overflows the stack; how
 * many levels it takes depends on the JVM's stack size. Counting the depth first makes the refusal the same on every
 * machine. Braces inside quoted strings and comments do not count.
 */
final class NestingDepth {
    /** Far above any real config (parley's own nest five or six levels) and far below a stack overflow. */
    static final int MAX = 100;

    private NestingDepth() {
    }

    /** The 1-based line on which {@code text} first nests deeper than {@link #MAX}, if it does. */
    static OptionalInt tooDeepAt(String text) {
        int depth = 0;
        int line = 1;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> line++;
                case '{', '[' -> {
                    if (++depth > MAX) {
                        return OptionalInt.of(line);
                    }
                }
                case '}', ']' -> depth = Math.max(0, depth - 1);
                case '#' -> i = endOfLine(text, i) - 1;
                case '/' -> {
                    if (i + 1 < n && text.charAt(i + 1) == '/') {
                        i = endOfLine(text, i) - 1;
                    }
                }
                case '"' -> {
                    int end = text.startsWith("\"\"\"", i) ? endOfTripleQuoted(text, i + 3) : endOfQuoted(text, i + 1);
                    line += newlines(text, i, end);
                    i = end - 1;
                }
                default -> { }
            }
        }
        return OptionalInt.empty();
    }

    private static int endOfLine(String text, int from) {
        int nl = text.indexOf('\n', from);
        return nl < 0 ? text.length() : nl;
    }

    /** Just past the closing quote (or the line's end: HOCON strings do not span lines). */
    private static int endOfQuoted(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i + 1;
            } else if (c == '\n') {
                return i;
            }
        }
        return text.length();
    }

    private static int endOfTripleQuoted(String text, int from) {
        int close = text.indexOf("\"\"\"", from);
        return close < 0 ? text.length() : close + 3;
    }

    private static int newlines(String text, int from, int to) {
        int count = 0;
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '\n') {
                count++;
            }
        }
        return count;
    }
}
