package dev.parley.conversation;

import java.util.Locale;

/** Finding a name in text as a whole word, case-insensitively ("Ada," and "@ada" mention Ada; "Adam" does not). */
final class Mentions {
    private Mentions() { }

    static int indexOfWord(String text, String name) {
        if (name.isBlank()) {
            return -1;
        }
        String t = text.toLowerCase(Locale.ROOT);
        String n = name.toLowerCase(Locale.ROOT);
        int from = 0;
        while (true) {
            int at = t.indexOf(n, from);
            if (at < 0) {
                return -1;
            }
            int end = at + n.length();
            boolean startOk = at == 0 || !isWordChar(t.codePointBefore(at));
            boolean endOk = end == t.length() || !isWordChar(t.codePointAt(end));
            if (startOk && endOk) {
                return at;
            }
            from = at + 1;
        }
    }

    private static boolean isWordChar(int cp) {
        return Character.isLetterOrDigit(cp) || cp == '_';
    }
}
