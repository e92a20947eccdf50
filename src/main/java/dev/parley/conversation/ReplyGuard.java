package dev.parley.conversation;

import java.util.List;
import java.util.Locale;

/**
 * Keeps a model speaking only for itself: a reply that starts with its own "Name:" has it stripped, and a reply
 * that goes on to speak as someone else ("Basil: ...") on a line of its own is cut just before that line.
 */
final class ReplyGuard {
    private ReplyGuard() { }

    static String clean(String reply, String ownName, List<String> otherNames) {
        String text = stripPrefix(reply, ownName);
        int cut = firstImpersonation(text, otherNames);
        return cut < 0 ? text : text.substring(0, cut).stripTrailing();
    }

    /** Index of the first line that starts with another participant's "Name:", or -1. */
    static int firstImpersonation(String text, List<String> otherNames) {
        int lineStart = 0;
        while (lineStart <= text.length()) {
            for (String n : otherNames) {
                if (startsWithName(text, lineStart, n)) {
                    return lineStart;
                }
            }
            int nl = text.indexOf('\n', lineStart);
            if (nl < 0) {
                return -1;
            }
            lineStart = nl + 1;
        }
        return -1;
    }

    private static String stripPrefix(String text, String name) {
        int lead = 0;
        while (lead < text.length() && Character.isWhitespace(text.charAt(lead)) && text.charAt(lead) != '\n') {
            lead++;
        }
        if (startsWithName(text, lead, name)) {
            return text.substring(lead + name.length() + 1).stripLeading();
        }
        return text;
    }

    private static boolean startsWithName(String text, int at, String name) {
        int end = at + name.length();
        return end < text.length() && text.charAt(end) == ':'
                && text.substring(at, end).toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT));
    }
}
