package dev.parley.host;

import dev.parley.core.SeatId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Draws a cast from the roster that avoids the most recent pairings: of the candidate casts of the wanted size,
 * the one whose pairs of seats met least (recent casts weigh most) wins, ties broken at random. Small rosters
 * are searched whole; large ones by sampling.
 */
final class CastDraw {
    private static final int SAMPLES = 200;

    private CastDraw() { }

    static List<SeatId> draw(List<SeatId> roster, int size, List<List<String>> recentCasts, RandomGenerator random) {
        int k = Math.max(1, Math.min(size, roster.size()));
        Map<String, Integer> met = pairings(recentCasts);
        List<List<SeatId>> candidates = new ArrayList<>();
        if (binomial(roster.size(), k) <= SAMPLES) {
            combinations(roster, k, 0, new ArrayList<>(), candidates);
        } else {
            for (int i = 0; i < SAMPLES; i++) {
                List<SeatId> shuffled = new ArrayList<>(roster);
                Collections.shuffle(shuffled, new java.util.Random(random.nextLong()));
                candidates.add(List.copyOf(shuffled.subList(0, k)));
            }
        }
        Collections.shuffle(candidates, new java.util.Random(random.nextLong()));
        List<SeatId> best = candidates.get(0);
        long bestScore = Long.MAX_VALUE;
        for (List<SeatId> c : candidates) {
            long score = score(c, met);
            if (score < bestScore) {
                best = c;
                bestScore = score;
            }
        }
        // Keep roster order: it is the order seats take turns in a round-robin.
        List<SeatId> chosen = best;
        return roster.stream().filter(chosen::contains).toList();
    }

    /** How often each pair met in the recent casts, the newest weighing most. */
    private static Map<String, Integer> pairings(List<List<String>> recentCasts) {
        Map<String, Integer> met = new HashMap<>();
        for (int i = 0; i < recentCasts.size(); i++) {
            int weight = i + 1;
            List<String> cast = recentCasts.get(i);
            for (int a = 0; a < cast.size(); a++) {
                for (int b = a + 1; b < cast.size(); b++) {
                    met.merge(pair(cast.get(a), cast.get(b)), weight, Integer::sum);
                }
            }
        }
        return met;
    }

    private static long score(List<SeatId> cast, Map<String, Integer> met) {
        long s = 0;
        for (int a = 0; a < cast.size(); a++) {
            for (int b = a + 1; b < cast.size(); b++) {
                s += met.getOrDefault(pair(cast.get(a).value(), cast.get(b).value()), 0);
            }
        }
        return s;
    }

    private static String pair(String a, String b) {
        return a.compareTo(b) < 0 ? a + "\u0000" + b : b + "\u0000" + a;
    }

    private static void combinations(List<SeatId> from, int k, int start, List<SeatId> acc, List<List<SeatId>> out) {
        if (acc.size() == k) {
            out.add(List.copyOf(acc));
            return;
        }
        for (int i = start; i < from.size(); i++) {
            acc.add(from.get(i));
            combinations(from, k, i + 1, acc, out);
            acc.remove(acc.size() - 1);
        }
    }

    private static long binomial(int n, int k) {
        long r = 1;
        for (int i = 1; i <= k; i++) {
            r = r * (n - k + i) / i;
            if (r > SAMPLES) {
                return r;
            }
        }
        return r;
    }
}
