package dev.parley.conversation;

import dev.parley.archive.JournalEvent;
import dev.parley.config.SeatConfig;
import dev.parley.core.Message;
import dev.parley.core.Speaker;
import dev.parley.room.Room;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Live steering by operators (called by {@link Moderation}, on the loop): retry and retract, notes, system prompts,
 * model swaps, the topic, inviting and dismissing seats, muting, who speaks next. Each is journalled, so a restart
 * picks it up ({@link #restore}).
 */
final class Steering {
    private final EpisodeState s;
    private final Turns turns;

    Steering(EpisodeState state, Turns turns) {
        this.s = state;
        this.turns = turns;
    }

    /** Whether a model message (of {@code seat}, if given) can be retried: one was said, or is being shown. */
    boolean hasModelMessage(Optional<Seat> seat) {
        return s.ledger.lastBySeat(seat.map(Seat::id)).isPresent();
    }

    /** Takes back the seat's last message (the last model message if none is named) and lets it answer again. */
    String retry(String by, Optional<Seat> who) {
        turns.dropTurn();
        Ledger.Entry last = s.ledger.lastBySeat(who.map(Seat::id)).orElseThrow();
        Seat seat = s.seats.get(last.message().speaker().seat());
        takeBack(by, List.of(last));
        s.stage.record(seq -> new JournalEvent.Steer(seq, s.clock.now(), by, JournalEvent.Steer.RETRY,
                seat.id().value(), null));
        giveNextTurnTo(seat);
        return seat.name();
    }

    /** Takes back the last {@code count} messages; returns how many there were. */
    int retract(String by, int count) {
        List<Ledger.Entry> taken = s.ledger.last(count);
        if (taken.isEmpty()) {
            return 0;
        }
        turns.dropTurn();
        takeBack(by, taken);
        turns.rechoose();
        return taken.size();
    }

    /** Out of the models' context and the transcript, redacted or called back in the rooms; journalled. */
    private void takeBack(String by, List<Ledger.Entry> taken) {
        List<Long> seqs = taken.stream().map(Ledger.Entry::seq).toList();
        s.stage.record(seq -> new JournalEvent.Retract(seq, s.clock.now(), by, seqs));
        s.history.removeIf(m -> taken.stream().anyMatch(e -> e.message() == m));
        s.ledger.remove(taken);
        s.health.reset();
        List<Long> refs = taken.stream().flatMap(e -> e.refs().stream()).toList();
        String notice = taken.size() == 1
                ? "A message from " + taken.get(0).message().speaker().name() + " was retracted by " + by + "."
                : taken.size() + " messages were retracted by " + by + ".";
        s.stage.record(seq -> new JournalEvent.Notice(seq, s.clock.now(), notice));
        s.stage.retract(refs, notice);
    }

    void note(String by, Seat seat, String text) {
        seat.note = seat.note == null ? text : seat.note + "\n" + text;
        s.stage.record(seq -> new JournalEvent.Steer(seq, s.clock.now(), by, JournalEvent.Steer.NOTE,
                seat.id().value(), text));
    }

    void systemPrompt(String by, Seat seat, String prompt) {
        seat.systemPrompt = prompt;
        s.stage.record(seq -> new JournalEvent.Steer(seq, s.clock.now(), by, JournalEvent.Steer.SYSTEM,
                seat.id().value(), prompt));
    }

    /** Moves the seat to another model of its provider from its next turn; empty when that cannot be done here. */
    Optional<String> swapModel(String by, Seat seat, String modelId) {
        if (s.seatModels == null) {
            return Optional.of("models cannot be changed in this conversation");
        }
        SeatConfig next = seat.config.withModel(seat.config.model().withModel(modelId));
        try {
            seat.swapModel(next, s.seatModels.connect(next));
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        s.stage.record(seq -> new JournalEvent.Steer(seq, s.clock.now(), by, JournalEvent.Steer.MODEL,
                seat.id().value(), modelId));
        return Optional.empty();
    }

    /** Sets the rooms' topic and lets the models hear it, as the operator's line. */
    void topic(String by, Room origin, String text) {
        s.topic = Optional.of(text);
        s.stage.record(seq -> new JournalEvent.Steer(seq, s.clock.now(), by, JournalEvent.Steer.TOPIC, null, text));
        s.stage.topic(text);
        String line = "Topic: " + text;
        Message message = new Message(Speaker.human(by), line, s.clock.now());
        long said = s.stage.record(seq -> new JournalEvent.Said(seq, message.at(), by, JournalEvent.Said.HUMAN, null,
                line, null, null, null, null, null, null, null, origin == null ? null : origin.name()));
        s.history.add(message);
        s.ledger.heard(said, message);
        turns.rechoose();
    }

    Optional<SeatConfig> rosterSeat(String ref) {
        return s.roster.stream().filter(x -> Seat.answersTo(x, ref)).findFirst();
    }

    List<SeatConfig> roster() {
        return s.roster;
    }

    boolean takesGuests() {
        return s.seatModels != null;
    }

    /** Brings a roster seat in: it joins the rooms, and takes turns once it is in all of them. */
    void invite(String by, SeatConfig config) {
        Seat seat = new Seat(config, s.seatModels.connect(config));
        seat.joining = true;
        s.departed.removeIf(x -> x.id().equals(config.id()));
        s.seats.put(seat.id(), seat);
        s.attendance.add(seat.id(), seat.name());
        if (!s.customPolicy) {
            s.policy = s.configuredPolicy();
        }
        s.stage.record(seq -> new JournalEvent.Steer(seq, s.clock.now(), by, JournalEvent.Steer.INVITE,
                seat.id().value(), seat.name()));
        s.stage.cast(Set.copyOf(s.seats.keySet()));
    }

    /** Sends a seat out: its turn in progress is dropped, it leaves the rooms, the others go on. */
    void dismiss(String by, Seat seat) {
        if (turns.isTurnOf(seat)) {
            turns.dropTurn();
        }
        s.seats.remove(seat.id());
        s.departed.add(seat);
        s.attendance.remove(seat.id());
        s.requestedNext = s.requestedNext.filter(id -> !id.equals(seat.id()));
        if (!s.customPolicy) {
            s.policy = s.configuredPolicy();
        }
        s.stage.record(seq -> new JournalEvent.Steer(seq, s.clock.now(), by, JournalEvent.Steer.DISMISS,
                seat.id().value(), seat.name()));
        s.stage.cast(Set.copyOf(s.seats.keySet()));
        turns.rechoose();
    }

    void giveNextTurnTo(Seat seat) {
        s.requestedNext = Optional.of(seat.id());
        turns.rechoose();
    }

    void setMuted(String by, Seat seat, boolean muted) {
        s.stage.record(seq -> new JournalEvent.Steer(seq, s.clock.now(), by,
                muted ? JournalEvent.Steer.MUTE : JournalEvent.Steer.UNMUTE, seat.id().value(), null));
        seat.muted = muted;
        seat.broken = false;
        if (!muted) {
            s.consecutiveFailures = 0;
            s.filter.forgive(seat.id().value());
        }
        turns.rechoose();
    }

    /** After a restart: the system prompts, models and unread notes operators gave, and the topic. */
    void restore(Resumption.Steering steering) {
        steering.topic().ifPresent(t -> s.topic = Optional.of(t));
        steering.systemPrompts().forEach((id, prompt) -> Optional.ofNullable(s.seats.get(id))
                .ifPresent(x -> x.systemPrompt = prompt));
        steering.notes().forEach((id, note) -> Optional.ofNullable(s.seats.get(id)).ifPresent(x -> x.note = note));
        steering.muted().forEach(id -> Optional.ofNullable(s.seats.get(id)).ifPresent(x -> x.muted = true));
        steering.models().forEach((id, model) -> Optional.ofNullable(s.seats.get(id)).ifPresent(x -> {
            if (s.seatModels != null && !model.equals(x.config.model().model())) {
                SeatConfig swapped = x.config.withModel(x.config.model().withModel(model));
                x.swapModel(swapped, s.seatModels.connect(swapped));
                x.keepModel();
            }
        }));
    }
}
