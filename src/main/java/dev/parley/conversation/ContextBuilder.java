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

    ModelRequest build(Self self, List<String> seatNames, List<Message> history, Optional<String> openingLine) {
        List<Message> visible = history.stream().filter(this::visibleToModels).toList();
        List<Turn> turns = new ArrayList<>();
        openingLine.filter(o -> !o.isEmpty()).ifPresent(o -> turns.add(Turn.user(o)));
        for (Message m : visible) {
            boolean own = self.id().equals(m.speaker().seat());
            turns.add(own ? Turn.assistant(m.text()) : Turn.user(m.speaker().name() + ": " + m.text()));
        }
        if (!turns.isEmpty() && turns.get(turns.size() - 1).role() == Role.ASSISTANT) {
            turns.add(Turn.user(SILENCE_CUE));
        }
        String system = systemPrompt(self, seatNames);
        List<Turn> merged = trimToBudget(merge(turns), self.budgetTokens() - tokens(system));
        if (merged.isEmpty() || merged.get(0).role() != Role.USER) {
            merged.add(0, Turn.user(BLANK_PROMPT));
        }
        return new ModelRequest(system, merged, stopSequences(self, seatNames, visible));
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

    /** Anthropic rejects two turns of one role in a row; other providers read merged turns just as well. */
    static List<Turn> merge(List<Turn> turns) {
        List<Turn> out = new ArrayList<>();
        for (Turn t : turns) {
            int last = out.size() - 1;
            if (last >= 0 && out.get(last).role() == t.role()) {
                out.set(last, new Turn(t.role(), out.get(last).text() + "\n" + t.text()));
            } else {
                out.add(t);
            }
        }
        return out;
    }

    /** Drops whole turns from the oldest until the rest fits; the newest turn is always kept. */
    private List<Turn> trimToBudget(List<Turn> turns, long budget) {
        List<Turn> kept = new ArrayList<>(turns);
        long total = kept.stream().mapToLong(t -> tokens(t.text())).sum();
        while (kept.size() > 1 && total > budget) {
            total -= tokens(kept.remove(0).text());
        }
        if (kept.size() > 1 && kept.get(0).role() == Role.ASSISTANT && total > budget) {
            kept.remove(0);
        }
        return kept;
    }

    long tokens(String text) {
        return (long) Math.ceil(text.length() / config.charsPerToken());
    }

    /** "\nName:" for everyone else who has spoken or sits at the table, so the model stops before impersonating. */
    private static List<String> stopSequences(Self self, List<String> seatNames, List<Message> visible) {
        Set<String> names = new LinkedHashSet<>(seatNames);
        visible.forEach(m -> names.add(m.speaker().name()));
        names.remove(self.name());
        return names.stream().map(n -> "\n" + n + ":").toList();
    }
}
