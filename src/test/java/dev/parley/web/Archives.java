package dev.parley.web;

import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalEvent.Said;
import dev.parley.archive.JsonlJournal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Journals written the way the daemon writes them, for web tests. */
final class Archives {
    static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");
    static final List<JournalEvent.SeatInfo> SEATS = List.of(
            new JournalEvent.SeatInfo("ada", "Ada", "replay", "m-ada"),
            new JournalEvent.SeatInfo("basil", "Basil", "replay", "m-basil"));

    private Archives() { }

    /** A finished episode: start, two seats and a human talking, a pause, a command, a stop. */
    static Path finished(Path dir, String conversation, String name, String... texts) {
        Path file = dir.resolve(conversation).resolve(name + ".jsonl");
        try (JsonlJournal j = JsonlJournal.open(file)) {
            long seq = 0;
            j.append(new JournalEvent.Start(++seq, T0, conversation, SEATS, List.of("#parley (local)")));
            int turn = 0;
            for (String text : texts) {
                seq++;
                if (text.startsWith("alice: ")) {
                    j.append(Said.human(seq, T0.plusSeconds(seq), "alice", text.substring(7), "#parley (local)"));
                } else {
                    turn++;
                    boolean ada = turn % 2 == 1;
                    j.append(Said.model(seq, T0.plusSeconds(seq), ada ? "Ada" : "Basil", ada ? "ada" : "basil", text,
                            turn, "replay", ada ? "m-ada" : "m-basil").withUsage(120, 10, 20, 0));
                }
            }
            j.append(new JournalEvent.Pause(++seq, T0.plusSeconds(seq), "alice", "by alice"));
            j.append(new JournalEvent.Notice(++seq, T0.plusSeconds(seq), "Paused by alice."));
            j.append(new JournalEvent.Command(++seq, T0.plusSeconds(seq), "alice", "#parley (local)", "!resume", true,
                    "Resumed."));
            j.append(new JournalEvent.Resume(++seq, T0.plusSeconds(seq), "alice"));
            j.append(new JournalEvent.Stop(++seq, T0.plusSeconds(seq), "reached the limit of " + turn + " turns"));
        }
        return file;
    }

    /** An episode still running: its journal left open for the test to append to. */
    static JsonlJournal running(Path dir, String conversation, String name) {
        JsonlJournal j = JsonlJournal.open(dir.resolve(conversation).resolve(name + ".jsonl"));
        j.append(new JournalEvent.Start(1, T0, conversation, SEATS, List.of("#parley (local)")));
        return j;
    }
}
