package dev.parley.conversation;

import dev.parley.archive.JournalEvent;
import dev.parley.core.Message;
import dev.parley.core.SeatId;
import dev.parley.core.Speaker;
import dev.parley.model.Usage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where a conversation stood, read back from its journal after a restart: its history (without what operators
 * retracted) with the refs each message was shown under, turn count, who spoke last, what each seat has used,
 * replies that were streaming when the process died (their shown paragraphs), and operators' steering that lasts
 * (system prompts, models, notes not yet read, the topic, muted seats), and a pause nobody has lifted yet.
 */
record Resumption(long lastSeq, Instant startedAt, List<Ledger.Entry> history, int turns, Optional<SeatId> lastTurn,
                  Map<SeatId, Usage> usage, Map<SeatId, List<JournalEvent.Draft>> unfinished, Steering steering,
                  Map<Long, Long> parcels, Optional<JournalEvent.Pause> pause) {

    /** The parcel that showed the event {@code seq} in the rooms, or 0 if none did. */
    long parcelOf(long seq) {
        return parcels.getOrDefault(seq, 0L);
    }

    /**
     * Operators' lasting changes to seats, by seat; {@code muted} also holds seats the moderation gate muted (a seat
     * muted because its model failed for good is not in it: a restart is a fair moment to try that model again).
     */
    record Steering(Map<SeatId, String> systemPrompts, Map<SeatId, String> models, Map<SeatId, String> notes,
                    Optional<String> topic, Set<SeatId> muted) { }

    static Resumption of(List<JournalEvent> events, Map<SeatId, Speaker> seats) {
        long lastSeq = 0;
        Instant startedAt = null;
        Map<Long, Ledger.Entry> history = new LinkedHashMap<>();
        int turns = 0;
        Optional<SeatId> lastTurn = Optional.empty();
        Map<SeatId, Usage> usage = new HashMap<>();
        Map<SeatId, List<JournalEvent.Draft>> drafts = new LinkedHashMap<>();
        Map<SeatId, String> prompts = new HashMap<>();
        Map<SeatId, String> models = new HashMap<>();
        Map<SeatId, String> notes = new HashMap<>();
        Optional<String> topic = Optional.empty();
        Set<SeatId> muted = new HashSet<>();
        Optional<JournalEvent.Pause> pause = Optional.empty();
        // Which parcel showed which event: a post's parcel follows its message or draft in the journal.
        Map<Long, Long> parcels = new HashMap<>();
        for (JournalEvent e : events) {
            if (e instanceof JournalEvent.Outgoing o && JournalEvent.Outgoing.POST.equals(o.kind())) {
                parcels.put(o.seq() - 1, o.seq());
            }
        }
        for (JournalEvent e : events) {
            lastSeq = e.seq();
            if (e instanceof JournalEvent.Start s) {
                startedAt = s.ts();
                topic = Optional.ofNullable(s.topic());
            } else if (e instanceof JournalEvent.Draft d && known(seats, d.seat())) {
                drafts.computeIfAbsent(SeatId.of(d.seat()), k -> new ArrayList<>()).add(d);
            } else if (e instanceof JournalEvent.Said said) {
                boolean bySeat = said.isModel() && known(seats, said.seat());
                SeatId seat = bySeat ? SeatId.of(said.seat()) : null;
                Message m = new Message(bySeat ? seats.get(seat) : Speaker.human(said.speaker()), said.text(),
                        said.ts());
                List<Long> refs = new ArrayList<>();
                if (bySeat) {
                    drafts.getOrDefault(seat, List.of()).stream().map(d -> parcels.get(d.seq()))
                            .filter(p -> p != null).forEach(refs::add);
                    Optional.ofNullable(parcels.get(said.seq())).ifPresent(refs::add);
                    drafts.remove(seat);
                    notes.remove(seat);
                    turns++;
                    lastTurn = Optional.of(seat);
                    usage.merge(seat, new Usage(orZero(said.inputTokens()), orZero(said.outputTokens()),
                            orZero(said.cachedTokens())), Usage::plus);
                }
                history.put(said.seq(), new Ledger.Entry(said.seq(), m, List.copyOf(refs)));
            } else if (e instanceof JournalEvent.Retract r && r.messages() != null) {
                r.messages().forEach(history::remove);
            } else if (e instanceof JournalEvent.Steer s && s.seat() != null) {
                SeatId seat = SeatId.of(s.seat());
                switch (s.action()) {
                    case JournalEvent.Steer.SYSTEM -> prompts.put(seat, s.text());
                    case JournalEvent.Steer.MODEL -> models.put(seat, s.text());
                    case JournalEvent.Steer.NOTE -> notes.put(seat, s.text());
                    case JournalEvent.Steer.MUTE -> muted.add(seat);
                    case JournalEvent.Steer.UNMUTE -> muted.remove(seat);
                    default -> { }
                }
            } else if (e instanceof JournalEvent.Steer s && JournalEvent.Steer.TOPIC.equals(s.action())) {
                topic = Optional.ofNullable(s.text());
            } else if (e instanceof JournalEvent.Withheld w && "muted".equals(w.action()) && known(seats, w.seat())) {
                muted.add(SeatId.of(w.seat()));
            } else if (e instanceof JournalEvent.Pause p) {
                pause = p.forAbsence() ? Optional.empty() : Optional.of(p);
            } else if (e instanceof JournalEvent.Resume) {
                pause = Optional.empty();
            } else if (e instanceof JournalEvent.Stop) {
                throw new IllegalStateException("this journal has already ended (event " + e.seq() + ")");
            }
        }
        return new Resumption(lastSeq, startedAt, List.copyOf(history.values()), turns, lastTurn, usage, drafts,
                new Steering(prompts, models, notes, topic, Set.copyOf(muted)), parcels, pause);
    }

    private static boolean known(Map<SeatId, Speaker> seats, String id) {
        return id != null && seats.keySet().stream().anyMatch(s -> s.value().equals(id));
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }
}
