package dev.parley.command;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The commands humans can type, each with the argument part of its usage line. */
public enum CommandName {
    HELP(""),
    STATUS(""),
    PAUSE(""),
    RESUME(""),
    STOP("[reason]"),
    START("[opening line]"),
    NEXT("<seat>"),
    MUTE("<seat>"),
    UNMUTE("<seat>"),
    PACE("<sec>[-<sec>]"),
    TURNS("<n>"),
    TRANSCRIPT(""),
    CAST("<seat> <seat>...|random"),
    INVITE("<seat>"),
    DISMISS("<seat>"),
    RETRY("[seat]"),
    RETRACT("[n]"),
    NOTE("<seat> <text>"),
    MODEL("<seat> <model id>"),
    SYSTEM("<seat> <prompt>"),
    TOPIC("<text>"),
    RELOAD("[check]"),
    FILTER("[on|off]");

    private final String arguments;

    CommandName(String arguments) {
        this.arguments = arguments;
    }

    /** The word typed after the prefix, lower case: "stop". */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** "!pace <sec>[-<sec>]" for the given prefix. */
    public String usage(String prefix) {
        return arguments.isEmpty() ? prefix + word() : prefix + word() + " " + arguments;
    }

    /** The command a typed word names, whatever its case. */
    public static Optional<CommandName> of(String word) {
        String lower = word.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(c -> c.word().equals(lower)).findFirst();
    }
}
