package dev.parley.web;

import dev.parley.archive.EpisodeId;
import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalScanner;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The HTML of every page, for the live server and the static site alike, so a link or permalink works in both.
 * Pages link relatively ({@code ../../../style.css}), read well without JavaScript, and carry {@code noindex} unless
 * their conversation is indexable. Live pages add the search form, the "now" section and the live-update script.
 */
final class Pages {
    static final int EPISODES_PER_PAGE = 50;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm");
    private static final String EPISODE_ROOT = "../../../";

    private final boolean live;
    private final Pseudonyms pseudonyms;
    private final ZoneId zone;
    private final Visibility visibility;

    Pages(boolean live, Pseudonyms pseudonyms, ZoneId zone, Visibility visibility) {
        this.live = live;
        this.pseudonyms = pseudonyms;
        this.zone = zone;
        this.visibility = visibility;
    }

    Pseudonyms pseudonyms() {
        return pseudonyms;
    }

    ZoneId zone() {
        return zone;
    }

    /** The archive's page {@code page} (1-based) at the site's root, with what runs now above it on the first. */
    void index(Writer out, List<LiveStatus> now, List<EpisodeSummary> all, int page, Map<EpisodeId, Integer> numbers)
            throws IOException {
        int pages = Math.max(1, (all.size() + EPISODES_PER_PAGE - 1) / EPISODES_PER_PAGE);
        head(out, page == 1 ? "parley" : "parley: archive, page " + page, "", false);
        if (page == 1 && live) {
            List<LiveStatus> shown = now.stream().filter(s -> !visibility.hidden(s.conversation())).toList();
            if (!shown.isEmpty()) {
                out.write("<section class=\"now\"><h2>Now</h2><ul class=\"conversations\">");
                for (LiveStatus s : shown) {
                    conversation(out, s);
                }
                out.write("</ul></section>");
            }
        }
        out.write("<section class=\"archive\"><h2>Archive</h2>");
        if (all.isEmpty()) {
            out.write("<p>No episode yet.</p>");
        }
        out.write("<ol class=\"episodes\">");
        Map<EpisodeId, LiveStatus.State> current = new HashMap<>();
        now.stream().filter(s -> s.episode() != null).forEach(s -> current.put(s.episode(), s.state()));
        int from = (page - 1) * EPISODES_PER_PAGE;
        for (EpisodeSummary s : all.subList(Math.min(from, all.size()), Math.min(from + EPISODES_PER_PAGE, all.size()))) {
            out.write("<li><a href=\"" + href(s.id()) + "index.html\">" + title(s) + "</a><div class=\"meta\">"
                    + Html.name(s.id().conversation())
                    + (numbers.containsKey(s.id()) ? " \u00b7 episode " + numbers.get(s.id()) : "")
                    + " \u00b7 <time datetime=\"" + s.started() + "\">" + date(s.started()) + "</time> \u00b7 "
                    + s.messages() + (s.messages() == 1 ? " message" : " messages") + " \u00b7 "
                    + (s.finished() ? "ended: " + Html.esc(scrub(s, s.stopReason()))
                    : current.containsKey(s.id()) ? current.get(s.id()).label() : "not ended")
                    + "</div></li>");
        }
        out.write("</ol>");
        pager(out, page, pages, p -> p == 1 ? "index.html" : "page-" + p + ".html");
        out.write("</section>");
        foot(out, "", false);
    }

    private void conversation(Writer out, LiveStatus s) throws IOException {
        String state = s.state().name().toLowerCase();
        out.write("<li class=\"conversation\"><div class=\"line\">");
        if (s.episode() != null) {
            out.write("<a href=\"" + href(s.episode()) + "index.html\">" + Html.name(s.title()) + "</a>");
        } else {
            out.write(Html.name(s.title()));
        }
        out.write(" <span class=\"badge " + state + "\">" + s.state().label() + "</span>");
        if (s.nextStart() != null) {
            out.write(" <span class=\"next\">next episode <time datetime=\"" + s.nextStart() + "\">"
                    + date(s.nextStart()) + "</time></span>");
        }
        out.write("</div><div class=\"meta\">" + Html.name(s.conversation()));
        if (s.episodeNumber() > 0) {
            out.write(" \u00b7 episode " + s.episodeNumber());
        }
        out.write(" \u00b7 turn " + s.turn() + (s.maxTurns() > 0 ? " of " + s.maxTurns() : ""));
        if (!s.cast().isEmpty()) {
            out.write(" \u00b7 cast: " + String.join(", ", s.cast().stream().map(Html::name).toList()));
        }
        if (!s.rooms().isEmpty()) {
            out.write(" \u00b7 rooms: " + Html.esc(String.join(", ", s.rooms())));
        }
        out.write("</div>");
        if (s.last() != null) {
            String who = s.last().human() ? pseudonyms.of(s.last().speaker()) : s.last().speaker();
            out.write("<div class=\"last\"><span class=\"name\">" + Html.name(who) + "</span>: "
                    + Html.esc(Html.shorten(s.last().text(), 240)) + "</div>");
        }
        out.write("</li>");
    }

    /**
     * Page {@code page} of an episode, read from its journal a line at a time from where the page starts. The
     * last page of a running episode also shows what is being written, and loads the live-update script.
     * Returns the seq of the last event on the page.
     */
    long episode(Writer out, EpisodeSummary s, Path journal, int page, Integer number, LiveStatus.State state)
            throws IOException {
        boolean following = live && state != null && !s.finished() && page == s.pages();
        head(out, s.title() + (page > 1 ? " (page " + page + ")" : ""), EPISODE_ROOT,
                visibility.indexable(s.id().conversation()));
        out.write("<article class=\"episode\"" + (following ? " data-events=\"events\"" : "") + ">");
        out.write("<h1>" + title(s) + "</h1><p class=\"meta\">" + Html.name(s.id().conversation())
                + (number != null ? " \u00b7 episode " + number : "")
                + " \u00b7 started <time datetime=\"" + s.started() + "\">" + date(s.started()) + "</time>"
                + (s.finished() ? " \u00b7 ended <time datetime=\"" + s.ended() + "\">" + date(s.ended()) + "</time>"
                : "") + " \u00b7 " + s.messages() + (s.messages() == 1 ? " message" : " messages") + "</p>");
        String stateName = s.finished() ? "ended" : state == null ? "unfinished"
                : state.name().toLowerCase();
        String stateText = s.finished() ? "Ended: " + Html.esc(scrub(s, s.stopReason())) + "."
                : state == null ? "Not ended (parley stopped before it did)." : Html.esc(state.label());
        out.write("<p class=\"state\" id=\"state\" data-state=\"" + stateName + "\">" + stateText + "</p>");
        out.write("<p class=\"downloads\"><a href=\"transcript.md\" download>Transcript (.md)</a>"
                + (pseudonyms.enabled() ? "" : " <a href=\"journal.jsonl\" download>Journal (.jsonl)</a>") + "</p>");
        out.write("<ul class=\"cast\">");
        for (int i = 0; i < s.seats().size(); i++) {
            JournalEvent.SeatInfo seat = s.seats().get(i);
            out.write("<li class=\"" + EventHtml.colour(i) + "\">" + Html.name(seat.name()) + " <span class=\"model\">"
                    + Html.esc(seat.model() == null ? seat.provider() : seat.model()) + "</span></li>");
        }
        out.write("</ul>");
        pager(out, page, s.pages(), EpisodeSummary::pageFile);
        EventHtml html = EventHtml.of(s, pseudonyms, zone);
        long last = 0;
        StringBuilder items = new StringBuilder();
        Map<String, List<String>> writing = new LinkedHashMap<>();
        long firstSeq = (long) (page - 1) * EpisodeSummary.EVENTS_PER_PAGE + 1;
        long lastSeq = (long) page * EpisodeSummary.EVENTS_PER_PAGE;
        out.write("<ol class=\"log\" id=\"log\">");
        if (page <= s.pageOffsets().length) {
            try (JournalScanner scanner = JournalScanner.open(journal, s.pageOffsets()[page - 1])) {
                long seq = firstSeq - 1;
                for (JournalScanner.Line line = scanner.next(); line != null && seq < lastSeq; line = scanner.next()) {
                    seq++;
                    if (line.type().equals("draft") && s.finished()) {
                        continue; // the whole reply follows as a message
                    }
                    JournalEvent event = line.event(journal);
                    last = event.seq();
                    if (event instanceof JournalEvent.Draft d) {
                        writing.computeIfAbsent(String.valueOf(d.seat()), k -> new ArrayList<>()).add(html.item(d));
                        continue;
                    }
                    if (event instanceof JournalEvent.Said said && said.seat() != null) {
                        writing.remove(said.seat());
                    }
                    items.append(html.item(event));
                    if (items.length() > 32 * 1024) {
                        out.write(items.toString());
                        items.setLength(0);
                    }
                }
            }
        }
        out.write(items.toString());
        if (!s.finished()) {
            for (List<String> drafts : writing.values()) {
                for (String d : drafts) {
                    out.write(d);
                }
            }
        }
        out.write("</ol>");
        out.write("<p id=\"after\" hidden data-after=\"" + last + "\"></p>");
        pager(out, page, s.pages(), EpisodeSummary::pageFile);
        out.write("</article>");
        foot(out, EPISODE_ROOT, following);
        return last;
    }

    /** The search page (live only): the form, then the episodes found with up to three messages each. */
    void search(Writer out, String query, String speaker, List<Search.Hit> hits, long micros, int limit)
            throws IOException {
        head(out, "parley: search", "", false);
        out.write("<section class=\"search\"><h2>Search</h2>");
        searchForm(out, query, speaker);
        if (!query.isBlank() || !speaker.isBlank()) {
            out.write("<p class=\"meta\">" + hits.size() + (hits.size() >= limit ? "+" : "")
                    + (hits.size() == 1 ? " episode" : " episodes") + " in " + String.format("%.1f", micros / 1000.0)
                    + " ms</p><ol class=\"episodes\">");
            for (Search.Hit hit : hits) {
                EpisodeSummary s = hit.episode();
                out.write("<li><a href=\"" + href(s.id()) + "index.html\">" + title(s) + "</a><div class=\"meta\">"
                        + Html.name(s.id().conversation()) + " \u00b7 " + date(s.started()) + "</div><ul class=\"matches\">");
                for (Search.Match m : hit.matches()) {
                    out.write("<li><a href=\"" + href(s.id()) + EpisodeSummary.pageFile(EpisodeSummary.pageOf(m.seq()))
                            + "#m-" + m.seq() + "\">" + Html.name(m.speaker()) + "</a>: " + Html.esc(m.text()) + "</li>");
                }
                out.write("</ul></li>");
            }
            out.write("</ol>");
        }
        out.write("</section>");
        foot(out, "", false);
    }

    /** The page for anything that is not there (or not shown): it says no more than that. */
    String notFound() {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"robots\" "
                + "content=\"noindex\"><title>Not found</title></head><body><h1>Not found</h1>"
                + "<p>There is nothing here. <a href=\"/\">The archive</a></p></body></html>";
    }

    private void searchForm(Writer out, String query, String speaker) throws IOException {
        out.write("<form class=\"find\" action=\"search\" method=\"get\" role=\"search\">"
                + "<input type=\"search\" name=\"q\" placeholder=\"words\" value=\"" + Html.esc(query) + "\" "
                + "aria-label=\"words\"> <input type=\"text\" name=\"speaker\" placeholder=\"speaker\" value=\""
                + Html.esc(speaker) + "\" aria-label=\"speaker\"> <button>Search</button></form>");
    }

    private void head(Writer out, String title, String root, boolean indexable) throws IOException {
        out.write("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + (indexable ? "" : "<meta name=\"robots\" content=\"noindex, nofollow\">")
                + "<meta name=\"referrer\" content=\"no-referrer\">"
                + "<title>" + Html.esc(title) + "</title><link rel=\"stylesheet\" href=\"" + root + "style.css\">"
                + "</head><body><header><a class=\"home\" href=\"" + root + "index.html\">parley</a>");
        if (live) {
            out.write(" <a href=\"" + root + "search\">search</a>");
        }
        out.write("</header><main>");
    }

    private void foot(Writer out, String root, boolean script) throws IOException {
        out.write("</main><footer>Conversations between AI models, hosted by parley. What they say is theirs, "
                + "not anyone's opinion.</footer>");
        if (script) {
            out.write("<script src=\"" + root + "live.js\" defer></script>");
        }
        out.write("</body></html>\n");
    }

    private static void pager(Writer out, int page, int pages, IntFunction<String> file)
            throws IOException {
        if (pages <= 1) {
            return;
        }
        out.write("<nav class=\"pages\" aria-label=\"pages\">");
        if (page > 1) {
            out.write("<a rel=\"prev\" href=\"" + file.apply(page - 1) + "\">\u2190 newer</a> ".replace("newer",
                    "previous"));
        }
        out.write("<span>page " + page + " of " + pages + "</span>");
        if (page < pages) {
            out.write(" <a rel=\"next\" href=\"" + file.apply(page + 1) + "\">next \u2192</a>");
        }
        out.write("</nav>");
    }

    private String title(EpisodeSummary s) {
        return String.join(" \u2194 ", s.seats().stream().map(seat -> Html.name(seat.name())).toList());
    }

    private String scrub(EpisodeSummary s, String text) {
        return pseudonyms.scrub(text, s.humans());
    }

    private String date(Instant at) {
        return DATE.format(at.atZone(zone));
    }

    /** Where an episode's files are, from the site's root. */
    static String href(EpisodeId id) {
        return "c/" + id.conversation() + "/" + id.name() + "/";
    }
}
