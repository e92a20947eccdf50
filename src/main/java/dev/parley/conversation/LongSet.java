package dev.parley.conversation;

/**
 * A fixed set of distinct non-zero 64-bit hashes made once per message, packed side by side; the sets the monitor
 * compares messages on also carry an open addressing table (linear probing) over them. Sorting the hashes of a long
 * reply to make them distinct cost more than everything else the monitor does together; {@link Distinct} does it in
 * one pass. The window walks the packed values (walking a table's slots instead, a third of them empty at random,
 * cost a mispredicted branch every few slots), and only the sets that are looked up pay for a table: it is half
 * of what a message's sets weigh.
 */
final class LongSet {
    private final long[] values;
    /** The table, or null for a set that is only walked: {@link #contains} then reads the values one by one. */
    private final long[] slots;

    private LongSet(long[] values, long[] slots) {
        this.values = values;
        this.slots = slots;
    }

    /** A set of {@code distinct} (distinct, non-zero; the set keeps the array) without a table. */
    static LongSet packed(long[] distinct) {
        return new LongSet(distinct, null);
    }

    /** A set of {@code distinct} (distinct, non-zero; the set keeps the array) with a table for look-ups. */
    static LongSet indexed(long[] distinct) {
        // At most two thirds full: the probes stay short and the table is 1.5 to 3 times the values, not 2 to 4.
        int capacity = Integer.highestOneBit(Math.max(2, distinct.length + (distinct.length >> 1))) << 1;
        long[] slots = new long[capacity];
        int mask = capacity - 1;
        for (long key : distinct) {
            int i = home(key, mask);
            while (slots[i] != 0) {
                i = (i + 1) & mask;
            }
            slots[i] = key;
        }
        return new LongSet(distinct, slots);
    }

    int size() {
        return values.length;
    }

    boolean contains(long key) {
        if (slots == null) {
            for (long v : values) {
                if (v == key) {
                    return true;
                }
            }
            return false;
        }
        int mask = slots.length - 1;
        long s;
        for (int i = home(key, mask); (s = slots[i]) != 0; i = (i + 1) & mask) {
            if (s == key) {
                return true;
            }
        }
        return false;
    }

    /** The distinct values, packed, in the order the message had them. Read only. */
    long[] values() {
        return values;
    }

    /** How many values the two sets share: the values of one looked up in the other's table (made if need be). */
    int common(LongSet other) {
        LongSet walked = size() <= other.size() ? this : other;
        LongSet table = walked == this ? other : this;
        if (table.slots == null) {
            if (walked.slots != null) {
                LongSet t = walked;
                walked = table;
                table = t;
            } else {
                table = indexed(table.values);
            }
        }
        int n = 0;
        for (long key : walked.values) {
            if (table.contains(key)) {
                n++;
            }
        }
        return n;
    }

    /** A value's first slot: its top bits (the values are mixed hashes, so any of their bits spread evenly). */
    private static int home(long key, int mask) {
        return (int) (key >>> Long.numberOfLeadingZeros(mask));
    }
}
