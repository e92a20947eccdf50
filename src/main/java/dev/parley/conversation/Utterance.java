package dev.parley.conversation;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * One message as the health monitor reads it: its words (lower case, letters and digits), the distinct words that
 * carry content (not "the", "ok", "ack", ...), its phrases (runs of three words, hashed) and its shingles (words and
 * word pairs, hashed) for telling two messages apart. Made once per message, in one pass over the text.
 */
final class Utterance {
    /** Words that say nothing by themselves: function words and the vocabulary of acknowledgement. */
    private static final Set<String> FILLER = Set.of(("a an the and or but if then so of to in on at by for with from as "
            + "is are was were be been being am i i'm i'll i've i'd me my mine we we're we'll our us you you're you'll "
            + "your he she it it's its they them their this that these those there here what which who how why when "
            + "where not no do does did done have has had will would can could should shall may might must just also "
            + "very too still yet again now ok okay yes yeah yep ack acked acknowledged understood noted sure right "
            + "agreed indeed thanks thank got roger copy fine good great all some any more much oh ah hmm well")
            .split(" "));

    final String speaker;
    final boolean human;
    final String text;
    final int wordCount;
    final Set<String> content;
    /** Distinct hashes of three-word phrases, sorted. */
    final long[] phrases;
    /** Distinct hashes of single words and word pairs, sorted: what {@link #resemblance} compares. */
    final long[] shingles;

    private Utterance(String speaker, boolean human, String text, String[] words) {
        this.speaker = speaker;
        this.human = human;
        this.text = text;
        this.wordCount = words.length;
        this.content = new HashSet<>();
        for (String w : words) {
            if (!FILLER.contains(w) && (w.length() > 1 || Character.isDigit(w.charAt(0)))) {
                content.add(w);
            }
        }
        long[] h = new long[words.length];
        for (int i = 0; i < words.length; i++) {
            h[i] = mix(words[i].hashCode());
        }
        long[] tri = new long[Math.max(0, words.length - 2)];
        for (int i = 0; i + 2 < words.length; i++) {
            tri[i] = mix(h[i] * 31 + h[i + 1] * 17 + h[i + 2]);
        }
        this.phrases = distinct(tri);
        long[] sh = new long[words.length + Math.max(0, words.length - 1)];
        for (int i = 0; i < words.length; i++) {
            sh[i] = h[i];
            if (i + 1 < words.length) {
                sh[words.length + i] = mix(h[i] * 131 + h[i + 1]);
            }
        }
        this.shingles = distinct(sh);
    }

    static Utterance of(String speaker, boolean human, String text) {
        return new Utterance(speaker, human, text, words(text));
    }

    /** 1 for the same words in the same order, 0 for nothing in common; two messages without words are the same. */
    static double resemblance(Utterance a, Utterance b) {
        if (a.shingles.length == 0 || b.shingles.length == 0) {
            return a.shingles.length == b.shingles.length ? 1.0 : 0.0;
        }
        int common = 0;
        for (int i = 0, j = 0; i < a.shingles.length && j < b.shingles.length; ) {
            if (a.shingles[i] == b.shingles[j]) {
                common++;
                i++;
                j++;
            } else if (a.shingles[i] < b.shingles[j]) {
                i++;
            } else {
                j++;
            }
        }
        return 2.0 * common / (a.shingles.length + b.shingles.length);
    }

    /** A short form of the text for a notice: one line, at most {@code max} characters. */
    String quote(int max) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= max ? line : line.substring(0, max - 1).stripTrailing() + "…";
    }

    static String[] words(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        String[] out = new String[16];
        int n = 0;
        int start = -1;
        for (int i = 0; i <= lower.length(); i++) {
            char c = i < lower.length() ? lower.charAt(i) : ' ';
            boolean inWord = Character.isLetterOrDigit(c)
                    || (start >= 0 && (c == '\'' || c == '’') && i + 1 < lower.length()
                            && Character.isLetter(lower.charAt(i + 1)));
            if (inWord) {
                if (start < 0) {
                    start = i;
                }
            } else if (start >= 0) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, n * 2);
                }
                out[n++] = lower.substring(start, i).replace('’', '\'');
                start = -1;
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static long[] distinct(long[] values) {
        Arrays.sort(values);
        int n = 0;
        for (int i = 0; i < values.length; i++) {
            if (i == 0 || values[i] != values[i - 1]) {
                values[n++] = values[i];
            }
        }
        return Arrays.copyOf(values, n);
    }

    /** A cheap 64-bit finaliser, so that word hashes spread over the whole long before being combined. */
    private static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        return x ^ (x >>> 33);
    }
}
