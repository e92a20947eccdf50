package dev.parley.archive;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A conversation as its Markdown transcript shows it: the seats in the title, start and end as wall-clock times
 * (already in the configured zone, whole seconds), and every message said by a seat or a human, in order.
 * Names are single lines, because the format puts each on a line of its own.
 */
public record Transcript(List<String> title, LocalDateTime started, LocalDateTime ended, List<Entry> messages) {
    public Transcript {
        title = List.copyOf(title);
        if (title.isEmpty()) {
            throw new IllegalArgumentException("a transcript title names at least one seat");
        }
        title.forEach(name -> checkName(name, "title name"));
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(ended, "ended");
        started = started.truncatedTo(ChronoUnit.SECONDS);
        ended = ended.truncatedTo(ChronoUnit.SECONDS);
        messages = List.copyOf(messages);
    }

    /** One message section: who said it and the text exactly as spoken (possibly blank, possibly many lines). */
    public record Entry(String speaker, String text) {
        public Entry {
            checkName(speaker, "speaker");
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * The transcript of a journal: title from the seats of the {@code start} event, started at that event, ended at
     * the {@code stop} event or, for a conversation still running or cut off, at the last event; every message
     * said (by seats and humans) is a section, unless an operator retracted it; commands, notices and steering are
     * not. Times are shown in {@code zone}.
     * Line breaks in a speaker's name (a Matrix display name can hold one) become spaces, since a name is one line.
     */
    public static Transcript fromJournal(List<JournalEvent> events, ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        JournalEvent.Start start = null;
        Instant ended = null;
        Map<Long, Entry> messages = new LinkedHashMap<>();
        Set<String> invited = new LinkedHashSet<>();
        for (JournalEvent event : events) {
            if (event instanceof JournalEvent.Start s && start == null) {
                start = s;
            } else if (event instanceof JournalEvent.Said said) {
                messages.put(said.seq(), new Entry(oneLine(said.speaker()), said.text() == null ? "" : said.text()));
            } else if (event instanceof JournalEvent.Retract r && r.messages() != null) {
                r.messages().forEach(messages::remove);
            } else if (event instanceof JournalEvent.Steer s && JournalEvent.Steer.INVITE.equals(s.action())
                    && s.text() != null) {
                invited.add(oneLine(s.text()));
            } else if (event instanceof JournalEvent.Stop stop && ended == null) {
                ended = stop.ts();
            }
        }
        if (start == null || start.seats() == null || start.seats().isEmpty()) {
            throw new JournalException("journal has no start event with seats: nothing to title the transcript with");
        }
        if (ended == null) {
            ended = events.get(events.size() - 1).ts();
        }
        // A seat invited mid-episode is in the cast too: the title names everyone who played.
        Set<String> title = new LinkedHashSet<>();
        start.seats().forEach(seat -> title.add(oneLine(seat.name())));
        title.addAll(invited);
        return new Transcript(List.copyOf(title), LocalDateTime.ofInstant(start.ts(), zone),
                LocalDateTime.ofInstant(ended, zone), List.copyOf(messages.values()));
    }

    private static String oneLine(String name) {
        String flat = name == null ? "" : name.replaceAll("[\\r\\n\\u0085\\u2028\\u2029]+", " ").strip();
        return flat.isEmpty() ? "(unnamed)" : flat;
    }

    private static void checkName(String name, String what) {
        Objects.requireNonNull(name, what);
        if (name.isEmpty() || name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(what + " must be one non-empty line: " + name.replace("\n", "\\n"));
        }
    }
}
