package dev.parley.host;

import dev.parley.archive.JournalEvent;
import dev.parley.config.ConversationConfig;
import dev.parley.config.SeatConfig;
import dev.parley.core.SeatId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * The seats a series may cast, as its config lists them: who is who by id, name or nick, which cast a journal or the
 * saved state names, and a fresh draw. A value made from one config; a reload makes a new one.
 */
record Roster(ConversationConfig config) {

    /** The cast an episode's journal says: its start's seats, with seats invited and dismissed since. */
    List<SeatConfig> castOf(List<JournalEvent> events) {
        Set<String> ids = new LinkedHashSet<>();
        for (JournalEvent e : events) {
            if (e instanceof JournalEvent.Start s && s.seats() != null) {
                s.seats().forEach(seat -> ids.add(seat.id()));
            } else if (e instanceof JournalEvent.Steer s && JournalEvent.Steer.INVITE.equals(s.action())) {
                ids.add(s.seat());
            } else if (e instanceof JournalEvent.Steer s && JournalEvent.Steer.DISMISS.equals(s.action())) {
                ids.remove(s.seat());
            }
        }
        List<SeatConfig> cast = config.seats().stream().filter(s -> ids.contains(s.id().value())).toList();
        return cast.isEmpty() ? config.defaultCast() : cast;
    }

    /** The cast {@code chosen} names, if its seats are all still on the roster (and two at least); else the default. */
    List<SeatConfig> castOrDefault(List<String> chosen) {
        List<SeatConfig> cast = config.seats().stream().filter(s -> chosen.contains(s.id().value())).toList();
        return cast.size() == chosen.size() && cast.size() >= 2 ? cast : config.defaultCast();
    }

    /** {@code size} seats drawn at random, avoiding the recent casts where the roster allows. */
    List<SeatConfig> draw(int size, List<List<String>> recentCasts, RandomGenerator random) {
        List<SeatId> drawn = CastDraw.draw(config.seats().stream().map(SeatConfig::id).toList(), size, recentCasts,
                random);
        return config.seats().stream().filter(s -> drawn.contains(s.id())).toList();
    }

    /** The seat {@code ref} names: its id, name or IRC nick, with or without a leading {@code @}. */
    Optional<SeatConfig> seat(String ref) {
        String r = ref.strip().replaceFirst("^@", "");
        return config.seats().stream().filter(s -> s.id().value().equalsIgnoreCase(r) || s.name().equalsIgnoreCase(r)
                || s.irc().map(i -> i.nick().equalsIgnoreCase(r)).orElse(false)).findFirst();
    }

    List<String> names() {
        return config.seats().stream().map(s -> s.id() + " (" + s.name() + ")").toList();
    }

    static String title(List<SeatConfig> cast) {
        return cast.stream().map(SeatConfig::name).collect(Collectors.joining(" \u2194 "));
    }

    static Set<SeatId> ids(List<SeatConfig> cast) {
        return cast.stream().map(SeatConfig::id).collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
