package dev.parley.command;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One human's line read as a command. {@link #parse} never throws on what a human typed: a line that is not a
 * command gives empty, an unknown word gives {@link Unknown}, bad arguments give {@link Invalid} with the reason.
 *
 * <p>Reading rules: the line must start with the prefix (compared ignoring case, so "Parley:" works as well as
 * "parley:"); the command word follows it directly, except that spaces are skipped after a prefix ending in ':'
 * or ',' ("parley: stop"). The word must start with a letter, so "!!!", "!1" or "! " are not commands but
 * excitement. Command words are case-insensitive. Extra words after a command that takes no argument are ignored.
 */
public sealed interface CommandLine {
    /** Bounds on {@code !pace}: a pause of an hour between turns is already a stopped conversation. */
    BigDecimal MAX_PACE_SECONDS = BigDecimal.valueOf(3600);
    int MAX_TURNS = 1_000_000;
    /** {@code !retract} takes back at most this many messages at once: more is a new episode. */
    int MAX_RETRACT = 50;

    /** The command word as typed, lower case ("stop", or "frobnicate" for an unknown one). */
    String word();

    /** A command that acts on the conversation through {@link Control}. */
    sealed interface Action extends CommandLine {
        CommandName name();

        @Override
        default String word() {
            return name().word();
        }

        /** Runs the command for {@code by} and returns the Control's one-line answer. */
        String run(Control control, String by);
    }

    record Help() implements CommandLine {
        @Override
        public String word() {
            return CommandName.HELP.word();
        }
    }

    record Status() implements Action {
        public CommandName name() {
            return CommandName.STATUS;
        }

        public String run(Control control, String by) {
            return control.status();
        }
    }

    record Pause() implements Action {
        public CommandName name() {
            return CommandName.PAUSE;
        }

        public String run(Control control, String by) {
            return control.pause(by);
        }
    }

    record Resume() implements Action {
        public CommandName name() {
            return CommandName.RESUME;
        }

        public String run(Control control, String by) {
            return control.resume(by);
        }
    }

    record Stop(Optional<String> reason) implements Action {
        public CommandName name() {
            return CommandName.STOP;
        }

        public String run(Control control, String by) {
            return control.stop(by, reason);
        }
    }

    record Start(Optional<String> openingLine) implements Action {
        public CommandName name() {
            return CommandName.START;
        }

        public String run(Control control, String by) {
            return control.start(by, openingLine);
        }
    }

    record Next(String seat) implements Action {
        public CommandName name() {
            return CommandName.NEXT;
        }

        public String run(Control control, String by) {
            return control.next(by, seat);
        }
    }

    record Mute(String seat) implements Action {
        public CommandName name() {
            return CommandName.MUTE;
        }

        public String run(Control control, String by) {
            return control.mute(by, seat);
        }
    }

    record Unmute(String seat) implements Action {
        public CommandName name() {
            return CommandName.UNMUTE;
        }

        public String run(Control control, String by) {
            return control.unmute(by, seat);
        }
    }

    /** Wait between turns, drawn between min and max (equal when one number was given). */
    record Pace(Duration min, Duration max) implements Action {
        public CommandName name() {
            return CommandName.PACE;
        }

        public String run(Control control, String by) {
            return control.pace(by, min, max);
        }
    }

    record Turns(int turns) implements Action {
        public CommandName name() {
            return CommandName.TURNS;
        }

        public String run(Control control, String by) {
            return control.turns(by, turns);
        }
    }

    /** The moderation gate's state and counts; with {@code on} present, switches it for the current episode. */
    record Filter(Optional<Boolean> on) implements Action {
        public CommandName name() {
            return CommandName.FILTER;
        }

        public String run(Control control, String by) {
            return control.filter(by, on);
        }
    }

    record Transcript() implements Action {
        public CommandName name() {
            return CommandName.TRANSCRIPT;
        }

        public String run(Control control, String by) {
            return control.transcript(by);
        }
    }

    /** Picks who plays the next episode: seats by id, name or nick, or a random draw ({@code random} true). */
    record Cast(List<String> seats, boolean random) implements Action {
        public Cast {
            seats = List.copyOf(seats);
        }

        public CommandName name() {
            return CommandName.CAST;
        }

        public String run(Control control, String by) {
            return control.cast(by, seats, random);
        }
    }

    record Invite(String seat) implements Action {
        public CommandName name() {
            return CommandName.INVITE;
        }

        public String run(Control control, String by) {
            return control.invite(by, seat);
        }
    }

    record Dismiss(String seat) implements Action {
        public CommandName name() {
            return CommandName.DISMISS;
        }

        public String run(Control control, String by) {
            return control.dismiss(by, seat);
        }
    }

    /** The last model message (of {@code seat}, if named) is taken back and its seat answers again. */
    record Retry(Optional<String> seat) implements Action {
        public CommandName name() {
            return CommandName.RETRY;
        }

        public String run(Control control, String by) {
            return control.retry(by, seat);
        }
    }

    /** The last {@code count} messages leave the models' context and the transcript. */
    record Retract(int count) implements Action {
        public CommandName name() {
            return CommandName.RETRACT;
        }

        public String run(Control control, String by) {
            return control.retract(by, count);
        }
    }

    /** A director's note only {@code seat} sees, in its next context. */
    record Note(String seat, String text) implements Action {
        public CommandName name() {
            return CommandName.NOTE;
        }

        public String run(Control control, String by) {
            return control.note(by, seat, text);
        }
    }

    /** Another model of the seat's provider, from its next turn. */
    record Model(String seat, String model) implements Action {
        public CommandName name() {
            return CommandName.MODEL;
        }

        public String run(Control control, String by) {
            return control.model(by, seat, model);
        }
    }

    /** A new system prompt for the seat, for the rest of the episode. */
    record SystemPrompt(String seat, String prompt) implements Action {
        public CommandName name() {
            return CommandName.SYSTEM;
        }

        public String run(Control control, String by) {
            return control.system(by, seat, prompt);
        }
    }

    record Topic(String text) implements Action {
        public CommandName name() {
            return CommandName.TOPIC;
        }

        public String run(Control control, String by) {
            return control.topic(by, text);
        }
    }

    /** Re-reads the config file; {@code checkOnly} says what would change without changing it. */
    record Reload(boolean checkOnly) implements Action {
        public CommandName name() {
            return CommandName.RELOAD;
        }

        public String run(Control control, String by) {
            return control.reload(by, checkOnly);
        }
    }

    /** A prefixed word that is no command of ours (perhaps meant for another bot in the channel). */
    record Unknown(String word) implements CommandLine { }

    /** A known command with arguments that do not fit; {@code problem} says why, in a few words. */
    record Invalid(CommandName name, String problem) implements CommandLine {
        @Override
        public String word() {
            return name.word();
        }
    }

    /** Reads {@code line} as typed by a human; empty when it is not a command at all. */
    static Optional<CommandLine> parse(String prefix, String line) {
        Objects.requireNonNull(prefix, "prefix");
        if (line == null || prefix.isEmpty() || !line.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return Optional.empty();
        }
        int at = prefix.length();
        char last = prefix.charAt(prefix.length() - 1);
        if (last == ':' || last == ',') {
            while (at < line.length() && line.charAt(at) == ' ') {
                at++;
            }
        }
        int wordEnd = at;
        while (wordEnd < line.length() && !Character.isWhitespace(line.charAt(wordEnd))) {
            wordEnd++;
        }
        String word = line.substring(at, wordEnd);
        if (!CommandArguments.WORD.matcher(word).matches()) {
            return Optional.empty();
        }
        // A Matrix message can span lines; arguments are read as one line so answers and notices stay one line.
        String args = CommandArguments.LINE_BREAKS.matcher(line.substring(wordEnd)).replaceAll(" ").strip();
        Optional<CommandName> name = CommandName.of(word);
        if (name.isEmpty()) {
            return Optional.of(new Unknown(word.toLowerCase(Locale.ROOT)));
        }
        return Optional.of(name.get().read(args));
    }
}
