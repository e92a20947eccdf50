package dev.parley.conversation;

import dev.parley.config.HealthConfig;
import dev.parley.core.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Notices a conversation that has degenerated, from the seats' messages alone:
 * <ul>
 *   <li>a seat saying (nearly) the same thing {@code repeats} times in a row;</li>
 *   <li>a streak of {@code emptyStreak} seat messages that each bring fewer than {@code minNewWords} words not
 *   seen in the last {@code window} messages: acknowledgement ping-pong, "still waiting", lone punctuation.</li>
 * </ul>
 * Short lines are fine as long as they bring something new, so a lively exchange never fires it.
 * A human message resets the streak: somebody stepped in.
 */
final class HealthMonitor {
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:['’][\\p{L}]+)?");

    private final HealthConfig config;
    private final Deque<Set<String>> recentWords = new ArrayDeque<>();
    private final Map<String, String> lastBySpeaker = new HashMap<>();
    private final Map<String, Integer> repeatsBySpeaker = new HashMap<>();
    private int emptyStreak;

    HealthMonitor(HealthConfig config) {
        this.config = config;
    }

    /** Looks at one more message; returns why the conversation is unhealthy, if it now is. */
    Optional<String> observe(Message m) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        List<String> words = words(m.text());
        if (m.speaker().isHuman()) {
            emptyStreak = 0;
            remember(words);
            return Optional.empty();
        }
        Optional<String> verdict = checkRepeat(m.speaker().name(), words)
                .or(() -> checkEmpty(words));
        remember(words);
        return verdict;
    }

    /** Forget the streaks, after the monitor has fired with a notice or an operator resumed. */
    void reset() {
        emptyStreak = 0;
        repeatsBySpeaker.clear();
    }

    private Optional<String> checkRepeat(String speaker, List<String> words) {
        String normal = String.join(" ", words);
        String previous = lastBySpeaker.put(speaker, normal);
        int count = previous != null && similarity(previous, normal) >= config.similarity()
                ? repeatsBySpeaker.getOrDefault(speaker, 1) + 1 : 1;
        repeatsBySpeaker.put(speaker, count);
        if (count >= config.repeats()) {
            return Optional.of(speaker + " said nearly the same thing " + count + " times in a row");
        }
        return Optional.empty();
    }

    private Optional<String> checkEmpty(List<String> words) {
        Set<String> seen = new HashSet<>();
        recentWords.forEach(seen::addAll);
        long fresh = words.stream().distinct().filter(w -> !seen.contains(w)).count();
        emptyStreak = fresh < config.minNewWords() ? emptyStreak + 1 : 0;
        if (emptyStreak >= config.emptyStreak()) {
            return Optional.of(emptyStreak + " messages in a row added nothing new");
        }
        return Optional.empty();
    }

    private void remember(List<String> words) {
        recentWords.addLast(new HashSet<>(words));
        while (recentWords.size() > config.window()) {
            recentWords.removeFirst();
        }
    }

    static List<String> words(String text) {
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /**
     * Similarity of two normalised texts in [0, 1]: 1 - edit distance / longer length, so "still waiting" and
     * "still waiting." are the same and a changed number in a long line still counts as nearly the same.
     */
    static double similarity(String a, String b) {
        // Long replies are compared on their openings: enough to see a loop, and keeps this O(1) per message.
        a = a.substring(0, Math.min(a.length(), 600));
        b = b.substring(0, Math.min(b.length(), 600));
        if (a.equals(b)) {
            return 1.0;
        }
        int longer = Math.max(a.length(), b.length());
        if (longer == 0) {
            return 1.0;
        }
        if (Math.abs(a.length() - b.length()) > longer / 2) {
            return 0.0;
        }
        return 1.0 - (double) editDistance(a, b) / longer;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
