package dev.parley.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.parley.archive.EpisodeId;
import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalException;
import dev.parley.archive.JournalScanner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive as the web sees it: every visible episode under the transcripts dir, summarised once and summarised
 * again only when its journal changes (size or time). Only {@code <dir>/<conversation>/<episode>.jsonl} with safe
 * names, as regular files inside the dir, are episodes; nothing else under it is ever read.
 */
final class Catalog {
    private static final Logger LOG = LoggerFactory.getLogger(Catalog.class);
    private static final long RESCAN_NANOS = 1_000_000_000L;

    private final Path dir;
    private final Visibility visibility;
    private final Map<EpisodeId, EpisodeSummary> summaries = new ConcurrentHashMap<>();
    private final Set<EpisodeId> unreadable = ConcurrentHashMap.newKeySet();
    private final Map<String, Listing> listings = new HashMap<>();
    private List<EpisodeSummary> newestFirst = List.of();
    private long scannedAt;
    private boolean scanned;

    Catalog(Path transcriptsDir, Visibility visibility) {
        this.dir = transcriptsDir.toAbsolutePath().normalize();
        this.visibility = visibility;
    }

    Path dir() {
        return dir;
    }

    Visibility visibility() {
        return visibility;
    }

    /** Every visible episode, newest first; looks at the folder again at most once a second. */
    synchronized List<EpisodeSummary> episodes() {
        if (!scanned || System.nanoTime() - scannedAt > RESCAN_NANOS) {
            rescan();
        }
        return newestFirst;
    }

    /** The episode, if it exists and may be shown; summarised again if its journal changed. */
    Optional<EpisodeSummary> find(EpisodeId id) {
        if (visibility.hidden(id.conversation())) {
            return Optional.empty();
        }
        Path file = journal(id);
        if (file == null) {
            return Optional.empty();
        }
        return summary(id, file);
    }

    /**
     * The journal file of an episode, or null: it must be a regular file (not a link) whose real place is inside
     * the transcripts dir, so a link planted in the archive cannot make the web read elsewhere.
     */
    Path journal(EpisodeId id) {
        Path file = id.journal(dir);
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    || !file.toRealPath().startsWith(dir.toRealPath())) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        return file;
    }

    private void rescan() {
        Set<EpisodeId> seen = new HashSet<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> conversations = Files.newDirectoryStream(dir)) {
                for (Path folder : conversations) {
                    String conversation = folder.getFileName().toString();
                    if (!EpisodeId.isSafe(conversation) || visibility.hidden(conversation)
                            || !Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                        continue;
                    }
                    scanFolder(folder, conversation, seen);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
            }
        }
        summaries.keySet().retainAll(seen);
        listings.keySet().retainAll(seen.stream().map(EpisodeId::conversation).collect(
                Collectors.toSet()));
        List<EpisodeSummary> all = new ArrayList<>(summaries.values());
        all.sort(Comparator.comparing(EpisodeSummary::started).reversed()
                .thenComparing(s -> s.id().toString(), Comparator.reverseOrder()));
        newestFirst = List.copyOf(all);
        scannedAt = System.nanoTime();
        scanned = true;
    }

    /**
     * A folder whose time has not changed has the same journals as last time, and a finished episode's journal
     * does not change: so only new folders' listings are read again, and only unfinished journals looked at.
     */
    private void scanFolder(Path folder, String conversation, Set<EpisodeId> seen) throws IOException {
        long stamp = Files.getLastModifiedTime(folder, LinkOption.NOFOLLOW_LINKS).toMillis();
        Listing known = listings.get(conversation);
        if (known != null && known.stamp() == stamp) {
            for (EpisodeId id : known.episodes()) {
                EpisodeSummary s = summaries.get(id);
                if (s != null && s.finished() || s != null && summary(id, id.journal(dir)).isPresent()) {
                    seen.add(id);
                }
            }
            return;
        }
        List<EpisodeId> listed = new ArrayList<>();
        listFolder(folder, conversation, listed);
        listings.put(conversation, new Listing(stamp, List.copyOf(listed)));
        seen.addAll(listed);
    }

    private record Listing(long stamp, List<EpisodeId> episodes) { }

    private void listFolder(Path folder, String conversation, List<EpisodeId> seen) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.jsonl")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String stem = name.substring(0, name.length() - ".jsonl".length());
                if (!EpisodeId.isSafe(stem) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                EpisodeId id = new EpisodeId(conversation, stem);
                if (summary(id, file).isPresent()) {
                    seen.add(id);
                }
            }
        }
    }

    private Optional<EpisodeSummary> summary(EpisodeId id, Path file) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return Optional.empty();
        }
        long size = attrs.size();
        long modified = attrs.lastModifiedTime().toMillis();
        EpisodeSummary known = summaries.get(id);
        if (known != null && known.size() == size && known.modified() == modified) {
            return Optional.of(known);
        }
        try {
            Optional<EpisodeSummary> fresh = summarise(id, file, size, modified);
            fresh.ifPresent(s -> summaries.put(id, s));
            unreadable.remove(id);
            return fresh;
        } catch (JournalException | UncheckedIOException e) {
            if (unreadable.add(id)) {
                LOG.warn("web: leaving out {}: {}", file, e.getMessage());
            }
            return Optional.empty();
        }
    }

    /** One pass over the journal; empty when it has no start event yet (nothing to show). */
    static Optional<EpisodeSummary> summarise(EpisodeId id, Path file, long size, long modified) {
        JournalEvent.Start start = null;
        Instant ended = null;
        String stopReason = null;
        int messages = 0;
        long lastSeq = 0;
        Set<String> speakers = new LinkedHashSet<>();
        Set<String> humans = new LinkedHashSet<>();
        Set<String> words = new HashSet<>();
        Set<Long> retracted = new HashSet<>();
        List<Long> pageOffsets = new ArrayList<>();
        try (JournalScanner scanner = JournalScanner.open(file, 0)) {
            for (JournalScanner.Line line = scanner.next(); line != null; line = scanner.next()) {
                lastSeq++;
                if ((lastSeq - 1) % EpisodeSummary.EVENTS_PER_PAGE == 0) {
                    pageOffsets.add(line.offset());
                }
                switch (line.type()) {
                    case "draft", "notice", "failure", "restart" -> { }
                    case "message" -> {
                        // The commonest line, read for three fields without building the event.
                        MessageFields m = MessageFields.of(line.bytes());
                        if (m == null) {
                            throw new JournalException("journal " + file + " at byte " + line.offset()
                                    + ": not a journal event");
                        }
                        messages++;
                        if (m.speaker() != null) {
                            speakers.add(m.speaker());
                            if ("human".equals(m.kind())) {
                                humans.add(m.speaker());
                            }
                        }
                        words.addAll(WordFilter.words(m.text()));
                    }
                    default -> {
                        JournalEvent event = line.event(file);
                        if (event instanceof JournalEvent.Start s && start == null) {
                            start = s;
                        } else if (event instanceof JournalEvent.Said said) {
                            messages++;
                            speakers.add(said.speaker());
                            if (said.isHuman()) {
                                humans.add(said.speaker());
                            }
                            words.addAll(WordFilter.words(said.text()));
                        } else if (event instanceof JournalEvent.Command c) {
                            humans.add(c.sender());
                        } else if (event instanceof JournalEvent.Pause p && p.by() != null) {
                            humans.add(p.by());
                        } else if (event instanceof JournalEvent.Stop s && ended == null) {
                            ended = s.ts();
                            stopReason = s.reason();
                        } else if (event instanceof JournalEvent.Retract r && r.messages() != null) {
                            retracted.addAll(r.messages());
                        }
                    }
                }
            }
        }
        if (start == null) {
            return Optional.empty();
        }
        List<JournalEvent.SeatInfo> seats = start.seats() == null ? List.of() : start.seats();
        // "parley" and the seats pause too; only people's names are a human's.
        humans.remove("parley");
        seats.forEach(s -> humans.remove(s.name()));
        seats.forEach(s -> humans.remove(s.id()));
        humans.remove(null);
        speakers.remove(null);
        long[] offsets = pageOffsets.stream().mapToLong(Long::longValue).toArray();
        return Optional.of(new EpisodeSummary(id, List.copyOf(seats),
                start.rooms() == null ? List.of() : List.copyOf(start.rooms()), start.ts(), ended, messages, lastSeq,
                stopReason, Set.copyOf(speakers), Set.copyOf(humans), offsets, WordFilter.of(words), size, modified,
                Set.copyOf(retracted)));
    }

    /** The speaker, kind and text of a message line, read with Jackson's streaming parser; null if not JSON. */
    record MessageFields(String speaker, String kind, String text) {
        private static final JsonFactory JSON = new JsonFactory();

        static MessageFields of(byte[] line) {
            String speaker = null;
            String kind = null;
            String text = null;
            try (JsonParser p = JSON.createParser(line)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return null;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken value = p.nextToken();
                    if (value == JsonToken.VALUE_STRING) {
                        switch (field) {
                            case "speaker" -> speaker = p.getText();
                            case "kind" -> kind = p.getText();
                            case "text" -> text = p.getText();
                            default -> { }
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                return new MessageFields(speaker, kind, text);
            } catch (IOException e) {
                return null;
            }
        }
    }

    /** The episodes of each conversation, oldest first, so an episode's number is its place in its series. */
    Map<EpisodeId, Integer> episodeNumbers() {
        Map<String, List<EpisodeSummary>> byConversation = new HashMap<>();
        for (EpisodeSummary s : episodes()) {
            byConversation.computeIfAbsent(s.id().conversation(), k -> new ArrayList<>()).add(s);
        }
        Map<EpisodeId, Integer> numbers = new HashMap<>();
        byConversation.values().forEach(list -> {
            for (int i = 0; i < list.size(); i++) {
                numbers.put(list.get(i).id(), list.size() - i);
            }
        });
        return numbers;
    }
}
