package dev.parley.config;

import java.util.List;

/**
 * A configuration that cannot be used, with every problem found in it (not just the first), so a user fixes
 * them all in one go. The message is meant to be printed as is, one problem per line; no stack trace needed.
 * {@link #problems()} gives them one by one.
 */
public final class ConfigException extends RuntimeException {
    private final transient List<ConfigProblem> problems;
    private final int total;

    public ConfigException(List<ConfigProblem> problems) {
        this(problems, problems.size());
    }

    /** {@code problems} are the ones listed (the first of them); {@code total} counts every problem found. */
    public ConfigException(List<ConfigProblem> problems, int total) {
        super(render(problems, total));
        this.problems = List.copyOf(problems);
        this.total = Math.max(total, problems.size());
    }

    /** The problems listed: all of them, or the first ones when there are very many (see {@link #total}). */
    public List<ConfigProblem> problems() {
        return problems;
    }

    /** How many problems were found in all. */
    public int total() {
        return total;
    }

    /**
     * One problem a line, indented, with no heading: the command line prints its own ("the configuration has
     * 2 problems:") above it, and each line names its file, so the message also reads well alone in a log.
     */
    private static String render(List<ConfigProblem> problems, int total) {
        StringBuilder out = new StringBuilder();
        for (ConfigProblem p : problems) {
            if (out.length() > 0) {
                out.append(System.lineSeparator());
            }
            out.append("  ").append(p.format());
        }
        if (total > problems.size()) {
            out.append(System.lineSeparator()).append("  ... and ").append(total - problems.size()).append(" more");
        }
        return out.toString();
    }
}
