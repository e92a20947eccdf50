package dev.parley.conversation;

import dev.parley.command.Control;
import dev.parley.config.SeatConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What moderators' commands do to a conversation and what they answer. Runs on the conversation's loop;
 * user mistakes (an unknown seat, pausing what is not running) are answers, never exceptions.
 */
final class Moderation implements Control {
    private final EpisodeState s;
    private final Lifecycle life;
    private final Steering steer;
    private final ReplyGate gate;
    private final String prefix;

    Moderation(EpisodeState state, Lifecycle life, Steering steering, ReplyGate gate) {
        this.s = state;
        this.life = life;
        this.steer = steering;
        this.gate = gate;
        this.prefix = state.prefix();
    }

    @Override
    public String status() {
        return life.statusLine();
    }

    @Override
    public String pause(String by) {
        if (!life.isRunning()) {
            return "Not running (" + life.stateName() + ").";
        }
        life.pause(by, "by " + by);
        return "Paused. " + prefix + "resume to go on.";
    }

    @Override
    public String resume(String by) {
        if (!life.isPaused()) {
            return "Not paused.";
        }
        life.resume(by);
        return "Resumed.";
    }

    @Override
    public String stop(String by, Optional<String> reason) {
        if (life.isEnded()) {
            return "Already ended.";
        }
        life.end("stopped by " + by + reason.map(r -> ": " + r).orElse(""));
        return "Stopped.";
    }

    @Override
    public String start(String by, Optional<String> openingLine) {
        if (!life.isWaitingForStart()) {
            return life.isEnded() ? "This conversation has ended." : "Already started.";
        }
        life.startWith(openingLine);
        return "Started by " + by + ".";
    }

    @Override
    public String next(String by, String seatRef) {
        Optional<Seat> seat = s.find(seatRef);
        if (seat.isEmpty()) {
            return unknownSeat(seatRef);
        }
        if (seat.get().muted) {
            return seat.get().name() + " is muted; " + prefix + "unmute " + seat.get().id() + " first.";
        }
        steer.giveNextTurnTo(seat.get());
        return seat.get().name() + " speaks next.";
    }

    @Override
    public String mute(String by, String seatRef) {
        Optional<Seat> seat = s.find(seatRef);
        if (seat.isEmpty()) {
            return unknownSeat(seatRef);
        }
        steer.setMuted(by, seat.get(), true);
        return seat.get().name() + " is muted.";
    }

    @Override
    public String unmute(String by, String seatRef) {
        Optional<Seat> seat = s.find(seatRef);
        if (seat.isEmpty()) {
            return unknownSeat(seatRef);
        }
        steer.setMuted(by, seat.get(), false);
        return seat.get().name() + " may speak again.";
    }

    @Override
    public String pace(String by, Duration min, Duration max) {
        s.pacer.set(min, max);
        return "Pace set to " + s.pacer.describe() + " between turns.";
    }

    @Override
    public String turns(String by, int limit) {
        life.limitTurns(limit);
        return "Turn limit set to " + limit + " (" + s.turns + " taken).";
    }

    @Override
    public String filter(String by, Optional<Boolean> on) {
        if (on.isEmpty()) {
            return gate.filterStatus() + ".";
        }
        if (life.isEnded()) {
            return ended();
        }
        gate.switchFilter(by, on.get());
        return on.get() ? "Filter on for this episode." : "Filter off for this episode: model messages go out "
                + "unchecked until " + prefix + "filter on or the next episode.";
    }

    @Override
    public String transcript(String by) {
        return "Transcript so far: " + life.writeTranscript();
    }

    /** A lone conversation has no next episode; the host answers this one when there is a series. */
    @Override
    public String cast(String by, List<String> seatRefs, boolean random) {
        return "There is no next episode to cast here.";
    }

    @Override
    public String reload(String by, boolean checkOnly) {
        return "There is no config file to reload here.";
    }

    @Override
    public String invite(String by, String seatRef) {
        if (life.isEnded()) {
            return ended();
        }
        if (s.find(seatRef).isPresent()) {
            return s.find(seatRef).get().name() + " is already in.";
        }
        Optional<SeatConfig> guest = steer.rosterSeat(seatRef);
        if (guest.isEmpty()) {
            return "No seat \"" + seatRef + "\" in the roster; roster: " + String.join(", ", rosterNames()) + ".";
        }
        if (!steer.takesGuests()) {
            return "Seats cannot be invited in this conversation.";
        }
        steer.invite(by, guest.get());
        return "Inviting " + guest.get().name() + "; it takes turns once it is in.";
    }

    @Override
    public String dismiss(String by, String seatRef) {
        if (life.isEnded()) {
            return ended();
        }
        Optional<Seat> seat = s.find(seatRef);
        if (seat.isEmpty()) {
            return unknownSeat(seatRef);
        }
        if (s.seatList().size() == 1) {
            return seat.get().name() + " is the last seat; " + prefix + "stop ends the episode.";
        }
        steer.dismiss(by, seat.get());
        return seat.get().name() + " has left.";
    }

    @Override
    public String retry(String by, Optional<String> seatRef) {
        if (life.isEnded()) {
            return ended();
        }
        Optional<Seat> seat = Optional.empty();
        if (seatRef.isPresent()) {
            seat = s.find(seatRef.get());
            if (seat.isEmpty()) {
                return unknownSeat(seatRef.get());
            }
            if (seat.get().muted) {
                return seat.get().name() + " is muted; " + prefix + "unmute " + seat.get().id() + " first.";
            }
        }
        if (!steer.hasModelMessage(seat)) {
            return "Nothing to retry: " + seat.map(s -> s.name() + " has").orElse("no seat has") + " said anything.";
        }
        String who = steer.retry(by, seat);
        return "Retracted; " + who + " answers again.";
    }

    @Override
    public String retract(String by, int count) {
        if (life.isEnded()) {
            return ended();
        }
        int taken = steer.retract(by, count);
        if (taken == 0) {
            return "Nothing to retract.";
        }
        return "Retracted " + taken + " message" + (taken == 1 ? "" : "s") + ".";
    }

    @Override
    public String note(String by, String seatRef, String text) {
        return onSeat(seatRef, seat -> {
            steer.note(by, seat, text);
            return "Noted: " + seat.name() + " reads it in its next turn.";
        });
    }

    @Override
    public String model(String by, String seatRef, String modelId) {
        return onSeat(seatRef, seat -> steer.swapModel(by, seat, modelId)
                .map(why -> "Cannot change " + seat.name() + "'s model: " + why + ".")
                .orElse(seat.name() + " uses " + modelId + " from its next turn."));
    }

    @Override
    public String system(String by, String seatRef, String prompt) {
        return onSeat(seatRef, seat -> {
            steer.systemPrompt(by, seat, prompt);
            return seat.name() + "'s system prompt is replaced for the rest of the episode.";
        });
    }

    @Override
    public String topic(String by, String text) {
        if (life.isEnded()) {
            return ended();
        }
        steer.topic(by, s.commandOrigin, text);
        return "Topic set.";
    }

    @Override
    public List<String> seatNames() {
        return s.seatList().stream().map(s -> s.id() + " (" + s.name() + ")").toList();
    }

    private String onSeat(String seatRef, Function<Seat, String> act) {
        if (life.isEnded()) {
            return ended();
        }
        Optional<Seat> seat = s.find(seatRef);
        return seat.isPresent() ? act.apply(seat.get()) : unknownSeat(seatRef);
    }

    private List<String> rosterNames() {
        return steer.roster().stream().map(s -> s.id() + " (" + s.name() + ")").toList();
    }

    private static String ended() {
        return "This episode has ended.";
    }

    private String unknownSeat(String ref) {
        return "No seat \"" + ref + "\"; seats: " + String.join(", ", seatNames()) + ".";
    }
}
