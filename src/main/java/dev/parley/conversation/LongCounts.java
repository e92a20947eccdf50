package dev.parley.conversation;

import java.util.Arrays;

/**
 * A multiset of 64-bit hashes (open addressing, linear probing), so the health monitor counts the words and
 * phrases of its window without boxing a Long for each: it looks at every word of every message, and a boxed map
 * made that cost several times the rest. Zero is not a valid key; {@link #key} maps it away.
 */
final class LongCounts {
    private long[] keys;
    private int[] counts;
    private int size;

    /** Room for about {@code expected} keys before the table has to grow. */
    LongCounts(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        counts = new int[capacity];
    }

    static long key(long hash) {
        return hash == 0 ? 1 : hash;
    }

    boolean contains(long key) {
        return counts[slot(key)] > 0;
    }

    /** How many of {@code key} there are, 0 for none. */
    int count(long key) {
        return counts[slot(key)];
    }

    /** Counts one more of {@code key}; returns how many there were before. */
    int add(long key) {
        int i = slot(key);
        int before = counts[i];
        if (before == 0) {
            keys[i] = key;
            size++;
        }
        counts[i]++;
        if (size * 2 > keys.length) {
            grow();
        }
        return before;
    }

    void remove(long key) {
        int i = slot(key);
        if (counts[i] == 0) {
            return;
        }
        if (--counts[i] == 0) {
            size--;
            // Backward-shift deletion: keep every later key of the probe run reachable from its home slot.
            int mask = keys.length - 1;
            int hole = i;
            for (int j = (i + 1) & mask; counts[j] != 0; j = (j + 1) & mask) {
                int home = home(keys[j], mask);
                if (((j - home) & mask) >= ((j - hole) & mask)) {
                    keys[hole] = keys[j];
                    counts[hole] = counts[j];
                    counts[j] = 0;
                    hole = j;
                }
            }
        }
    }

    private int slot(long key) {
        int mask = keys.length - 1;
        int i = home(key, mask);
        while (counts[i] != 0 && keys[i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private static int home(long key, int mask) {
        return (int) (key >>> Long.numberOfLeadingZeros(mask));
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldCounts = counts;
        keys = new long[oldKeys.length * 2];
        counts = new int[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldCounts[i] > 0) {
                int j = slot(oldKeys[i]);
                keys[j] = oldKeys[i];
                counts[j] = oldCounts[i];
                size++;
            }
        }
    }

    @Override
    public String toString() {
        return "LongCounts" + Arrays.toString(Arrays.copyOf(keys, Math.min(8, keys.length)));
    }
}
