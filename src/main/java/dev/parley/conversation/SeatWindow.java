package dev.parley.conversation;

import dev.parley.model.Role;
import dev.parley.model.Turn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One seat's turns, kept from one of its turns to the next: each turn adds what was said since and drops from the
 * front what no longer fits, so a turn costs what changed rather than what the context holds (rebuilding the
 * context from the history was the largest part of a turn's processor time, docs/benchmark.md).
 *
 * <p>Consecutive texts of one role are one turn (Anthropic rejects two turns of one role in a row). Turns are
 * dropped whole, oldest first, and the newest is kept even when it alone is over the budget: what a build from the
 * whole history would keep, since adding to the history only ever makes the newest turns cost more.
 */
final class SeatWindow {
    private final History history;
    private final int removals;
    private final long budget;
    private final String opening;
    private final double charsPerToken;
    /** Turns oldest first; those before {@link #start} no longer fit and wait to be compacted away. */
    private final ArrayList<Turn> turns = new ArrayList<>();
    private long[] costs = new long[16];
    private int start;
    /** The cost of the turns from {@link #start}. */
    private long total;
    /** How many messages of the history this window has taken in. */
    private int seen;

    /** {@code opening}: the opening line, the oldest user text; null when there is none. */
    SeatWindow(History history, long budget, String opening, double charsPerToken) {
        this.history = history;
        this.removals = history.removals();
        this.budget = budget;
        this.opening = opening;
        this.charsPerToken = charsPerToken;
        if (opening != null) {
            add(Role.USER, opening);
        }
    }

    /** Whether this window can go on from where it is: the same history, nothing taken out of it, the same budget. */
    boolean follows(History h, long budgetNow, String openingNow) {
        return h == history && h.removals() == removals && h.size() >= seen && budgetNow == budget
                && Objects.equals(openingNow, opening);
    }

    int seen() {
        return seen;
    }

    void seenUpTo(int messages) {
        seen = messages;
    }

    /** A text said after everything the window holds: merged into the newest turn when that is of its role. */
    void add(Role role, String text) {
        add(role, "", text);
    }

    /**
     * Like {@link #add(Role, String)}, for the text {@code prefix + body} (another's message with its speaker's
     * name in front), kept apart until a provider asks for the text: the window holds no copy of the message.
     */
    void add(Role role, String prefix, String body) {
        int last = turns.size() - 1;
        if (last >= start && turns.get(last).role() == role) {
            String merged = turns.get(last).text() + "\n" + prefix + body;
            long cost = cost(merged.length());
            total += cost - costs[last];
            costs[last] = cost;
            turns.set(last, new Turn(role, merged));
        } else {
            if (turns.size() == costs.length) {
                costs = Arrays.copyOf(costs, costs.length * 2);
            }
            long cost = cost(prefix.length() + body.length());
            costs[turns.size()] = cost;
            turns.add(Turn.named(role, prefix, body));
            total += cost;
        }
        while (turns.size() - start > 1 && total > budget) {
            total -= costs[start];
            start++;
        }
        if (start > 32 && start > turns.size() / 2) {
            turns.subList(0, start).clear();
            System.arraycopy(costs, start, costs, 0, turns.size());
            start = 0;
        }
    }

    /**
     * The turns for a request, oldest first: the first a user turn, and {@code cue} last when the newest turn is
     * the seat's own (older turns give way to it as they would to any newer turn).
     */
    List<Turn> request(Turn cue, Turn blank) {
        int from = start;
        boolean cued = turns.size() > start && turns.get(turns.size() - 1).role() == Role.ASSISTANT;
        List<Turn> out = new ArrayList<>(turns.size() - start + 2);
        if (cued) {
            long left = total;
            long cueCost = cost(cue.text().length());
            while (from < turns.size() && left + cueCost > budget) {
                left -= costs[from++];
            }
        }
        out.addAll(turns.subList(from, turns.size()));
        if (cued) {
            out.add(cue);
        }
        if (out.isEmpty() || out.get(0).role() != Role.USER) {
            out.add(0, blank);
        }
        return out;
    }

    private long cost(int chars) {
        return (long) Math.ceil(chars / charsPerToken);
    }
}
