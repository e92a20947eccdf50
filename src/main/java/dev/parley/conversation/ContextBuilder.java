package dev.parley.conversation;

import dev.parley.config.ContextConfig;
import dev.parley.core.Message;
import dev.parley.core.SeatId;
import dev.parley.model.ModelRequest;
import dev.parley.model.Role;
import dev.parley.model.Turn;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
    /** Each seat's turns as of its last turn (used on the conversation's loop only). */
    private final Map<SeatId, SeatWindow> windows = new HashMap<>();
    /** "Name: " for each speaker, made once: every other seat's turn in a window starts with one. */
    private final Map<String, String> prefixes = new HashMap<>();
    /** Each seat's system prompt and stop sequences as of its last turn: they seldom change. */
    private final Map<SeatId, Framing> framings = new HashMap<>();

    ContextBuilder(ContextConfig config, String roomNames) {
        this.config = config;
        this.roomNames = roomNames;
    }

    /** Who the seat is, as the builder needs it. */
    record Self(SeatId id, String name, String systemPrompt, int budgetTokens) { }

    /**
     * The seat's request for this turn, from its window as of its last turn plus what was said since: a turn costs
     * what changed, not what the history or the context holds.
     */
    ModelRequest build(Self self, List<String> seatNames, History history, Optional<String> openingLine) {
        Framing framing = framings.get(self.id());
        if (framing == null || !framing.fits(self, seatNames, history)) {
            framing = new Framing(self.name(), self.systemPrompt(), seatNames, history, history.visibleSpeakers().size(),
                    history.removals(), systemPrompt(self, seatNames), stopSequences(self, seatNames, history));
            framings.put(self.id(), framing);
        }
        String system = framing.system();
        long budget = self.budgetTokens() - tokens(system);
        String opening = openingLine.filter(o -> !o.isEmpty()).orElse(null);
        SeatWindow window = windows.get(self.id());
        if (window == null || !window.follows(history, budget, opening)) {
            window = new SeatWindow(history, budget, opening, config.charsPerToken());
            windows.put(self.id(), window);
        }
        for (int i = window.seen(); i < history.size(); i++) {
            Message m = history.get(i);
            if (visibleToModels(m)) {
                boolean own = self.id().equals(m.speaker().seat());
                if (own) {
                    window.add(Role.ASSISTANT, m.text());
                } else {
                    window.add(Role.USER, prefixes.computeIfAbsent(m.speaker().name(), n -> n + ": "), m.text());
                }
            }
        }
        window.seenUpTo(history.size());
        return new ModelRequest(system, window.request(Turn.user(SILENCE_CUE), Turn.user(BLANK_PROMPT)),
                framing.stops());
    }

    /**
     * A seat's system prompt and stop sequences, and what they were made of: the seat's name and own prompt, who
     * sits at the table, and who has been heard in this history (which only grows, until messages are taken out).
     */
    private record Framing(String name, String ownPrompt, List<String> seatNames, History history, int speakers,
                           int removals, String system, List<String> stops) {
        boolean fits(Self self, List<String> seatNames, History now) {
            return name.equals(self.name()) && ownPrompt.equals(self.systemPrompt())
                    && this.seatNames.equals(seatNames) && history == now && speakers == now.visibleSpeakers().size()
                    && removals == now.removals();
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
