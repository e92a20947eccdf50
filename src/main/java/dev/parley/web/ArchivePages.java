package dev.parley.web;

import dev.parley.archive.EpisodeId;
import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalReader;
import dev.parley.archive.Transcript;
import dev.parley.archive.TranscriptWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The archive's pages: the index (with what runs now), each episode's pages, and its downloads. */
final class ArchivePages {
    /** A transcript made on the fly (unfinished episode, or pseudonyms) needs the journal in memory: cap it. */
    static final long MAX_RENDERED_JOURNAL = 32L * 1024 * 1024;

    private final Catalog catalog;
    private final Pages pages;
    private final StatusSource status;

    ArchivePages(Catalog catalog, Pages pages, StatusSource status) {
        this.catalog = catalog;
        this.pages = pages;
        this.status = status;
    }

    void index(Exchange ex, int page) throws IOException {
        List<EpisodeSummary> all = catalog.episodes();
        int count = Math.max(1, (all.size() + Pages.EPISODES_PER_PAGE - 1) / Pages.EPISODES_PER_PAGE);
        if (page < 1 || page > count) {
            ex.notFound();
            return;
        }
        List<LiveStatus> now = status.conversations();
        ex.page(200, out -> pages.index(out, now, all, page, catalog.episodeNumbers()));
    }

    /** The episode's page or file {@code file} ("" or index.html, page-N.html, transcript.md, journal.jsonl). */
    void episode(Exchange ex, EpisodeId id, String file) throws IOException {
        Optional<EpisodeSummary> found = catalog.find(id);
        Path journal = catalog.journal(id);
        if (found.isEmpty() || journal == null) {
            ex.notFound();
            return;
        }
        EpisodeSummary s = found.get();
        int page = file.isEmpty() || file.equals("index.html") ? 1 : pageNumber(file);
        if (page > 0) {
            if (page > s.pages()) {
                ex.notFound();
                return;
            }
            LiveStatus.State state = currentState(id);
            Integer number = catalog.episodeNumbers().get(id);
            ex.page(200, out -> pages.episode(out, s, journal, page, number, state));
        } else if (file.equals("transcript.md")) {
            transcript(ex, s, journal);
        } else if (file.equals("journal.jsonl") && !pages.pseudonyms().enabled()) {
            ex.download("application/x-ndjson; charset=utf-8", id.name() + ".jsonl", Files.newInputStream(journal));
        } else {
            ex.notFound();
        }
    }

    /** The state of the conversation whose current episode this is; null when no conversation runs it now. */
    LiveStatus.State currentState(EpisodeId id) {
        return status.conversations().stream().filter(c -> id.equals(c.episode())).map(LiveStatus::state)
                .findFirst().orElse(null);
    }

    private void transcript(Exchange ex, EpisodeSummary s, Path journal) throws IOException {
        Path md = s.id().transcript(catalog.dir());
        if (!pages.pseudonyms().enabled() && s.finished() && Files.isRegularFile(md, LinkOption.NOFOLLOW_LINKS)) {
            ex.download("text/markdown; charset=utf-8", s.id().name() + ".md", Files.newInputStream(md));
            return;
        }
        if (Files.size(journal) > MAX_RENDERED_JOURNAL) {
            ex.text(404, "text/plain; charset=utf-8", "This transcript is too big to make here; "
                    + "run `parley render` on the journal.\n");
            return;
        }
        byte[] bytes = TranscriptWriter.renderBytes(transcriptOf(s, journal, pages));
        ex.download("text/markdown; charset=utf-8", s.id().name() + ".md", new ByteArrayInputStream(bytes));
    }

    /** The episode's transcript as the web shows it: humans' names pseudonymised when configured. */
    static Transcript transcriptOf(EpisodeSummary s, Path journal, Pages pages) {
        Pseudonyms p = pages.pseudonyms();
        List<JournalEvent> events = JournalReader.read(journal).stream()
                .map(e -> e instanceof JournalEvent.Said said && said.isHuman()
                        ? new JournalEvent.Said(said.seq(), said.ts(), p.of(said.speaker()), said.kind(), said.seat(),
                        p.scrub(said.text(), s.humans()), said.turn(), said.provider(), said.model(),
                        said.latencyMs(), said.inputTokens(), said.outputTokens(), said.cachedTokens(), null)
                        : e instanceof JournalEvent.Said said
                        ? new JournalEvent.Said(said.seq(), said.ts(), said.speaker(), said.kind(), said.seat(),
                        p.scrub(said.text(), s.humans()), said.turn(), said.provider(), said.model(),
                        said.latencyMs(), said.inputTokens(), said.outputTokens(), said.cachedTokens(), said.room())
                        : e)
                .toList();
        return Transcript.fromJournal(events, pages.zone());
    }

    /** N for "page-N.html" (N at least 2), else 0. */
    static int pageNumber(String file) {
        if (!file.startsWith("page-") || !file.endsWith(".html")) {
            return 0;
        }
        String n = file.substring(5, file.length() - 5);
        if (n.isEmpty() || n.length() > 9 || !n.chars().allMatch(Character::isDigit) || n.startsWith("0")) {
            return 0;
        }
        int page = Integer.parseInt(n);
        return page >= 2 ? page : 0;
    }
}
