package dev.parley.conversation;

import dev.parley.config.ConversationConfig.TurnPolicyKind;
import dev.parley.core.Message;
import dev.parley.core.SeatId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/** Chooses who speaks next, or nobody ({@code manual} waits for an operator's {@code !next}). */
public interface TurnPolicy {
    /**
     * What a policy may look at: every seat in config order, those that may speak now (unmuted),
     * the seat that took (or tried) the last turn, the last message said by anyone, and how many turns
     * have been posted so far.
     */
    record Situation(List<SeatId> seats, Set<SeatId> eligible, Optional<SeatId> lastTurn,
                     Optional<Message> lastMessage, int turnsTaken) { }

    Optional<SeatId> next(Situation s);

    static TurnPolicy of(TurnPolicyKind kind, RandomGenerator random, List<SeatNames> names) {
        return switch (kind) {
            case ROUND_ROBIN -> new RoundRobin();
            case RANDOM -> new RandomTurns(random);
            case ADDRESSED -> new Addressed(names);
            case MANUAL -> s -> Optional.empty();
        };
    }

    /** The names a seat can be addressed by, for the {@code addressed} policy. */
    record SeatNames(SeatId seat, List<String> names) { }

    /** Each seat in config order after the last one, wrapping around, skipping seats that cannot speak. */
    final class RoundRobin implements TurnPolicy {
        @Override
        public Optional<SeatId> next(Situation s) {
            int n = s.seats().size();
            int start = s.lastTurn().map(l -> s.seats().indexOf(l) + 1).orElse(0);
            for (int i = 0; i < n; i++) {
                SeatId candidate = s.seats().get((start + i) % n);
                if (s.eligible().contains(candidate)) {
                    return Optional.of(candidate);
                }
            }
            return Optional.empty();
        }
    }

    /** Anyone but the last speaker, uniformly (when only that seat is left, it may go again). */
    final class RandomTurns implements TurnPolicy {
        private final RandomGenerator random;

        RandomTurns(RandomGenerator random) {
            this.random = random;
        }

        @Override
        public Optional<SeatId> next(Situation s) {
            List<SeatId> eligible = s.seats().stream().filter(s.eligible()::contains).toList();
            List<SeatId> choices = eligible.stream().filter(c -> !s.lastTurn().equals(Optional.of(c))).toList();
            if (choices.isEmpty()) {
                choices = eligible;
            }
            return choices.isEmpty() ? Optional.empty() : Optional.of(choices.get(random.nextInt(choices.size())));
        }
    }

    /**
     * A message that names another seat (display name, id or nick, as a whole word) gives that seat the next
     * turn; the earliest mention wins; otherwise round-robin. A speaker naming itself does not count.
     */
    final class Addressed implements TurnPolicy {
        private final List<SeatNames> names;
        private final RoundRobin fallback = new RoundRobin();

        Addressed(List<SeatNames> names) {
            this.names = List.copyOf(names);
        }

        @Override
        public Optional<SeatId> next(Situation s) {
            Optional<SeatId> named = s.lastMessage().flatMap(m -> earliestMention(m, s.eligible()));
            return named.isPresent() ? named : fallback.next(s);
        }

        private Optional<SeatId> earliestMention(Message m, Set<SeatId> eligible) {
            int best = Integer.MAX_VALUE;
            SeatId bestSeat = null;
            for (SeatNames sn : names) {
                if (!eligible.contains(sn.seat()) || sn.seat().equals(m.speaker().seat())) {
                    continue;
                }
                for (String n : sn.names()) {
                    int at = Mentions.indexOfWord(m.text(), n);
                    if (at >= 0 && at < best) {
                        best = at;
                        bestSeat = sn.seat();
                    }
                }
            }
            return Optional.ofNullable(bestSeat);
        }
    }
}
