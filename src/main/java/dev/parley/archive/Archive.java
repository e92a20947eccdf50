package dev.parley.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a conversation's files live: one journal per episode, {@code <transcripts-dir>/<id>/<id>-<yyyyMMdd-HHmmss>.jsonl},
 * the transcript beside it with {@code .md}, and the host's state of the series in {@code series.json}. A journal
 * without a stop event is an unfinished episode, which the next start with the same config resumes.
 */
public final class Archive {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path dir;
    private final ZoneId zone;
    /** Who forces the journals opened here; null: each append forces on its own thread. */
    private final JournalCommitter committer;

    public Archive(Path transcriptsDir, ZoneId zone) {
        this(transcriptsDir, zone, Optional.empty());
    }

    public Archive(Path transcriptsDir, ZoneId zone, Optional<JournalCommitter> committer) {
        this.dir = transcriptsDir;
        this.zone = zone;
        this.committer = committer.orElse(null);
    }

    /** The unfinished journal of this conversation to resume, or a new one. */
    public JsonlJournal openJournal(String conversationId, Instant now) {
        return unfinishedJournal(conversationId).orElseGet(() -> newJournal(conversationId, now));
    }

    /** The journal of the conversation's newest episode if that episode never ended (a crash), to resume. */
    public Optional<JsonlJournal> unfinishedJournal(String conversationId) {
        Path folder = folder(conversationId);
        return newestJournal(folder).filter(p -> !ended(p)).map(p -> JsonlJournal.open(p, committer));
    }

    /** A journal for a new episode, named for {@code now}. */
    public JsonlJournal newJournal(String conversationId, Instant now) {
        return JsonlJournal.open(freshName(folder(conversationId), conversationId, now), committer);
    }

    /** Where the host keeps the state of the conversation's series (waiting, cast, next start). */
    public Path seriesState(String conversationId) {
        return folder(conversationId).resolve("series.json");
    }

    /** How many episode journals the conversation has: the episode count of a series begun before it had state. */
    public int journalCount(String conversationId) {
        try (Stream<Path> files = Files.list(folder(conversationId))) {
            return (int) files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ZoneId zone() {
        return zone;
    }

    private Path folder(String conversationId) {
        Path folder = dir.resolve(conversationId);
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + folder + ": " + IoReason.of(e, folder), e);
        }
        return folder;
    }

    /** Renders the transcript of {@code events} next to {@code journal}; returns its path. */
    public Path writeTranscript(Path journal, List<JournalEvent> events) {
        Path out = transcriptOf(journal);
        TranscriptWriter.write(Transcript.fromJournal(events, zone), out);
        return out;
    }

    /** The transcript's place: beside the journal, same name, {@code .md}. */
    public static Path transcriptOf(Path journal) {
        return journal.resolveSibling(journal.getFileName().toString().replaceFirst("\\.jsonl$", "") + ".md");
    }

    private Path freshName(Path folder, String id, Instant now) {
        String base = id + "-" + STAMP.format(now.atZone(zone));
        Path p = folder.resolve(base + ".jsonl");
        for (int i = 2; Files.exists(p); i++) {
            p = folder.resolve(base + "-" + i + ".jsonl");
        }
        return p;
    }

    private static Optional<Path> newestJournal(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                    .max(Comparator.comparing(Archive::modified).thenComparing(Path::toString));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.nio.file.attribute.FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether the journal has its stop event, told by each line's type where it is written first (as parley writes
     * it) and by parsing only the other lines: at every start the newest journal is asked, and building its events
     * cost the start 25 ms before the rooms were opened (the JSON library building its readers cold).
     */
    private static boolean ended(Path journal) {
        try (JournalScanner scanner = JournalScanner.open(journal, 0)) {
            for (JournalScanner.Line line = scanner.next(); line != null; line = scanner.next()) {
                String type = line.type();
                if (type.equals("stop") || type.isEmpty() && line.event(journal) instanceof JournalEvent.Stop) {
                    return true;
                }
            }
        }
        return false;
    }
}
