package dev.parley.conversation;

/**
 * A fixed-size set of non-zero 64-bit hashes (open addressing, linear probing) built once per message. Sorting the
 * hashes of a long reply to make them distinct cost more than everything else the monitor does together; a table
 * sized at twice the number of values does it in one pass and answers membership for {@link Utterance#resemblance}.
 */
final class LongSet {
    private final long[] slots;
    private final int size;

    LongSet(long[] values, int count) {
        int capacity = Integer.highestOneBit(Math.max(4, count * 2 - 1)) << 1;
        slots = new long[capacity];
        int mask = capacity - 1;
        int n = 0;
        for (int v = 0; v < count; v++) {
            long key = values[v];
            int i = home(key, mask);
            while (slots[i] != 0 && slots[i] != key) {
                i = (i + 1) & mask;
            }
            if (slots[i] == 0) {
                slots[i] = key;
                n++;
            }
        }
        size = n;
    }

    int size() {
        return size;
    }

    boolean contains(long key) {
        int mask = slots.length - 1;
        for (int i = home(key, mask); slots[i] != 0; i = (i + 1) & mask) {
            if (slots[i] == key) {
                return true;
            }
        }
        return false;
    }

    /** The table itself, zeros for empty slots: callers skip them. Read only. */
    long[] slots() {
        return slots;
    }

    /** How many values the two sets share. */
    int common(LongSet other) {
        LongSet small = size <= other.size ? this : other;
        LongSet large = small == this ? other : this;
        int n = 0;
        for (long key : small.slots) {
            if (key != 0 && large.contains(key)) {
                n++;
            }
        }
        return n;
    }

    private static int home(long key, int mask) {
        return (int) (key ^ (key >>> 29)) & mask;
    }
}
