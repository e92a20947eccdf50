package dev.parley.config;

import java.util.List;

/**
 * A configuration that cannot be used, with every problem found in it (not just the first), so a user fixes
 * them all in one go. The message is meant to be printed as is, one problem per line; no stack trace needed.
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

    private static String render(List<ConfigProblem> problems) {
        StringBuilder out = new StringBuilder();
        out.append(problems.size() == 1 ? "1 problem" : problems.size() + " problems").append(" in the configuration:");
        for (ConfigProblem p : problems) {
            out.append(System.lineSeparator()).append("  ").append(p.format());
        }
        return out.toString();
    }
}
