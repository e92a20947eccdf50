package dev.parley.web;

import dev.parley.archive.EpisodeId;
import dev.parley.archive.JournalEvent;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What the archive knows of one episode without reading it again: its title and seats, when it started and
 * ended (null while unfinished), how many messages, why it stopped, who spoke, where each page starts in the
 * file, a filter of its words for search, and the messages operators retracted (never shown). Built by one pass
 * over the journal.
 */
record EpisodeSummary(EpisodeId id, List<JournalEvent.SeatInfo> seats, List<String> rooms, Instant started,
                      Instant ended, int messages, long lastSeq, String stopReason, Set<String> speakers,
                      Set<String> humans, long[] pageOffsets, WordFilter words, long size, long modified,
                      Set<Long> retracted) {
    /** Events per page, counted by seq: page k holds seq (k-1)*N+1 .. k*N, so any seq's page is known at once. */
    static final int EVENTS_PER_PAGE = 200;

    String title() {
        return seats.isEmpty() ? id.conversation() : String.join(" \u2194 ", seats.stream()
                .map(JournalEvent.SeatInfo::name).toList());
    }

    boolean finished() {
        return ended != null;
    }

    int pages() {
        return Math.max(1, pageOffsets.length);
    }

    static int pageOf(long seq) {
        return (int) ((Math.max(seq, 1) - 1) / EVENTS_PER_PAGE) + 1;
    }

    /** The file name of page {@code page} of an episode: index.html for the first. */
    static String pageFile(int page) {
        return page <= 1 ? "index.html" : "page-" + page + ".html";
    }
}
