package dev.parley.conversation;

import dev.parley.archive.JournalEvent;
import dev.parley.config.ModerationConfig;
import dev.parley.gate.Candidate;
import dev.parley.gate.Verdict;
import dev.parley.model.Usage;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What the moderation gate does to a seat's turn: judges a finished reply or a paragraph about to stream, and
 * when it withholds one, journals it, says so once in the rooms, and asks the seat again, skips its turn or
 * mutes it. The gate itself (word lists, limits, the moderation service) knows nothing of turns.
 */
final class ReplyGate {
    private final EpisodeState s;
    private final Turns turns;

    ReplyGate(EpisodeState state, Turns turns) {
        this.s = state;
        this.turns = turns;
    }

    /** Runs {@code then} with the gate's verdict: at once when it is known at once, else on the loop when it is. */
    void judge(Seat seat, String text, Consumer<Verdict> then) {
        CompletableFuture<Verdict> verdict = s.filter.check(candidate(seat, text));
        Consumer<Verdict> counted = v -> {
            if (s.filter.counted(v)) {
                s.stage.announce("The moderation service is not answering; messages go out checked by the word "
                        + "lists and limits only (" + v.detail() + ").");
            }
            then.accept(v);
        };
        if (verdict.isDone()) {
            counted.accept(verdict.join());
        } else {
            int epoch = turns.inProgress().epoch();
            verdict.thenAccept(v -> turns.onTurn(epoch, () -> counted.accept(v)));
        }
    }

    /**
     * A paragraph about to be shown while its reply streams hits the gate: the paragraphs before it are shown,
     * it and the rest of the reply are not, and the call is dropped. False when it passes.
     */
    boolean stopsStream(Seat seat, String before, String ready) {
        Verdict verdict = s.filter.screen(candidate(seat, ready));
        if (verdict.passes()) {
            return false;
        }
        s.filter.counted(verdict);
        List<String> parts = List.of(ready.split("\n\n"));
        int ok = 0;
        Verdict first = verdict;
        while (ok < parts.size()) {
            Verdict v = s.filter.screen(candidate(seat, parts.get(ok)));
            if (!v.passes()) {
                first = v;
                break;
            }
            ok++;
        }
        if (ok == parts.size()) {
            ok = 0; // only the paragraphs together hit (a limit): none of them is shown
        }
        String passing = String.join("\n\n", parts.subList(0, ok)).strip();
        if (!passing.isEmpty()) {
            turns.postDraft(seat, passing);
        }
        String shown = (before + "\n\n" + passing).strip();
        turns.inProgress().dropModelCall();
        withhold(seat, Usage.NONE, String.join("\n\n", parts.subList(ok, parts.size())),
                shown.isEmpty() ? null : shown, first);
        return true;
    }

    /**
     * The gate kept {@code text} from the rooms: journalled with the rule, one short notice in the rooms, then the
     * seat is asked once more, or its turn is skipped, or it is muted after too many hits. {@code shown}: what the
     * rooms already saw of the reply (its paragraphs streamed), which stays as its message; null when nothing was.
     */
    void withhold(Seat seat, Usage usage, String text, String shown, Verdict verdict) {
        TurnInProgress t = turns.inProgress();
        t.callEnded();
        s.typing(seat, false);
        seat.usage = seat.usage.plus(usage);
        boolean hit = verdict.kind() == Verdict.Kind.HIT;
        boolean muted = hit && s.filter.strike(seat.id().value());
        boolean retry = hit && shown == null && !muted && !t.gateRetried && s.is(EpisodeState.Phase.RUNNING)
                && s.filter.config().onHit() == ModerationConfig.OnHit.RETRY_THEN_SKIP;
        String action = muted ? "muted" : shown != null ? "cut" : !hit ? "held" : retry ? "retried" : "skipped";
        s.stage.record(seq -> new JournalEvent.Withheld(seq, s.clock.now(), seat.id().value(), seat.name(), text,
                verdict.rule(), verdict.detail(), action));
        s.stage.announce("A message from " + seat.name() + " was withheld by the filter." + (muted ? " "
                + seat.name() + " is muted until an operator says " + s.prefix() + "unmute " + seat.id() + "." : ""));
        if (muted) {
            seat.muted = true;
        }
        if (shown != null) {
            turns.recordShown(seat, shown, usage);
            turns.afterMessage(s.history.get(s.history.size() - 1));
            return;
        }
        s.lastTurn = Optional.of(seat.id());
        if (retry) {
            t.gateRetried = true;
            // Told what happened, never what it said: repeating the text would invite the model to say it again.
            seat.note = (seat.note == null ? "" : seat.note + "\n") + "Your last reply was withheld by the room's "
                    + "moderation filter; nobody saw it. Answer again, differently.";
            turns.ask(seat);
        } else {
            turns.goOnUnlessAllMuted();
        }
    }

    /** What the gate judges: the text, who says it and the names it could highlight (seats, their nicks, humans). */
    private Candidate candidate(Seat seat, String text) {
        Set<String> names = new LinkedHashSet<>(s.otherNames(seat));
        s.seats.values().forEach(x -> {
            names.add(x.name());
            x.config.irc().ifPresent(irc -> names.add(irc.nick()));
        });
        return new Candidate(seat.name(), text, names);
    }

    /**
     * After a restart: {@code !filter off|on} and each seat's strikes since its last mute (an {@code !unmute} clears
     * them; a seat muted when parley stopped comes back unmuted, with no strikes).
     */
    void restore(List<JournalEvent> past) {
        Map<String, Integer> strikes = new LinkedHashMap<>();
        for (JournalEvent e : past) {
            if (e instanceof JournalEvent.Steer st && JournalEvent.Steer.FILTER.equals(st.action())) {
                s.filter.turn("on".equals(st.text()));
            } else if (e instanceof JournalEvent.Steer st && JournalEvent.Steer.UNMUTE.equals(st.action())) {
                strikes.remove(st.seat());
            } else if (e instanceof JournalEvent.Withheld w && w.seat() != null) {
                if ("muted".equals(w.action())) {
                    strikes.remove(w.seat());
                } else if (!"moderation-api-down".equals(w.rule())
                        && !JournalEvent.Withheld.KEPT_FROM_MODELS.equals(w.action())) {
                    strikes.merge(w.seat(), 1, Integer::sum);
                }
            }
        }
        strikes.forEach(s.filter::restore);
    }

    /** {@code !filter on|off}: for the rest of this episode, journalled. */
    void switchFilter(String by, boolean on) {
        s.filter.turn(on);
        s.stage.record(seq -> new JournalEvent.Steer(seq, s.clock.now(), by, JournalEvent.Steer.FILTER, null,
                on ? "on" : "off"));
    }

    String filterStatus() {
        return s.filter.describe();
    }
}
