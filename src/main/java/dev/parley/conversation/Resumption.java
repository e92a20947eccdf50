package dev.parley.conversation;

import dev.parley.archive.JournalEvent;
import dev.parley.core.Message;
import dev.parley.core.SeatId;
import dev.parley.core.Speaker;
import dev.parley.model.Usage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a conversation stood, read back from its journal after a restart: its history, turn count, who spoke
 * last, what each seat has used, and replies that were streaming when the process died (their shown paragraphs).
 */
record Resumption(long lastSeq, Instant startedAt, List<Message> history, int turns, Optional<SeatId> lastTurn,
                  Map<SeatId, Usage> usage, Map<SeatId, String> unfinished) {

    static Resumption of(List<JournalEvent> events, Map<SeatId, Speaker> seats) {
        long lastSeq = 0;
        Instant startedAt = null;
        List<Message> history = new ArrayList<>();
        int turns = 0;
        Optional<SeatId> lastTurn = Optional.empty();
        Map<SeatId, Usage> usage = new HashMap<>();
        Map<SeatId, List<String>> drafts = new LinkedHashMap<>();
        for (JournalEvent e : events) {
            lastSeq = e.seq();
            if (e instanceof JournalEvent.Start s) {
                startedAt = s.ts();
            } else if (e instanceof JournalEvent.Draft d && known(seats, d.seat())) {
                drafts.computeIfAbsent(SeatId.of(d.seat()), k -> new ArrayList<>()).add(d.text());
            } else if (e instanceof JournalEvent.Said said) {
                boolean bySeat = said.isModel() && known(seats, said.seat());
                SeatId seat = bySeat ? SeatId.of(said.seat()) : null;
                history.add(new Message(bySeat ? seats.get(seat) : Speaker.human(said.speaker()), said.text(),
                        said.ts()));
                if (bySeat) {
                    drafts.remove(seat);
                    turns++;
                    lastTurn = Optional.of(seat);
                    usage.merge(seat, new Usage(orZero(said.inputTokens()), orZero(said.outputTokens()),
                            orZero(said.cachedTokens())), Usage::plus);
                }
            } else if (e instanceof JournalEvent.Stop) {
                throw new IllegalStateException("this journal has already ended (event " + e.seq() + ")");
            }
        }
        Map<SeatId, String> unfinished = new LinkedHashMap<>();
        drafts.forEach((seat, parts) -> unfinished.put(seat, String.join("\n\n", parts)));
        return new Resumption(lastSeq, startedAt, history, turns, lastTurn, usage, unfinished);
    }

    private static boolean known(Map<SeatId, Speaker> seats, String id) {
        return id != null && seats.keySet().stream().anyMatch(s -> s.value().equals(id));
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }
}
