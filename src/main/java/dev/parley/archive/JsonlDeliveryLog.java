package dev.parley.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.room.DeliveryLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms' delivery marks as JSONL, one file per episode ({@code <dir>/<episode>.jsonl}, e.g.
 * {@code state/delivered/debate/debate-20260101-120000.jsonl}), one line {@code {"room":…,"seq":…}} each time a
 * room's mark moves. Lines are appended without forcing them to disk: the operating system keeps them through a
 * crash of the process, and a mark lost with the machine only makes a restart send some parcels again. The
 * highest mark per room wins, so lines written out of order or a torn last line do no harm.
 *
 * <p>The files of the last few episodes stay open: a mark is written each time a room confirms a message, and
 * opening and closing the file for each cost more than the write itself.
 */
public final class JsonlDeliveryLog implements DeliveryLog, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JsonlDeliveryLog.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path dir;
    /** Marks per episode, then per room, as far as this process knows them. */
    private final Map<String, Map<String, Long>> marks = new HashMap<>();
    /** Open files by episode, the least recently written first; the oldest is closed beyond {@link #OPEN_FILES}. */
    private final LinkedHashMap<String, FileChannel> open = new LinkedHashMap<>(16, 0.75f, true);
    private static final int OPEN_FILES = 8;
    private boolean writeFailureReported;

    public JsonlDeliveryLog(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
    }

    @Override
    public synchronized long deliveredUpTo(String room, String episode) {
        return episode(episode).getOrDefault(room, 0L);
    }

    @Override
    public synchronized void delivered(String room, String episode, long seq) {
        Map<String, Long> rooms = episode(episode);
        if (seq <= rooms.getOrDefault(room, 0L)) {
            return;
        }
        rooms.put(room, seq);
        byte[] line = (MAPPER.createObjectNode().put("room", room).put("seq", seq) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        try {
            ByteBuffer bytes = ByteBuffer.wrap(line);
            FileChannel channel = channelOf(episode);
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            FileChannels.closeQuietly(open.remove(episode));
            if (!writeFailureReported) {
                writeFailureReported = true;
                log.warn("cannot record deliveries in {}: {}; after a restart some messages may be sent again",
                        fileOf(episode), e.getMessage());
            }
        }
    }

    private FileChannel channelOf(String episode) throws IOException {
        FileChannel channel = open.get(episode);
        if (channel == null) {
            Path file = fileOf(episode);
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
            open.put(episode, channel);
            if (open.size() > OPEN_FILES) {
                var eldest = open.entrySet().iterator();
                FileChannels.closeQuietly(eldest.next().getValue());
                eldest.remove();
            }
        }
        return channel;
    }

    /** Closes the files kept open; a later mark opens its file again. */
    @Override
    public synchronized void close() {
        open.values().forEach(FileChannels::closeQuietly);
        open.clear();
    }

    private Map<String, Long> episode(String episode) {
        return marks.computeIfAbsent(episode, this::read);
    }

    private Map<String, Long> read(String episode) {
        Map<String, Long> rooms = new HashMap<>();
        Path file = fileOf(episode);
        try {
            // Decoded leniently: a line torn in the middle of a character must not cost the marks before it.
            for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n")) {
                try {
                    JsonNode n = MAPPER.readTree(line);
                    if (n != null && n.hasNonNull("room") && n.hasNonNull("seq")) {
                        rooms.merge(n.get("room").asText(), n.get("seq").asLong(), Math::max);
                    }
                } catch (IOException torn) {
                    // The last line of a process killed mid-write: the marks before it still count.
                    log.debug("{}: skipping an unreadable line", file);
                }
            }
        } catch (NoSuchFileException e) {
            return rooms;
        } catch (IOException e) {
            // Unreadable marks: deliver the episode from its start again rather than lose anything.
            log.warn("cannot read deliveries from {}: {}; its messages may be sent again", file, e.getMessage());
        }
        return rooms;
    }

    private Path fileOf(String episode) {
        Path file = dir;
        for (String part : episode.split("/")) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("not an episode name: " + episode);
            }
            file = file.resolve(part);
        }
        return file.resolveSibling(file.getFileName() + ".jsonl");
    }
}
