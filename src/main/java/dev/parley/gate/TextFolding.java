package dev.parley.gate;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Folds look-alikes together before matching, so that "ｓｌｕｒ" (full-width), "s\u200Dlur" (a zero-width joiner),
 * "slúr" (a combining accent) and, with leetspeak on, "5lur" all read "slur". Lists and messages go through the
 * same folding, so a rule is written once, in plain letters.
 */
public final class TextFolding {
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    /** Zero-width spaces and joiners, soft hyphens, bidi controls: format characters nobody sees. */
    private static final Pattern INVISIBLE = Pattern.compile("\\p{Cf}+");
    private static final String LEET_FROM = "0134578@$!|+";
    private static final String LEET_TO = "oieastbasiit";

    private final boolean leetspeak;

    public TextFolding(boolean leetspeak) {
        this.leetspeak = leetspeak;
    }

    /** The text as rules see it: compatibility-normalised, unaccented, without invisibles, lower case. */
    public String fold(String text) {
        return leetspeak ? unleet(plain(text)) : plain(text);
    }

    public boolean leetspeak() {
        return leetspeak;
    }

    /** {@link #fold} without the leetspeak step: what regular expressions with {@code \d} in them need. */
    public String plain(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC);
        s = Normalizer.normalize(s, Normalizer.Form.NFD);
        if (!isPlain(s)) {
            s = MARKS.matcher(s).replaceAll("");
            s = INVISIBLE.matcher(s).replaceAll("");
        }
        return s.toLowerCase(Locale.ROOT);
    }

    private static String unleet(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int at = LEET_FROM.indexOf(c);
            out.append(at >= 0 ? LEET_TO.charAt(at) : c);
        }
        return out.toString();
    }

    /** The words of folded text, punctuation inside a word ignored ("s.l-u*r" is "slur"). */
    public static List<String> words(String folded) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int n = folded.length();
        for (int i = 0; i <= n; i++) {
            char c = i < n ? folded.charAt(i) : ' ';
            if (Character.isWhitespace(c)) {
                if (word.length() > 0) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else if (Character.isLetterOrDigit(c)) {
                word.append(c);
            }
        }
        return words;
    }

    /**
     * Runs of two or more one-letter words, joined: "a s l u r here" gives "aslur". A listed word found inside
     * one was spelled out letter by letter.
     */
    public static List<String> spelled(List<String> words) {
        List<String> runs = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        for (int i = 0; i <= words.size(); i++) {
            if (i < words.size() && words.get(i).length() == 1) {
                run.append(words.get(i));
                continue;
            }
            if (run.length() > 1) {
                runs.add(run.toString());
            }
            run.setLength(0);
        }
        return runs;
    }

    /** Printable ASCII needs neither marks nor invisibles removed: the common case, kept cheap. */
    private static boolean isPlain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
