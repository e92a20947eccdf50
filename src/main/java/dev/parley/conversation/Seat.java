package dev.parley.conversation;

import dev.parley.config.SeatConfig;
import dev.parley.core.SeatId;
import dev.parley.core.Speaker;
import dev.parley.model.ModelClient;
import dev.parley.model.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A seat at the table while a conversation runs: its config, its model, and what happened to it so far. */
final class Seat {
    /** Swapped, with {@link #model}, by an operator's {@code !model}. */
    SeatConfig config;
    ModelClient model;
    final Speaker speaker;
    boolean muted;
    /** Muted because its model failed for good (401, 404, a finished script), not by an operator. */
    boolean broken;
    /** Invited mid-episode and not in every room yet: it takes no turn until it is. */
    boolean joining;
    Usage usage = Usage.NONE;
    /** The system prompt for this episode: the configured one, until an operator's {@code !system}. */
    String systemPrompt;
    /** A director's note for the seat's next context ({@code !note}), or null. */
    String note;
    /** The config and model before a {@code !model} swap, kept until the new model has answered once. */
    SeatConfig previousConfig;
    ModelClient previousModel;

    Seat(SeatConfig config, ModelClient model) {
        this.config = config;
        this.model = model;
        this.speaker = Speaker.seat(config.id(), config.name());
        this.systemPrompt = config.systemPrompt();
    }

    /** Uses another model from the next turn; the current one is kept until the new one has answered. */
    void swapModel(SeatConfig next, ModelClient client) {
        if (previousModel == null) {
            previousConfig = config;
            previousModel = model;
        }
        config = next;
        model = client;
    }

    /** The swapped-in model answered: it stays. */
    void keepModel() {
        previousConfig = null;
        previousModel = null;
    }

    /** The swapped-in model was refused: back to the one before; false when there was no swap. */
    boolean revertModel() {
        if (previousModel == null) {
            return false;
        }
        config = previousConfig;
        model = previousModel;
        keepModel();
        return true;
    }

    SeatId id() {
        return config.id();
    }

    String name() {
        return config.name();
    }

    /** The names the seat may be addressed by: display name, id, IRC nick. */
    List<String> names() {
        List<String> n = new ArrayList<>(List.of(name(), id().value()));
        config.irc().ifPresent(i -> n.add(i.nick()));
        return n;
    }

    /** What the seat's usage has cost, by its configured price (0 when none is set). */
    double cost() {
        return config.model().price().map(usage::cost).orElse(0.0);
    }

    /** True when {@code ref} names this seat by id, display name or IRC nick, ignoring case and a leading '@'. */
    boolean answersTo(String ref) {
        return answersTo(config, ref);
    }

    /** Whether {@code ref} names the seat of {@code config} (a roster seat not at the table, too). */
    static boolean answersTo(SeatConfig config, String ref) {
        String r = ref.strip().replaceFirst("^@", "").toLowerCase(Locale.ROOT);
        return r.equals(config.id().value().toLowerCase(Locale.ROOT))
                || r.equals(config.name().toLowerCase(Locale.ROOT))
                || config.irc().map(i -> i.nick().toLowerCase(Locale.ROOT).equals(r)).orElse(false);
    }
}
