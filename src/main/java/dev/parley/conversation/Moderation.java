package dev.parley.conversation;

import dev.parley.command.Control;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What moderators' commands do to a conversation and what they answer. Runs on the conversation's loop;
 * user mistakes (an unknown seat, pausing what is not running) are answers, never exceptions.
 */
final class Moderation implements Control {
    private final Conversation c;
    private final String prefix;

    Moderation(Conversation conversation, String prefix) {
        this.c = conversation;
        this.prefix = prefix;
    }

    @Override
    public String status() {
        return c.statusLine();
    }

    @Override
    public String pause(String by) {
        if (!c.isRunning()) {
            return "Not running (" + c.stateName() + ").";
        }
        c.pause(by, "by " + by);
        return "Paused. " + prefix + "resume to go on.";
    }

    @Override
    public String resume(String by) {
        if (!c.isPaused()) {
            return "Not paused.";
        }
        c.resume(by);
        return "Resumed.";
    }

    @Override
    public String stop(String by, Optional<String> reason) {
        if (c.isEnded()) {
            return "Already ended.";
        }
        c.end("stopped by " + by + reason.map(r -> ": " + r).orElse(""));
        return "Stopped.";
    }

    @Override
    public String start(String by, Optional<String> openingLine) {
        if (!c.isWaitingForStart()) {
            return c.isEnded() ? "This conversation has ended." : "Already started.";
        }
        c.startWith(openingLine);
        return "Started by " + by + ".";
    }

    @Override
    public String next(String by, String seatRef) {
        Optional<Seat> seat = c.find(seatRef);
        if (seat.isEmpty()) {
            return unknownSeat(seatRef);
        }
        if (seat.get().muted) {
            return seat.get().name() + " is muted; " + prefix + "unmute " + seat.get().id() + " first.";
        }
        c.giveNextTurnTo(seat.get());
        return seat.get().name() + " speaks next.";
    }

    @Override
    public String mute(String by, String seatRef) {
        Optional<Seat> seat = c.find(seatRef);
        if (seat.isEmpty()) {
            return unknownSeat(seatRef);
        }
        c.setMuted(seat.get(), true);
        return seat.get().name() + " is muted.";
    }

    @Override
    public String unmute(String by, String seatRef) {
        Optional<Seat> seat = c.find(seatRef);
        if (seat.isEmpty()) {
            return unknownSeat(seatRef);
        }
        c.setMuted(seat.get(), false);
        return seat.get().name() + " may speak again.";
    }

    @Override
    public String pace(String by, Duration min, Duration max) {
        c.pacer().set(min, max);
        return "Pace set to " + c.pacer().describe() + " between turns.";
    }

    @Override
    public String turns(String by, int limit) {
        c.limitTurns(limit);
        return "Turn limit set to " + limit + " (" + c.turnsTaken() + " taken).";
    }

    @Override
    public String transcript(String by) {
        return "Transcript so far: " + c.writeTranscript();
    }

    @Override
    public List<String> seatNames() {
        return c.seatList().stream().map(s -> s.id() + " (" + s.name() + ")").toList();
    }

    private String unknownSeat(String ref) {
        return "No seat \"" + ref + "\"; seats: " + String.join(", ", seatNames()) + ".";
    }
}
