package dev.parley.gate;

import dev.parley.config.ModerationConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The word and pattern lists. Literal words go into one hash map, so a message costs one lookup per word whatever
 * the size of the lists; phrases are looked up by their first word. Regular expressions are compiled into one
 * alternation, run once over the folded text; only when it matches is each one tried to name the rule.
 */
public final class WordListGate implements Screen {
    private final TextFolding folding;
    private final Map<String, ModerationConfig.Rule> words = new HashMap<>();
    private final Map<String, List<Phrase>> phrases = new HashMap<>();
    private final List<Compiled> patterns = new ArrayList<>();
    private final Pattern anyPattern;
    private int longestWord;

    private record Phrase(List<String> words, ModerationConfig.Rule rule) { }

    private record Compiled(Pattern pattern, ModerationConfig.Rule rule) { }

    public WordListGate(List<ModerationConfig.Rule> rules, TextFolding folding) {
        this.folding = folding;
        StringBuilder any = new StringBuilder();
        for (ModerationConfig.Rule rule : rules) {
            if (rule.regex()) {
                patterns.add(new Compiled(compile(rule.text()), rule));
                any.append(any.length() == 0 ? "" : "|").append("(?:").append(rule.text()).append(')');
                continue;
            }
            List<String> ws = TextFolding.words(folding.fold(rule.text()));
            if (ws.size() == 1) {
                words.putIfAbsent(ws.get(0), rule);
                longestWord = Math.max(longestWord, ws.get(0).length());
            } else if (ws.size() > 1) {
                phrases.computeIfAbsent(ws.get(0), w -> new ArrayList<>()).add(new Phrase(ws, rule));
            }
        }
        this.anyPattern = patterns.isEmpty() ? null : compile(any.toString());
    }

    private static Pattern compile(String regex) {
        return Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    @Override
    public Verdict judge(Candidate candidate) {
        String folded = folding.fold(candidate.text());
        List<String> ws = TextFolding.words(folded);
        for (int i = 0; i < ws.size(); i++) {
            ModerationConfig.Rule rule = words.get(ws.get(i));
            if (rule != null) {
                return Verdict.hit(rule.where(), "listed word");
            }
            List<Phrase> starting = phrases.get(ws.get(i));
            if (starting != null) {
                Optional<Phrase> p = matchAt(starting, ws, i);
                if (p.isPresent()) {
                    return Verdict.hit(p.get().rule().where(), "listed phrase");
                }
            }
        }
        for (String run : TextFolding.spelled(ws)) {
            Optional<ModerationConfig.Rule> inside = wordInside(run);
            if (inside.isPresent()) {
                return Verdict.hit(inside.get().where(), "listed word, spelled out");
            }
        }
        if (anyPattern != null && anyPattern.matcher(folded).find()) {
            for (Compiled c : patterns) {
                if (c.pattern().matcher(folded).find()) {
                    return Verdict.hit(c.rule().where(), "listed pattern");
                }
            }
        }
        return Verdict.PASS;
    }

    /** A listed word anywhere in a spelled-out run; bounded by the longest listed word, not the run squared. */
    private Optional<ModerationConfig.Rule> wordInside(String run) {
        for (int from = 0; from < run.length(); from++) {
            for (int to = from + 2; to <= Math.min(run.length(), from + longestWord); to++) {
                ModerationConfig.Rule rule = words.get(run.substring(from, to));
                if (rule != null) {
                    return Optional.of(rule);
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Phrase> matchAt(List<Phrase> starting, List<String> ws, int at) {
        for (Phrase p : starting) {
            if (at + p.words().size() <= ws.size() && ws.subList(at, at + p.words().size()).equals(p.words())) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** How many rules it holds, for {@code !filter}. */
    public int size() {
        return words.size() + phrases.values().stream().mapToInt(List::size).sum() + patterns.size();
    }
}
