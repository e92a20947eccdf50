package dev.parley.command;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The commands humans can type: the one registry of them. Each names the argument part of its usage line (for
 * {@code !help}) and how its arguments are read ({@link CommandArguments}); adding a command adds a line here, its
 * {@link CommandLine} record and what it asks of {@link Control}.
 */
public enum CommandName {
    HELP("", CommandArguments.none(CommandLine.Help::new)),
    STATUS("", CommandArguments.none(CommandLine.Status::new)),
    PAUSE("", CommandArguments.none(CommandLine.Pause::new)),
    RESUME("", CommandArguments.none(CommandLine.Resume::new)),
    STOP("[reason]", CommandArguments.optionalText(CommandLine.Stop::new)),
    START("[opening line]", CommandArguments.optionalText(CommandLine.Start::new)),
    NEXT("<seat>", CommandArguments.seat(CommandLine.Next::new)),
    MUTE("<seat>", CommandArguments.seat(CommandLine.Mute::new)),
    UNMUTE("<seat>", CommandArguments.seat(CommandLine.Unmute::new)),
    PACE("<sec>[-<sec>]", CommandArguments::pace),
    TURNS("<n>", CommandArguments::turns),
    TRANSCRIPT("", CommandArguments.none(CommandLine.Transcript::new)),
    CAST("<seat> <seat>...|random", CommandArguments::cast),
    INVITE("<seat>", CommandArguments.seat(CommandLine.Invite::new)),
    DISMISS("<seat>", CommandArguments.seat(CommandLine.Dismiss::new)),
    RETRY("[seat]", CommandArguments.optionalText(CommandLine.Retry::new)),
    RETRACT("[n]", CommandArguments::retract),
    NOTE("<seat> <text>", CommandArguments.seatAndText(CommandLine.Note::new, "what note?")),
    MODEL("<seat> <model id>", CommandArguments.seatAndText(CommandLine.Model::new, "which model?")),
    SYSTEM("<seat> <prompt>", CommandArguments.seatAndText(CommandLine.SystemPrompt::new, "what prompt?")),
    TOPIC("<text>", CommandArguments.text(CommandLine.Topic::new, "what topic?")),
    RELOAD("[check]", CommandArguments::reload),
    FILTER("[on|off]", CommandArguments::filter);

    /** Reads what a human typed after the command word (one line, stripped) into the command or why not. */
    @FunctionalInterface
    interface Reader {
        CommandLine read(CommandName name, String args);
    }

    private final String arguments;
    private final Reader reader;

    CommandName(String arguments, Reader reader) {
        this.arguments = arguments;
        this.reader = reader;
    }

    /** The command with its arguments read, or {@link CommandLine.Invalid} saying what does not fit. */
    CommandLine read(String args) {
        return reader.read(this, args);
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
