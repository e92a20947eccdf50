package dev.parley.command;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What moderators can do to a conversation. Each method returns the one-line answer for the room
 * (a user error such as an unknown seat is an answer too, never an exception).
 * Called on the conversation's own loop.
 */
public interface Control {
    String status();

    String pause(String by);

    String resume(String by);

    String stop(String by, Optional<String> reason);

    String start(String by, Optional<String> openingLine);

    /** Gives the next turn to the seat named (by id, display name or nick, case-insensitive). */
    String next(String by, String seat);

    String mute(String by, String seat);

    String unmute(String by, String seat);

    String pace(String by, Duration min, Duration max);

    /** Sets the turn limit: the conversation stops after {@code turns} turns in all. */
    String turns(String by, int turns);

    /**
     * The moderation gate: its state and counts when {@code on} is empty, else switched on or off for the rest of
     * the current episode (journalled).
     */
    String filter(String by, Optional<Boolean> on);

    /** Where the transcript so far is, after writing it. */
    String transcript(String by);

    /**
     * Picks the cast of the next episode ({@code random}: a draw avoiding recent pairings); refused while an
     * episode runs.
     */
    String cast(String by, List<String> seats, boolean random);

    /** Brings a roster seat into the running episode: it joins the rooms and takes turns from then on. */
    String invite(String by, String seat);

    /** Sends a seat out of the running episode: it leaves the rooms. */
    String dismiss(String by, String seat);

    /** Takes back the last model message (of {@code seat}, if named) and lets the same seat answer again. */
    String retry(String by, Optional<String> seat);

    /** Takes back the last {@code count} messages: out of the models' context and the transcript. */
    String retract(String by, int count);

    /** A director's note that only {@code seat} sees, in its next context. */
    String note(String by, String seat, String text);

    /** The seat uses another model of its provider from its next turn. */
    String model(String by, String seat, String modelId);

    /** Replaces the seat's system prompt for the rest of the episode. */
    String system(String by, String seat, String prompt);

    /** Sets the rooms' topic where the control identity may, and gives it to the models as a human line. */
    String topic(String by, String text);

    /** Re-reads the config file; {@code checkOnly} only says what would change. */
    String reload(String by, boolean checkOnly);

    /** Seat ids and names, for help and error hints. */
    List<String> seatNames();
}
