package dev.parley.conversation;

import java.util.Arrays;

/**
 * A fixed set of non-zero 64-bit hashes built once per message: its distinct values side by side, and an open
 * addressing table (linear probing) over them for membership. Sorting the hashes of a long reply to make them
 * distinct cost more than everything else the monitor does together; the table does it in one pass. Callers that
 * walk the values (counting them into the window) read the packed array: walking the table's slots instead, half
 * of them empty at random, cost a mispredicted branch every other slot.
 */
final class LongSet {
    private final long[] values;
    private final long[] slots;

    LongSet(long[] values, int count) {
        Builder b = new Builder(count);
        for (int v = 0; v < count; v++) {
            b.add(values[v]);
        }
        this.values = b.values();
        this.slots = b.slots;
    }

    private LongSet(Builder b) {
        this.values = b.values();
        this.slots = b.slots;
    }

    /** Fills a set value by value, for a caller that computes the values in a loop: no array of them first. */
    static final class Builder {
        private final long[] slots;
        private final long[] values;
        private final int mask;
        private final int shift;
        private int size;

        /** Room for {@code most} values. */
        Builder(int most) {
            int capacity = Integer.highestOneBit(Math.max(4, most * 2 - 1)) << 1;
            slots = new long[capacity];
            values = new long[Math.max(0, most)];
            mask = capacity - 1;
            shift = Long.numberOfLeadingZeros(mask);
        }

        void add(long key) {
            int i = (int) (key >>> shift);
            long s;
            while ((s = slots[i]) != 0) {
                if (s == key) {
                    return;
                }
                i = (i + 1) & mask;
            }
            slots[i] = key;
            values[size++] = key;
        }

        private long[] values() {
            return size == values.length ? values : Arrays.copyOf(values, size);
        }

        LongSet build() {
            return new LongSet(this);
        }
    }

    int size() {
        return values.length;
    }

    boolean contains(long key) {
        int mask = slots.length - 1;
        long s;
        for (int i = home(key, mask); (s = slots[i]) != 0; i = (i + 1) & mask) {
            if (s == key) {
                return true;
            }
        }
        return false;
    }

    /** The distinct values, packed, in the order they were added. Read only. */
    long[] values() {
        return values;
    }

    /** How many values the two sets share. */
    int common(LongSet other) {
        LongSet small = size() <= other.size() ? this : other;
        LongSet large = small == this ? other : this;
        int n = 0;
        for (long key : small.values) {
            if (large.contains(key)) {
                n++;
            }
        }
        return n;
    }

    /**
     * A value's first slot: its top bits, which the mixed hashes spread evenly. Tables of every size then order
     * values alike, so walking one table's slots visits another's in ascending order.
     */
    private static int home(long key, int mask) {
        return (int) (key >>> Long.numberOfLeadingZeros(mask));
    }
}
