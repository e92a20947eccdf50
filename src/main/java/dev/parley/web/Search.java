package dev.parley.web;

import dev.parley.archive.JournalScanner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Search over the archive: every word of the query (whole words, any case), optionally said by one speaker.
 * Each episode's {@link WordFilter} and speaker list rule out most episodes without reading them; the rest are
 * read, newest first, until enough episodes matched, so a word in every episode costs a few files, not all.
 */
final class Search {
    static final int MATCHES_PER_EPISODE = 3;

    record Match(long seq, String speaker, boolean human, String text) { }

    record Hit(EpisodeSummary episode, List<Match> matches) { }

    private final Function<EpisodeSummary, Path> journals;
    private final Pseudonyms pseudonyms;

    Search(Function<EpisodeSummary, Path> journals, Pseudonyms pseudonyms) {
        this.journals = journals;
        this.pseudonyms = pseudonyms;
    }

    /** Up to {@code limit} episodes that match, newest first; none for an empty query. */
    List<Hit> find(List<EpisodeSummary> newestFirst, String query, String speaker, int limit) {
        List<String> words = WordFilter.words(query);
        String who = speaker == null ? "" : speaker.strip();
        List<Hit> hits = new ArrayList<>();
        if (words.isEmpty() && who.isEmpty()) {
            return hits;
        }
        for (EpisodeSummary s : newestFirst) {
            if (hits.size() >= limit) {
                break;
            }
            if (!words.stream().allMatch(s.words()::mightContain)
                    || !who.isEmpty() && s.speakers().stream().noneMatch(name -> shown(s, name).equalsIgnoreCase(who))) {
                continue;
            }
            Path file = journals.apply(s);
            if (file == null) {
                continue;
            }
            List<Match> matches = matches(s, file, Set.copyOf(words), who);
            if (!matches.isEmpty()) {
                hits.add(new Hit(s, matches));
            }
        }
        return hits;
    }

    private List<Match> matches(EpisodeSummary s, Path file, Set<String> words, String who) {
        List<Match> out = new ArrayList<>();
        try (JournalScanner scanner = JournalScanner.open(file, 0)) {
            long seq = 0;
            for (JournalScanner.Line line = scanner.next(); line != null && out.size() < MATCHES_PER_EPISODE;
                 line = scanner.next()) {
                seq++; // a journal's seqs are its line numbers
                if (!line.type().equals("message")) {
                    continue;
                }
                Catalog.MessageFields said = Catalog.MessageFields.of(line.bytes());
                if (said == null || said.speaker() == null || said.text() == null) {
                    continue;
                }
                String name = shown(s, said.speaker());
                if (!who.isEmpty() && !name.equalsIgnoreCase(who)) {
                    continue;
                }
                if (!words.isEmpty() && !new HashSet<>(WordFilter.words(said.text())).containsAll(words)) {
                    continue;
                }
                out.add(new Match(seq, name, "human".equals(said.kind()),
                        snippet(pseudonyms.scrub(said.text(), s.humans()), words)));
            }
        }
        return out;
    }

    private String shown(EpisodeSummary s, String name) {
        return s.humans().contains(name) ? pseudonyms.of(name) : name;
    }

    /** About 200 characters of {@code text} around the first query word. */
    static String snippet(String text, Set<String> words) {
        String lower = text.toLowerCase(Locale.ROOT);
        int at = words.stream().mapToInt(lower::indexOf).filter(i -> i >= 0).min().orElse(0);
        int from = Math.max(0, at - 80);
        if (from > 0 && Character.isLowSurrogate(text.charAt(from))) {
            from--;
        }
        String cut = Html.shorten(text.substring(from), 200);
        return (from > 0 ? "\u2026" : "") + cut;
    }
}
