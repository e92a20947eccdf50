package dev.parley.web;

import dev.parley.archive.JournalEvent;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One journal event as one {@code <li>} of an episode's log, the same on a page, in the static site and in a live
 * update. Seats get a colour each by their place at the table; humans share one; notices, commands, pauses and the
 * stop are set apart. Every string from the journal is escaped or goes through {@link MessageHtml}.
 */
final class EventHtml {
    static final int COLOURS = 8;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final String SYSTEM = "parley";

    private final Map<String, Integer> seatByName = new HashMap<>();
    private final Map<String, Integer> seatById = new HashMap<>();
    private final Map<String, String> seatNames = new HashMap<>();
    private final Set<String> humans;
    /** Messages an operator took back: out of the page as out of the transcript (the journal keeps them). */
    private final Set<Long> retracted = new HashSet<>();
    private final Pseudonyms pseudonyms;
    private final ZoneId zone;
    /** The notice the engine posts after the last pause, resume or stop, which would say it twice. */
    private String echo;

    EventHtml(List<JournalEvent.SeatInfo> seats, Set<String> humans, Pseudonyms pseudonyms, ZoneId zone) {
        for (int i = 0; i < seats.size(); i++) {
            JournalEvent.SeatInfo s = seats.get(i);
            seatByName.putIfAbsent(s.name(), i);
            seatById.putIfAbsent(s.id(), i);
            seatNames.putIfAbsent(s.id(), s.name());
        }
        this.humans = humans;
        this.pseudonyms = pseudonyms;
        this.zone = zone;
    }

    static EventHtml of(EpisodeSummary summary, Pseudonyms pseudonyms, ZoneId zone) {
        EventHtml html = new EventHtml(summary.seats(), summary.humans(), pseudonyms, zone);
        html.retracted.addAll(summary.retracted());
        return html;
    }

    /** The colour class of seat number {@code i}. */
    static String colour(int i) {
        return "s" + (i % COLOURS);
    }

    /** The list item of {@code event}, or "" for an event a reader does not see (the start is the page's header). */
    String item(JournalEvent event) {
        String html = render(event);
        echo = event instanceof JournalEvent.Pause p ? "Paused " + p.reason() + "."
                : event instanceof JournalEvent.Resume r ? "Resumed" + (r.by() == null || SYSTEM.equals(r.by()) ? ""
                : " by " + r.by()) + "."
                : event instanceof JournalEvent.Stop st ? "Conversation ended: " + st.reason() + "." : null;
        return html;
    }

    private String render(JournalEvent event) {
        if (event instanceof JournalEvent.Said s) {
            return retracted.contains(s.seq()) ? "" : said(s);
        } else if (event instanceof JournalEvent.Retract r) {
            // A live page removes the messages named in data-retracts (live.js); a page read later never had them.
            List<Long> taken = r.messages() == null ? List.of() : r.messages();
            retracted.addAll(taken);
            String ids = String.join(" ", taken.stream().map(seq -> "m-" + seq).toList());
            return "<li class=\"event notice\" id=\"e-" + r.seq() + "\" data-retracts=\"" + Html.esc(ids) + "\">"
                    + time(r) + " " + (taken.size() == 1 ? "A message was" : taken.size() + " messages were")
                    + " retracted by " + Html.name(human(r.by())) + ".</li>";
        } else if (event instanceof JournalEvent.Draft d) {
            return draft(d);
        } else if (event instanceof JournalEvent.Notice n) {
            // The rooms are told of a pause, a resume or the end in words the line above already shows.
            if (n.text() != null && n.text().equals(echo)) {
                return "";
            }
            return line(n, "notice", text(n.text()));
        } else if (event instanceof JournalEvent.Command c) {
            return line(c, "command", Html.name(human(c.sender())) + ": <code>" + text(c.text()) + "</code>"
                    + (c.authorized() ? "" : " (not allowed)")
                    + (c.outcome() == null || c.outcome().isBlank() ? "" : " \u2192 " + text(c.outcome())));
        } else if (event instanceof JournalEvent.Pause p) {
            return line(p, "pause", "Paused" + (p.reason() == null ? "" : " " + text(p.reason())) + ".");
        } else if (event instanceof JournalEvent.Resume r) {
            return line(r, "resume", "Resumed" + (r.by() == null || SYSTEM.equals(r.by()) ? ""
                    : " by " + Html.name(human(r.by()))) + ".");
        } else if (event instanceof JournalEvent.Failure f) {
            return line(f, "failure", Html.name(seatName(f.seat())) + ": " + text(f.kind())
                    + (f.message() == null ? "" : ", " + text(f.message()))
                    + (f.action() == null ? "" : " (" + text(f.action()) + ")"));
        } else if (event instanceof JournalEvent.Withheld w) {
            // Never the withheld text: the notice the rooms saw follows as its own event (the journal keeps the text).
            return "";
        } else if (event instanceof JournalEvent.Restart r) {
            return line(r, "restart", "parley restarted and went on from the journal.");
        } else if (event instanceof JournalEvent.Stop s) {
            return line(s, "stop", "Ended: " + text(s.reason()) + ".");
        } else if (event instanceof JournalEvent.Start s) {
            return line(s, "start", "Started" + (s.rooms() == null || s.rooms().isEmpty() ? ""
                    : " in " + text(String.join(", ", s.rooms()))) + ".");
        }
        return "";
    }

    private String said(JournalEvent.Said s) {
        boolean human = s.isHuman();
        Integer seat = human ? null : seatOf(s.seat(), s.speaker());
        String name = human ? human(s.speaker()) : s.speaker();
        String cls = human ? "human" : seat == null ? "other" : colour(seat);
        String anchor = "m-" + s.seq();
        StringBuilder out = new StringBuilder(256);
        out.append("<li class=\"msg ").append(cls).append("\" id=\"").append(anchor).append('"');
        if (s.seat() != null) {
            out.append(" data-seat=\"").append(Html.esc(s.seat())).append('"');
        }
        out.append("><div class=\"who\"><span class=\"name\">").append(Html.name(name)).append("</span> ")
                .append(time(s));
        if (!human && s.model() != null) {
            out.append(" <span class=\"model\">").append(Html.esc(s.model())).append("</span>");
        }
        out.append(" <a class=\"permalink\" href=\"")
                .append(EpisodeSummary.pageFile(EpisodeSummary.pageOf(s.seq()))).append('#').append(anchor)
                .append("\" title=\"Link to this message\">#</a>");
        out.append("</div><div class=\"body\">").append(MessageHtml.render(scrub(s.text()))).append("</div></li>");
        return out.toString();
    }

    private String draft(JournalEvent.Draft d) {
        Integer seat = seatOf(d.seat(), null);
        return "<li class=\"msg draft " + (seat == null ? "other" : colour(seat)) + "\" id=\"d-" + d.seq()
                + "\" data-seat=\"" + Html.esc(d.seat()) + "\"><div class=\"who\"><span class=\"name\">"
                + Html.name(seatName(d.seat())) + "</span> " + time(d) + " <span class=\"typing\">writing\u2026</span>"
                + "</div><div class=\"body\">" + MessageHtml.render(scrub(d.text())) + "</div></li>";
    }

    private String line(JournalEvent e, String kind, String html) {
        return "<li class=\"event " + kind + "\" id=\"e-" + e.seq() + "\">" + time(e) + " " + html + "</li>";
    }

    private String time(JournalEvent e) {
        return "<time datetime=\"" + e.ts() + "\">" + CLOCK.format(e.ts().atZone(zone)) + "</time>";
    }

    private Integer seatOf(String seatId, String name) {
        Integer i = seatId == null ? null : seatById.get(seatId);
        return i != null ? i : name == null ? null : seatByName.get(name);
    }

    private String seatName(String seatId) {
        return seatId == null ? "?" : seatNames.getOrDefault(seatId, seatId);
    }

    private String human(String name) {
        return pseudonyms.of(name);
    }

    private String scrub(String text) {
        return pseudonyms.scrub(text, humans);
    }

    private String text(String s) {
        return Html.esc(scrub(s));
    }
}
