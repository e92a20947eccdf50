package dev.parley.command;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The argument rules of each command: what a human may type after the command word. */
final class CommandArguments {
    static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n\\u0085\\u2028\\u2029]+");
    static final Pattern WORD = Pattern.compile("\\p{Alpha}[\\p{Alnum}_-]{0,31}");
    private static final String SECONDS = "(\\d{1,6}(?:\\.\\d+)?|\\.\\d+)\\s*s?";
    private static final Pattern PACE = Pattern.compile(SECONDS + "(?:\\s*-\\s*" + SECONDS + ")?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern COUNT = Pattern.compile("\\+?\\d{1,9}");

    private CommandArguments() { }

    /** A command without arguments: extra words are ignored. */
    static CommandName.Reader none(Supplier<CommandLine> make) {
        return (name, args) -> make.get();
    }

    /** An optional text: the rest of the line, if any. */
    static CommandName.Reader optionalText(Function<Optional<String>, CommandLine> make) {
        return (name, args) -> make.apply(args.isEmpty() ? Optional.empty() : Optional.of(args));
    }

    /** A required text: the rest of the line; {@code noText} answers a line without one. */
    static CommandName.Reader text(Function<String, CommandLine> make, String noText) {
        return (name, args) -> args.isEmpty() ? new CommandLine.Invalid(name, noText) : make.apply(args);
    }

    /** One seat, by name, id or nick: the rest of the line. */
    static CommandName.Reader seat(Function<String, CommandLine> make) {
        return (name, args) -> args.isEmpty() ? whichSeat(name) : make.apply(args);
    }

    /** "{@code <seat> <text...>}": the first word names the seat, the rest (one line) is the text. */
    static CommandName.Reader seatAndText(BiFunction<String, String, CommandLine> make, String noText) {
        return (name, args) -> {
            if (args.isEmpty()) {
                return whichSeat(name);
            }
            String[] parts = args.split("\\s+", 2);
            if (parts.length < 2 || parts[1].isBlank()) {
                return new CommandLine.Invalid(name, noText);
            }
            return make.apply(parts[0], parts[1].strip());
        };
    }

    static CommandLine reload(CommandName name, String args) {
        if (args.isEmpty() || args.equalsIgnoreCase("check")) {
            return new CommandLine.Reload(!args.isEmpty());
        }
        return new CommandLine.Invalid(name, "'" + shorten(args) + "' is not \"check\"");
    }

    static CommandLine filter(CommandName name, String args) {
        if (args.isEmpty()) {
            return new CommandLine.Filter(Optional.empty());
        }
        if (args.equalsIgnoreCase("on") || args.equalsIgnoreCase("off")) {
            return new CommandLine.Filter(Optional.of(args.equalsIgnoreCase("on")));
        }
        return new CommandLine.Invalid(name, "'" + shorten(args) + "' is not \"on\" or \"off\"");
    }

    private static CommandLine whichSeat(CommandName name) {
        return new CommandLine.Invalid(name, "which seat?");
    }

    static CommandLine pace(CommandName name, String args) {
        if (args.isEmpty()) {
            return new CommandLine.Invalid(CommandName.PACE, "how many seconds?");
        }
        Matcher m = PACE.matcher(args);
        if (!m.matches()) {
            return new CommandLine.Invalid(CommandName.PACE, "'" + shorten(args) + "' is not seconds like 5 or 2.5-10");
        }
        BigDecimal min = new BigDecimal(m.group(1));
        BigDecimal max = m.group(2) == null ? min : new BigDecimal(m.group(2));
        if (min.compareTo(CommandLine.MAX_PACE_SECONDS) > 0 || max.compareTo(CommandLine.MAX_PACE_SECONDS) > 0) {
            return new CommandLine.Invalid(CommandName.PACE, "at most " + CommandLine.MAX_PACE_SECONDS + " seconds");
        }
        if (min.compareTo(max) > 0) {
            return new CommandLine.Invalid(CommandName.PACE, "the first number must not be larger than the second");
        }
        return new CommandLine.Pace(millis(min), millis(max));
    }

    private static Duration millis(BigDecimal seconds) {
        return Duration.ofMillis(seconds.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact());
    }

    static CommandLine turns(CommandName name, String args) {
        if (args.isEmpty()) {
            return new CommandLine.Invalid(CommandName.TURNS, "how many turns?");
        }
        if (!COUNT.matcher(args).matches()) {
            return new CommandLine.Invalid(CommandName.TURNS, "'" + shorten(args) + "' is not a whole number");
        }
        long turns = Long.parseLong(args.startsWith("+") ? args.substring(1) : args);
        if (turns < 1 || turns > CommandLine.MAX_TURNS) {
            return new CommandLine.Invalid(CommandName.TURNS, "between 1 and " + CommandLine.MAX_TURNS);
        }
        return new CommandLine.Turns((int) turns);
    }

    static CommandLine cast(CommandName name, String args) {
        List<String> seats = args.isEmpty() ? List.of() : List.of(args.split("[\\s,]+"));
        if (seats.isEmpty()) {
            return new CommandLine.Invalid(CommandName.CAST, "which seats?");
        }
        if (seats.size() == 1 && seats.get(0).equalsIgnoreCase("random")) {
            return new CommandLine.Cast(List.of(), true);
        }
        return new CommandLine.Cast(seats, false);
    }

    static CommandLine retract(CommandName name, String args) {
        if (args.isEmpty()) {
            return new CommandLine.Retract(1);
        }
        if (!COUNT.matcher(args).matches()) {
            return new CommandLine.Invalid(CommandName.RETRACT, "'" + shorten(args) + "' is not a whole number");
        }
        long n = Long.parseLong(args.startsWith("+") ? args.substring(1) : args);
        if (n < 1 || n > CommandLine.MAX_RETRACT) {
            return new CommandLine.Invalid(CommandName.RETRACT, "between 1 and " + CommandLine.MAX_RETRACT);
        }
        return new CommandLine.Retract((int) n);
    }

    /** Echoes at most a few words of what was typed, so an answer stays one short line. */
    private static String shorten(String typed) {
        return typed.length() <= 20 ? typed : typed.substring(0, 20) + "\u2026";
    }
}
