package dev.parley.gate;

import dev.parley.config.ModerationConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The regular expressions of the lists, run over a message without trying each of them at every position. Most
 * list patterns start with a literal ("\bfree\s+crypto", "discord\.gg/"): those are indexed by their first two
 * literal characters (up to eight), and tried only where the text has them. The others are compiled into one
 * alternation, run once. A Java alternation of thousands of branches tries every branch at every position, which
 * costs milliseconds a message; the index keeps 10,000 patterns well under one.
 */
final class PatternSet {
    /** Index keys are a pattern's literal prefix cut to at most this length: long enough to tell most apart. */
    private static final int MIN_KEY = 2;
    private static final int MAX_KEY = 8;
    private static final String META = "\\[](){}.*+?^$|";

    private record Compiled(Pattern pattern, ModerationConfig.Rule rule) { }

    /** By key length: key → the patterns whose literal prefix starts with it. */
    private final Map<Integer, Map<String, List<Compiled>>> byPrefix = new HashMap<>();
    private final int[] keyLengths;
    private final List<Compiled> unindexed = new ArrayList<>();
    private final Pattern anyUnindexed;
    private final int size;

    PatternSet(List<ModerationConfig.Rule> rules) {
        StringBuilder any = new StringBuilder();
        for (ModerationConfig.Rule rule : rules) {
            Compiled c = new Compiled(Pattern.compile(rule.text(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE),
                    rule);
            String prefix = literalPrefix(rule.text());
            if (prefix.length() >= MIN_KEY) {
                String key = prefix.substring(0, Math.min(MAX_KEY, prefix.length()));
                byPrefix.computeIfAbsent(key.length(), k -> new HashMap<>())
                        .computeIfAbsent(key, k -> new ArrayList<>()).add(c);
            } else {
                unindexed.add(c);
                any.append(any.length() == 0 ? "" : "|").append("(?:").append(rule.text()).append(')');
            }
        }
        this.size = rules.size();
        this.keyLengths = byPrefix.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
        this.anyUnindexed = unindexed.isEmpty() ? null
                : Pattern.compile(any.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    int size() {
        return size;
    }

    /** The first rule that matches somewhere in {@code folded} (lower case already). */
    Optional<ModerationConfig.Rule> find(String folded) {
        for (int i = 0; i + MIN_KEY <= folded.length(); i++) {
            for (int length : keyLengths) {
                if (i + length > folded.length()) {
                    break;
                }
                List<Compiled> candidates = byPrefix.get(length).get(folded.substring(i, i + length));
                if (candidates == null) {
                    continue;
                }
                for (Compiled c : candidates) {
                    // Transparent bounds: a leading \b still sees the character before the region.
                    Matcher m = c.pattern().matcher(folded).region(i, folded.length()).useTransparentBounds(true)
                            .useAnchoringBounds(false);
                    if (m.lookingAt()) {
                        return Optional.of(c.rule());
                    }
                }
            }
        }
        if (anyUnindexed != null && anyUnindexed.matcher(folded).find()) {
            for (Compiled c : unindexed) {
                if (c.pattern().matcher(folded).find()) {
                    return Optional.of(c.rule());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The literal text every match of {@code regex} starts with, lower case: leading {@code \b} skipped, ending
     * before the first metacharacter, and before a character a quantifier makes optional. "" when there is none
     * (then the pattern is not indexed; being safe matters more than being fast here).
     */
    static String literalPrefix(String regex) {
        int i = 0;
        while (regex.startsWith("\\b", i)) {
            i += 2;
        }
        StringBuilder prefix = new StringBuilder();
        for (; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (META.indexOf(c) >= 0 || !Character.isLetterOrDigit(c) && c != ' ' && c != '-' && c != '/'
                    && c != ':' && c != '\'') {
                break;
            }
            prefix.append(Character.toLowerCase(c));
        }
        if (i < regex.length() && "?*{".indexOf(regex.charAt(i)) >= 0 && prefix.length() > 0) {
            prefix.setLength(prefix.length() - 1);
        }
        if (!prefix.toString().equals(prefix.toString().toLowerCase(java.util.Locale.ROOT))
                || prefix.chars().anyMatch(ch -> ch > 0x7e)) {
            return "";
        }
        return prefix.toString();
    }
}
