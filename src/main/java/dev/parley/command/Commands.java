package dev.parley.command;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The command dispatcher: reads a human's line, lets one permission filter decide, then acts on {@link Control}.
 *
 * <p>Permissions, decided in {@code permission} and nowhere else: operators may run every command. Everyone else
 * may run {@code !help} (it only lists commands and seats, and tells them the rest is for operators); any other
 * known command gets a one-line refusal naming them. An unknown command from a non-operator gets no answer at all,
 * since in a shared channel "!seen" or "!weather" is usually meant for some other bot; operators get a hint.
 *
 * <p>Only lines typed by humans may be passed here. The engine never hands text produced by a model to
 * {@link #handle}, whatever it starts with; {@link Invoker} has no way to name a model, to make that visible.
 * A {@link Control} that throws is a bug and is left to propagate to the engine, which logs it.
 */
public final class Commands {
    public static final String DEFAULT_PREFIX = "!";

    private final String prefix;

    /** @param prefix what starts a command ("!" by default); not blank, no whitespace at its ends, one line */
    public Commands(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isBlank() || !prefix.strip().equals(prefix) || prefix.indexOf('\n') >= 0
                || prefix.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("command prefix must be one non-blank line without surrounding "
                    + "spaces, got '" + prefix + "'");
        }
        this.prefix = prefix;
    }

    public Commands() {
        this(DEFAULT_PREFIX);
    }

    public String prefix() {
        return prefix;
    }

    /** Reads a line without acting on it: empty when it is not a command (for callers deciding what to journal). */
    public Optional<CommandLine> parse(String line) {
        return CommandLine.parse(prefix, line);
    }

    /**
     * Handles one line a human typed. Empty when the line is not a command (or is an unknown one from a
     * non-operator); otherwise the one-line answer to post in the room.
     */
    public Optional<String> handle(Invoker invoker, String line, Control control) {
        Objects.requireNonNull(invoker, "invoker");
        Objects.requireNonNull(control, "control");
        Optional<CommandLine> parsed = parse(line);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        CommandLine command = parsed.get();
        switch (permission(invoker, command)) {
            case IGNORE:
                return Optional.empty();
            case REFUSE:
                return Optional.of(invoker.name() + ": sorry, only operators can run " + prefix + command.word());
            default:
                return Optional.of(answer(invoker, command, control));
        }
    }

    /** Same as {@link #handle(Invoker, String, Control)} for a human named {@code sender}. */
    public Optional<String> handle(String sender, boolean operator, String line, Control control) {
        return handle(new Invoker(sender, operator), line, control);
    }

    private enum Permission { ALLOW, REFUSE, IGNORE }

    /** The one permission filter in front of every command. */
    private static Permission permission(Invoker invoker, CommandLine command) {
        if (invoker.operator() || command instanceof CommandLine.Help) {
            return Permission.ALLOW;
        }
        return command instanceof CommandLine.Unknown ? Permission.IGNORE : Permission.REFUSE;
    }

    private String answer(Invoker invoker, CommandLine command, Control control) {
        if (command instanceof CommandLine.Help) {
            return help(invoker, control);
        }
        if (command instanceof CommandLine.Unknown unknown) {
            return "unknown command " + prefix + unknown.word() + " \u2014 try " + prefix + "help";
        }
        if (command instanceof CommandLine.Invalid invalid) {
            return prefix + invalid.word() + ": " + invalid.problem() + " \u2014 usage: "
                    + invalid.name().usage(prefix);
        }
        CommandLine.Action action = (CommandLine.Action) command;
        return Objects.requireNonNull(action.run(control, invoker.name()),
                () -> "Control answered null to " + prefix + action.word());
    }

    /** Every command on one line, then the seats, so a human can act on it straight away. */
    private String help(Invoker invoker, Control control) {
        String commands = Arrays.stream(CommandName.values()).map(c -> c.usage(prefix))
                .collect(Collectors.joining(", "));
        List<String> seats = control.seatNames();
        String who = invoker.operator() ? "commands: " : "commands (operators only): ";
        return who + commands + (seats.isEmpty() ? "" : " \u2014 seats: " + String.join(", ", seats));
    }
}
