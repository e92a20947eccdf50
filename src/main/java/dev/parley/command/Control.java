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

    /** Where the transcript so far is, after writing it. */
    String transcript(String by);

    /** Seat ids and names, for help and error hints. */
    List<String> seatNames();
}
