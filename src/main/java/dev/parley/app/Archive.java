package dev.parley.app;

import dev.parley.archive.IoErrors;
import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalReader;
import dev.parley.archive.JsonlJournal;
import dev.parley.archive.Transcript;
import dev.parley.archive.TranscriptWriter;
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
 * Where a conversation's files live: {@code <transcripts-dir>/<id>/<id>-<yyyyMMdd-HHmmss>.jsonl} and the
 * transcript beside it with {@code .md}. A journal without a stop event is an unfinished conversation,
 * which the next start with the same config resumes.
 */
final class Archive {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path dir;
    private final ZoneId zone;

    Archive(Path transcriptsDir, ZoneId zone) {
        this.dir = transcriptsDir;
        this.zone = zone;
    }

    /** The unfinished journal of this conversation to resume, or a new one. */
    JsonlJournal openJournal(String conversationId, Instant now) {
        Path folder = dir.resolve(conversationId);
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + folder + ": " + IoErrors.reason(e), e);
        }
        Optional<Path> unfinished = newestJournal(folder).filter(p -> !ended(JournalReader.read(p)));
        Path file = unfinished.orElseGet(() -> freshName(folder, conversationId, now));
        return JsonlJournal.open(file);
    }

    /** Renders the transcript of {@code events} next to {@code journal}; returns its path. */
    Path writeTranscript(Path journal, List<JournalEvent> events) {
        Path out = transcriptOf(journal);
        TranscriptWriter.write(Transcript.fromJournal(events, zone), out);
        return out;
    }

    /** The transcript's place: beside the journal, same name, {@code .md}. */
    static Path transcriptOf(Path journal) {
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

    private static boolean ended(List<JournalEvent> events) {
        return events.stream().anyMatch(JournalEvent.Stop.class::isInstance);
    }
}
