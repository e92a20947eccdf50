package dev.parley.gate;

import dev.parley.config.ModerationConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The word and pattern lists. Literal words go into one hash map, so a message costs one lookup per word whatever
 * the size of the lists; phrases are looked up by their first word. Regular expressions run over the folded
 * text through a {@link PatternSet}.
 */
public final class WordListGate implements Screen {
    private final TextFolding folding;
    private final Map<String, ModerationConfig.Rule> words = new HashMap<>();
    private final Map<String, List<Phrase>> phrases = new HashMap<>();
    private final PatternSet patterns;
    private int longestWord;

    private record Phrase(List<String> words, ModerationConfig.Rule rule) { }

    public WordListGate(List<ModerationConfig.Rule> rules, TextFolding folding) {
        this.folding = folding;
        for (ModerationConfig.Rule rule : rules) {
            if (rule.regex()) {
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
        this.patterns = new PatternSet(rules.stream().filter(ModerationConfig.Rule::regex).toList());
    }

    @Override
    public Verdict judge(Candidate candidate) {
        String plain = folding.plain(candidate.text());
        String folded = folding.leetspeak() ? folding.fold(candidate.text()) : plain;
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
        // Patterns see the text both ways with leetspeak on: "b4d" is "bad", but \d must still match "42".
        return patterns.find(plain).or(() -> folded.equals(plain) ? Optional.empty() : patterns.find(folded))
                .map(rule -> Verdict.hit(rule.where(), "listed pattern")).orElse(Verdict.PASS);
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
