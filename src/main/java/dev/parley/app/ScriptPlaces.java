package dev.parley.app;

import dev.parley.archive.JournalEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a resumed replay stands in its scripts: how many lines each seat has said, counting the reply it was
 * streaming when the process died. The paragraphs of that reply already shown become its message on resume, so
 * the seat's script must go on after that line, not say it again.
 */
final class ScriptPlaces {
    private final Map<String, Long> bySeat = new HashMap<>();
    private long messages;

    private ScriptPlaces() { }

    static ScriptPlaces of(List<JournalEvent> events) {
        ScriptPlaces places = new ScriptPlaces();
        Set<String> streaming = new HashSet<>();
        for (JournalEvent e : events) {
            if (e instanceof JournalEvent.Said s) {
                places.messages++;
                if (s.isModel() && s.seat() != null) {
                    places.bySeat.merge(s.seat(), 1L, Long::sum);
                    streaming.remove(s.seat());
                }
            } else if (e instanceof JournalEvent.Draft d && d.seat() != null) {
                streaming.add(d.seat());
            }
        }
        streaming.forEach(seat -> {
            places.bySeat.merge(seat, 1L, Long::sum);
            places.messages++;
        });
        return places;
    }

    /** Lines of its script the seat has said (or began to say and had shown when the process died). */
    long saidBy(String seat) {
        return bySeat.getOrDefault(seat, 0L);
    }

    /** Messages of the transcript the journal holds, or will once the unfinished replies are recorded. */
    long messages() {
        return messages;
    }
}
