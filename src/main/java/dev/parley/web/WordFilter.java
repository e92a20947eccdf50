package dev.parley.web;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * A Bloom filter of the words of one episode: about 10 bits a word, so 10,000 episodes cost a few megabytes and a
 * search rules out nearly every episode without reading it. It may say yes wrongly (about 1 in 100); a search
 * reads the episodes it says yes to, so a wrong yes costs time, never a wrong result.
 */
final class WordFilter {
    private static final int HASHES = 4;
    private final long[] bits;

    private WordFilter(long[] bits) {
        this.bits = bits;
    }

    static WordFilter of(Collection<String> words) {
        int size = Math.max(64, words.size() * 10);
        WordFilter f = new WordFilter(new long[(size + 63) / 64]);
        words.forEach(f::add);
        return f;
    }

    private void add(String word) {
        long m = bits.length * 64L;
        int h1 = word.hashCode();
        int h2 = mix(h1);
        for (int i = 0; i < HASHES; i++) {
            long bit = Math.floorMod(h1 + (long) i * h2, m);
            bits[(int) (bit >>> 6)] |= 1L << bit;
        }
    }

    boolean mightContain(String word) {
        long m = bits.length * 64L;
        int h1 = word.hashCode();
        int h2 = mix(h1);
        for (int i = 0; i < HASHES; i++) {
            long bit = Math.floorMod(h1 + (long) i * h2, m);
            if ((bits[(int) (bit >>> 6)] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    long bytes() {
        return bits.length * 8L;
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h | 1;
    }

    /** The words of a text as search sees them: runs of letters and digits, lower-cased. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        int start = -1;
        for (int i = 0; i <= text.length(); i++) {
            boolean letter = i < text.length() && Character.isLetterOrDigit(text.charAt(i));
            if (letter && start < 0) {
                start = i;
            } else if (!letter && start >= 0) {
                if (i - start <= 64) {
                    out.add(text.substring(start, i).toLowerCase(Locale.ROOT));
                }
                start = -1;
            }
        }
        return out;
    }
}
