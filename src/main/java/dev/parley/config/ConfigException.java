package dev.parley.config;

import java.util.List;

/**
 * A configuration that cannot be used, with every problem found in it (not just the first), so a user fixes
 * them all in one go. The message is meant to be printed as is, one problem per line; no stack trace needed.
 * {@link #problems()} gives them one by one.
 */
public final class ConfigException extends RuntimeException {
    private final transient List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(render(problems));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    /**
     * One problem a line, indented, with no heading: the command line prints its own ("the configuration has
     * 2 problems:") above it, and each line names its file, so the message also reads well alone in a log.
     */
    private static String render(List<ConfigProblem> problems) {
        StringBuilder out = new StringBuilder();
        for (ConfigProblem p : problems) {
            if (out.length() > 0) {
                out.append(System.lineSeparator());
            }
            out.append("  ").append(p.format());
        }
        return out.toString();
    }
}
