package dev.parley.conversation;

import java.util.Arrays;

/**
 * Makes the hashes of one message distinct, and counts what two sets of them share: an open addressing table
 * (linear probing, non-zero keys, at most half full) reused from message to message, which remembers the slots it
 * filled and empties just those when done. Sorting the hashes of a long reply cost more than everything else the
 * monitor does together, and a table made and zeroed for each set cost more than the look-ups in it. Not
 * thread-safe: each reading thread has its own (see {@link Utterance}).
 */
final class Distinct {
    /** A table up to this many slots (64 KB) is kept for the next set; a larger one was for one huge message. */
    private static final int KEEP = 1 << 13;

    private long[] slots = new long[64];
    private int[] filled = new int[32];
    private long[] values = new long[32];
    private int size;

    /** The first {@code count} of {@code keys} (none of them 0) made distinct, in their first order, packed. */
    long[] of(long[] keys, int count) {
        start(count);
        for (int k = 0; k < count; k++) {
            add(keys[k]);
        }
        return finish();
    }

    /** Starts a set of at most {@code most} keys, added with {@link #add} and ended by {@link #finish}. */
    void start(int most) {
        int capacity = Integer.highestOneBit(Math.max(4, most * 2 - 1)) << 1;
        if (slots.length < capacity) {
            slots = new long[capacity];
        }
        if (filled.length < most) {
            filled = new int[most];
            values = new long[most];
        }
        size = 0;
    }

    void add(long key) {
        long[] table = slots;
        int mask = table.length - 1;
        int i = home(key, mask);
        long s;
        while ((s = table[i]) != 0) {
            if (s == key) {
                return;
            }
            i = (i + 1) & mask;
        }
        table[i] = key;
        filled[size] = i;
        values[size++] = key;
    }

    /** The distinct keys added since {@link #start}, in their first order, in an array of their own. */
    long[] finish() {
        long[] distinct = Arrays.copyOf(values, size);
        empty();
        return distinct;
    }

    /**
     * How many keys two arrays of distinct keys share: the smaller one is put in the table, the other looked up.
     * What {@link Utterance#resemblance} and {@link Utterance#restates} count.
     */
    int shared(long[] a, long[] b) {
        long[] small = a.length <= b.length ? a : b;
        long[] large = small == a ? b : a;
        start(small.length);
        for (long key : small) {
            add(key);
        }
        long[] table = slots;
        int mask = table.length - 1;
        int n = 0;
        for (long key : large) {
            long s;
            for (int i = home(key, mask); (s = table[i]) != 0; i = (i + 1) & mask) {
                if (s == key) {
                    n++;
                    break;
                }
            }
        }
        empty();
        return n;
    }

    private void empty() {
        long[] table = slots;
        for (int k = 0; k < size; k++) {
            table[filled[k]] = 0;
        }
        size = 0;
        if (slots.length > KEEP) {
            slots = new long[64];
            filled = new int[32];
            values = new long[32];
        }
    }

    /** A key's first slot: its top bits (the keys are mixed hashes, so any of their bits spread evenly). */
    private static int home(long key, int mask) {
        return (int) (key >>> Long.numberOfLeadingZeros(mask));
    }
}
