package dev.parley.conversation;

import java.util.Arrays;

/**
 * A multiset of 64-bit hashes (open addressing, linear probing), so the health monitor counts the words and
 * phrases of its window without boxing a Long for each: it looks at every word of every message, and a boxed map
 * made that cost several times the rest. Zero is not a valid key; {@link #key} maps it away.
 */
final class LongCounts {
    static final int MOST = Character.MAX_VALUE;

    private long[] keys;
    /** Counts up to {@link #MOST}, 2 bytes a slot: the window's counts are at most its number of messages. */
    private char[] counts;
    private int size;

    /** Room for about {@code expected} keys before the table has to grow. */
    LongCounts(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        counts = new char[capacity];
    }

    static long key(long hash) {
        return hash == 0 ? 1 : hash;
    }

    boolean contains(long key) {
        return keys[slot(key)] != 0;
    }

    /** How many of {@code key} there are, 0 for none. */
    int count(long key) {
        int i = slot(key);
        return keys[i] == 0 ? 0 : counts[i];
    }

    /** Counts one more of {@code key}; returns how many there were before. */
    int add(long key) {
        int i = slot(key);
        if (keys[i] != 0) {
            if (counts[i] == MOST) {
                throw new IllegalStateException("more than " + MOST + " of one key");
            }
            return counts[i]++;
        }
        keys[i] = key;
        counts[i] = 1;
        if (++size * 2 > keys.length) {
            grow();
        }
        return 0;
    }

    void remove(long key) {
        int i = slot(key);
        if (keys[i] == 0) {
            return;
        }
        if (--counts[i] == 0) {
            size--;
            // Backward-shift deletion: keep every later key of the probe run reachable from its home slot.
            int mask = keys.length - 1;
            int hole = i;
            long k;
            for (int j = (i + 1) & mask; (k = keys[j]) != 0; j = (j + 1) & mask) {
                int home = home(k, mask);
                if (((j - home) & mask) >= ((j - hole) & mask)) {
                    keys[hole] = k;
                    counts[hole] = counts[j];
                    hole = j;
                }
            }
            keys[hole] = 0;
        }
    }

    /** Where {@code key} is, or the empty slot where it would go. Probes the keys alone: a slot is empty at 0. */
    private int slot(long key) {
        int mask = keys.length - 1;
        int i = home(key, mask);
        long k;
        while ((k = keys[i]) != 0 && k != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** A key's first slot: its top bits (the keys are mixed hashes, so any of their bits spread evenly). */
    private static int home(long key, int mask) {
        return (int) (key >>> Long.numberOfLeadingZeros(mask));
    }

    /**
     * Makes room at once for {@code more} keys, some perhaps counted already, if they could overfill the table: a
     * long reply arriving in a table sized for short lines grows it once, rather than doubling it again and again
     * while its words are added. A table with room for them in the worst case is left alone until it grows on its
     * own (half full), not grown for keys that may well be there already.
     */
    void reserve(int more) {
        if (size + more > keys.length) {
            resize(Integer.highestOneBit((size + more) * 2 - 1) << 1);
        }
    }

    private void grow() {
        resize(keys.length * 2);
    }

    private void resize(int capacity) {
        long[] oldKeys = keys;
        char[] oldCounts = counts;
        keys = new long[capacity];
        counts = new char[capacity];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                int j = slot(oldKeys[i]);
                keys[j] = oldKeys[i];
                counts[j] = oldCounts[i];
            }
        }
    }

    @Override
    public String toString() {
        return "LongCounts" + Arrays.toString(Arrays.copyOf(keys, Math.min(8, keys.length)));
    }
}
