package dev.parley.archive;

import java.nio.file.Path;
import java.time.Instant;

/**
 * Run in a child JVM by {@link JournalKillTest}: appends notices to the journal named in args[0] without end,
 * printing each seq once its append has returned, until the parent kills it with SIGKILL. With a third argument,
 * the journal is committed through a {@link JournalCommitter} whose log is in that folder.
 */
public final class JournalWriterChild {
    private JournalWriterChild() { }

    public static void main(String[] args) {
        JournalCommitter committer = args.length > 2 ? JournalCommitter.open(Path.of(args[2])) : null;
        try (JsonlJournal journal = JsonlJournal.open(Path.of(args[0]), committer)) {
            String filler = "x".repeat(Integer.parseInt(args[1]));
            for (long seq = journal.events().size() + 1L; ; seq++) {
                journal.append(new JournalEvent.Notice(seq, Instant.now(), "notice " + seq + " " + filler));
                System.out.println(seq);
                System.out.flush();
            }
        }
    }
}
