package dev.parley.conversation;

import java.util.Arrays;

/**
 * Makes the hashes of one message distinct, reused from message to message: an open addressing table (linear
 * probing, non-zero keys) that remembers which slots it filled and empties just those when done. A table made and
 * zeroed for each message of a long reply cost more than the look-ups in it. Not thread-safe: each reading thread
 * has its own (see {@link Utterance}).
 */
final class Distinct {
    /** Tables kept for the next message up to this many slots (64 KB); a longer message gets a table of its own. */
    private static final int KEEP = 1 << 13;

    private long[] slots = new long[64];
    private int[] filled = new int[32];
    private long[] values = new long[32];
    private int size;

    /**
     * Makes distinct the first {@code count} of {@code keys} (none of them 0), keeping their first order. Returns
     * them packed in an array of their own.
     */
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
        int i = (int) (key >>> Long.numberOfLeadingZeros(mask));
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

    /** The distinct keys added since {@link #start}, in their first order; empties the table for the next set. */
    long[] finish() {
        long[] table = slots;
        for (int k = 0; k < size; k++) {
            table[filled[k]] = 0;
        }
        long[] distinct = Arrays.copyOf(values, size);
        if (slots.length > KEEP) {
            slots = new long[64];
            filled = new int[32];
            values = new long[32];
        }
        return distinct;
    }
}
