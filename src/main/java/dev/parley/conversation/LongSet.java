package dev.parley.conversation;

/**
 * A fixed set of distinct non-zero 64-bit hashes made once per message ({@link Distinct} makes them distinct),
 * packed side by side and nothing else. The window walks them (walking a hash table's slots instead, half of them
 * or more empty at random, cost a mispredicted branch every few slots), and two sets are compared through the reading
 * thread's {@link Distinct} table: a table kept with each message weighed as much as its values and cost more to
 * fill than the look-ups it saved.
 */
final class LongSet {
    private final long[] values;

    /** A set of {@code distinct} (distinct and non-zero; the set keeps the array). */
    LongSet(long[] distinct) {
        this.values = distinct;
    }

    int size() {
        return values.length;
    }

    /** Whether the set holds {@code key}, by reading the values one by one: for tests, not for a loop. */
    boolean contains(long key) {
        for (long v : values) {
            if (v == key) {
                return true;
            }
        }
        return false;
    }

    /** The distinct values, packed, in the order the message had them first. Read only. */
    long[] values() {
        return values;
    }
}
