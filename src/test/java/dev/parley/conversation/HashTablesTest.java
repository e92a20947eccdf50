package dev.parley.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The health monitor's hand-made hash tables against Java's own collections, on keys made to collide: few distinct
 * top bits (where a key's first slot comes from), so probe runs are long, wrap around the end of the table and get
 * holes punched in them by removals.
 */
class HashTablesTest {
    private static long key(Random random) {
        // 3 top bits of 8 possible values, and low bits that tell the keys apart: long runs from 8 homes at most.
        return LongCounts.key(((long) random.nextInt(8) << 61) | (random.nextLong() >>> 40));
    }

    @Test
    void longCountsCountLikeAMapThroughAddsRemovesAndGrowth() {
        Random random = new Random(11);
        LongCounts counts = new LongCounts(4);
        Map<Long, Integer> expected = new HashMap<>();
        List<Long> seen = new ArrayList<>();
        for (int step = 0; step < 20_000; step++) {
            if (seen.isEmpty() || random.nextInt(3) > 0) {
                boolean again = random.nextInt(4) == 0 && !seen.isEmpty();
                long k = again ? seen.get(random.nextInt(seen.size())) : key(random);
                if (random.nextInt(50) == 0) {
                    counts.reserve(random.nextInt(200));
                }
                assertThat(counts.add(k)).isEqualTo(expected.getOrDefault(k, 0));
                expected.merge(k, 1, Integer::sum);
                seen.add(k);
            } else {
                long k = seen.remove(random.nextInt(seen.size()));
                counts.remove(k);
                expected.computeIfPresent(k, (x, n) -> n == 1 ? null : n - 1);
            }
            if (step % 97 == 0) {
                for (Long k : new HashSet<>(seen)) {
                    assertThat(counts.count(k)).as("count of %x at step %d", k, step)
                            .isEqualTo(expected.getOrDefault(k, 0));
                    assertThat(counts.contains(k)).isEqualTo(expected.containsKey(k));
                }
                long absent = key(random);
                assertThat(counts.count(absent)).isEqualTo(expected.getOrDefault(absent, 0));
            }
        }
    }

    @Test
    void aWindowTooLongForTwoByteCountsIsRefused() {
        assertThatThrownBy(() -> new RecentTalk(LongCounts.MOST)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new RecentTalk(LongCounts.MOST - 1).last()).isNull();
    }

    @Test
    void distinctKeepsFirstOrderAndIsEmptyAgainForTheNextSet() {
        Random random = new Random(7);
        Distinct distinct = new Distinct();
        // Sizes up and down, one past the size of table it keeps, so a later small set meets a reused table.
        for (int size : new int[] {0, 1, 5, 300, 20_000, 3, 4_000, 60, 0, 900}) {
            long[] keys = new long[size];
            for (int i = 0; i < size; i++) {
                keys[i] = i > 0 && random.nextInt(3) == 0 ? keys[random.nextInt(i)] : key(random);
            }
            Set<Long> expected = new LinkedHashSet<>();
            for (long k : keys) {
                expected.add(k);
            }
            long[] made = distinct.of(keys, size);
            assertThat(made).as("set of %d", size)
                    .containsExactly(expected.stream().mapToLong(Long::longValue).toArray());

            long[] other = new long[random.nextInt(size + 2)];
            Set<Long> otherSet = new HashSet<>();
            for (int i = 0; i < other.length; i++) {
                do {
                    other[i] = random.nextBoolean() && size > 0 ? keys[random.nextInt(size)] : key(random);
                } while (!otherSet.add(other[i]));
            }
            otherSet.retainAll(expected);
            assertThat(distinct.shared(made, other)).isEqualTo(otherSet.size());
            assertThat(distinct.shared(other, made)).isEqualTo(otherSet.size());
        }
    }
}
