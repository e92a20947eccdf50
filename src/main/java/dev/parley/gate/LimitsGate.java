package dev.parley.gate;

import dev.parley.config.ModerationConfig;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The size limits of one message: characters, lines, links, and names of the room mentioned (mass highlight). */
public final class LimitsGate implements Screen {
    private static final Pattern LINK = Pattern.compile("(?i)\\b(?:https?://|www\\.)\\S");

    private final ModerationConfig.Limits limits;

    public LimitsGate(ModerationConfig.Limits limits) {
        this.limits = limits;
    }

    @Override
    public Verdict judge(Candidate candidate) {
        String text = candidate.text();
        int chars = text.codePointCount(0, text.length());
        if (over(limits.maxChars(), chars)) {
            return Verdict.hit("max-chars", chars + " characters, more than " + limits.maxChars());
        }
        int lines = (int) text.strip().lines().count();
        if (over(limits.maxLines(), lines)) {
            return Verdict.hit("max-lines", lines + " lines, more than " + limits.maxLines());
        }
        if (limits.maxLinks() > 0) {
            int links = count(LINK.matcher(text));
            if (links > limits.maxLinks()) {
                return Verdict.hit("max-links", links + " links, more than " + limits.maxLinks());
            }
        }
        if (limits.maxMentions() > 0) {
            int mentions = mentions(text, candidate);
            if (mentions > limits.maxMentions()) {
                return Verdict.hit("max-mentions", mentions + " names mentioned, more than " + limits.maxMentions());
            }
        }
        return Verdict.PASS;
    }

    private static boolean over(int limit, int value) {
        return limit > 0 && value > limit;
    }

    private static int count(Matcher m) {
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** Distinct names of the room the text mentions as whole words (a nick inside a longer word does not ping). */
    private static int mentions(String text, Candidate candidate) {
        String lower = text.toLowerCase(Locale.ROOT);
        int n = 0;
        for (String name : candidate.names()) {
            String nick = name.toLowerCase(Locale.ROOT);
            if (!nick.isEmpty() && !nick.equals(candidate.speaker().toLowerCase(Locale.ROOT))
                    && containsWord(lower, nick)) {
                n++;
            }
        }
        return n;
    }

    private static boolean containsWord(String text, String word) {
        for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
            int end = at + word.length();
            boolean startOk = at == 0 || !Character.isLetterOrDigit(text.charAt(at - 1));
            boolean endOk = end == text.length() || !Character.isLetterOrDigit(text.charAt(end));
            if (startOk && endOk) {
                return true;
            }
        }
        return false;
    }
}
