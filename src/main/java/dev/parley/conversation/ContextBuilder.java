package dev.parley.conversation;

import dev.parley.config.ContextConfig;
import dev.parley.core.Message;
import dev.parley.core.SeatId;
import dev.parley.model.ModelRequest;
import dev.parley.model.Role;
import dev.parley.model.Turn;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Builds one seat's view of the room for one turn, as DESIGN.md "How each model sees the room" says:
 * its own messages are assistant turns, everyone else's are user turns written "Name: text", consecutive
 * same-role turns are merged, the first turn is a user turn, the last turn is a user turn too (a short cue
 * when the seat itself spoke last), the oldest turns are trimmed to the seat's budget, and human asides are
 * left out. Commands and notices never enter the history at all.
 */
final class ContextBuilder {
    /** What a seat is sent when it must speak first and nobody gave an opening line. */
    static final String BLANK_PROMPT = " ";
    /**
     * The user turn that closes a request when the seat itself spoke last (the others were skipped or muted).
     * A request ending with the seat's own assistant turn is a prefill on the Anthropic Messages API: the model
     * would continue its old message, and that continuation would be posted as a new one.
     */
    static final String SILENCE_CUE = "(No one else has said anything since your last message. Go on.)";

    private final ContextConfig config;
    private final String roomNames;

    ContextBuilder(ContextConfig config, String roomNames) {
        this.config = config;
        this.roomNames = roomNames;
    }

    /** Who the seat is, as the builder needs it. */
    record Self(SeatId id, String name, String systemPrompt, int budgetTokens) { }

    /**
     * Walks the history from its newest message back, only as far as the budget reaches: a long episode's turn
     * costs what its context holds, not what the whole history holds (rebuilding and trimming all of it took
     * milliseconds a turn after a few thousand messages).
     */
    ModelRequest build(Self self, List<String> seatNames, History history, Optional<String> openingLine) {
        String system = systemPrompt(self, seatNames);
        long budget = self.budgetTokens() - tokens(system);
        Newest newest = new Newest(budget);
        Message last = lastVisible(history);
        if (last != null && self.id().equals(last.speaker().seat())) {
            newest.offer(Role.USER, SILENCE_CUE);
        }
        for (int i = history.size() - 1; i >= 0 && !newest.full; i--) {
            Message m = history.get(i);
            if (visibleToModels(m)) {
                boolean own = self.id().equals(m.speaker().seat());
                newest.offer(own ? Role.ASSISTANT : Role.USER, own ? m.text() : m.speaker().name() + ": " + m.text());
            }
        }
        openingLine.filter(o -> !o.isEmpty()).ifPresent(o -> newest.offer(Role.USER, o));
        List<Turn> turns = newest.oldestFirst();
        if (turns.isEmpty() || turns.get(0).role() != Role.USER) {
            turns.add(0, Turn.user(BLANK_PROMPT));
        }
        return new ModelRequest(system, turns, stopSequences(self, seatNames, history));
    }

    private Message lastVisible(List<Message> history) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (visibleToModels(history.get(i))) {
                return history.get(i);
            }
        }
        return null;
    }

    /**
     * The newest turns that fit the budget, gathered newest first: consecutive texts of one role are one turn
     * (joined by newlines, oldest first; Anthropic rejects two turns of one role in a row), and turns are dropped
     * whole. The newest turn is kept even when it alone
     * is over the budget.
     */
    private final class Newest {
        private final long budget;
        private final List<Turn> kept = new ArrayList<>();
        private long total;
        private Role role;
        private final List<String> run = new ArrayList<>();
        private long runChars;
        /** The run just closed did not fit: nothing older can be kept. */
        boolean full;

        Newest(long budget) {
            this.budget = budget;
        }

        void offer(Role r, String text) {
            if (full) {
                return;
            }
            if (role != null && r != role) {
                close();
                if (full) {
                    return;
                }
            }
            role = r;
            run.add(text);
            runChars += text.length() + (run.size() > 1 ? 1 : 0);
        }

        private void close() {
            long cost = (long) Math.ceil(runChars / config.charsPerToken());
            if (!kept.isEmpty() && total + cost > budget) {
                full = true;
                return;
            }
            StringBuilder text = new StringBuilder((int) runChars);
            for (int i = run.size() - 1; i >= 0; i--) {
                text.append(run.get(i)).append(i > 0 ? "\n" : "");
            }
            kept.add(new Turn(role, text.toString()));
            total += cost;
            run.clear();
            runChars = 0;
        }

        List<Turn> oldestFirst() {
            if (!run.isEmpty() && !full) {
                close();
            }
            List<Turn> out = new ArrayList<>(kept);
            java.util.Collections.reverse(out);
            return out;
        }
    }

    /** An empty history, which knows what of it the models are shown. */
    History newHistory() {
        return new History(this::visibleToModels);
    }

    private boolean visibleToModels(Message m) {
        return m.speaker().isSeat() || config.asidePrefix().isEmpty() || !m.text().startsWith(config.asidePrefix());
    }

    private String systemPrompt(Self self, List<String> seatNames) {
        if (!config.roomPreamble()) {
            return self.systemPrompt();
        }
        List<String> others = seatNames.stream().filter(n -> !n.equals(self.name())).toList();
        String preamble = "You are " + self.name() + ", in a live conversation in " + roomNames + " with "
                + String.join(", ", others) + "; people in the room may join in. Others' messages reach you as"
                + " \"Name: text\". Write only your own next message, without a name prefix.";
        return self.systemPrompt().isBlank() ? preamble : self.systemPrompt().strip() + "\n\n" + preamble;
    }

    long tokens(String text) {
        return (long) Math.ceil(text.length() / config.charsPerToken());
    }

    /** "\nName:" for everyone else who has spoken or sits at the table, so the model stops before impersonating. */
    private static List<String> stopSequences(Self self, List<String> seatNames, History history) {
        Set<String> names = new LinkedHashSet<>(seatNames);
        names.addAll(history.visibleSpeakers());
        names.remove(self.name());
        return names.stream().map(n -> "\n" + n + ":").toList();
    }
}
