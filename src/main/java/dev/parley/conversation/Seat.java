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
    final SeatConfig config;
    final ModelClient model;
    final Speaker speaker;
    boolean muted;
    /** Muted because its model failed for good (401, 404, a finished script), not by an operator. */
    boolean broken;
    Usage usage = Usage.NONE;

    Seat(SeatConfig config, ModelClient model) {
        this.config = config;
        this.model = model;
        this.speaker = Speaker.seat(config.id(), config.name());
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
        String r = ref.strip().replaceFirst("^@", "").toLowerCase(Locale.ROOT);
        return r.equals(config.id().value().toLowerCase(Locale.ROOT))
                || r.equals(config.name().toLowerCase(Locale.ROOT))
                || config.irc().map(i -> i.nick().toLowerCase(Locale.ROOT).equals(r)).orElse(false);
    }
}
