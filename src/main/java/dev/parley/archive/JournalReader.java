package dev.parley.archive;

import dev.parley.core.FileSize;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a JSONL journal without changing it (for rendering, or a daemon peeking at a live conversation).
 * A torn last line (no trailing newline: the writer died mid-append) is ignored, since its append never
 * returned; any other line that is not a valid event in sequence is an error naming file and line.
 */
public final class JournalReader {
    /**
     * The largest journal read whole (render, resume). A conversation's journal grows by a few KB a turn, so this
     * is many thousands of turns; beyond it reading would only exhaust the heap.
     */
    public static final long MAX_BYTES = 512 * FileSize.MB;

    private JournalReader() { }

    /** Every complete event in the file, in order. */
    public static List<JournalEvent> read(Path file) {
        checkSize(file);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new JournalException("journal " + file + " does not exist", e);
        } catch (IOException e) {
            throw new JournalException("cannot read journal " + file + ": " + e.getMessage(), e);
        }
        return parse(file, bytes).events();
    }

    /** Refuses a journal too large to read whole, before reading it. */
    static void checkSize(Path file) {
        FileSize.tooLarge(file, MAX_BYTES, "journals").ifPresent(why -> {
            throw new JournalException("journal " + file + " " + why);
        });
    }

    /** What a journal file holds: its complete events, and how many bytes they take (the rest is a torn line). */
    record Contents(List<JournalEvent> events, long completeLength) { }

    static Contents parse(Path file, byte[] bytes) {
        List<JournalEvent> events = new ArrayList<>();
        int start = 0;
        int lineNumber = 0;
        while (start < bytes.length) {
            int end = FileChannels.indexOf(bytes, (byte) '\n', start);
            if (end < 0) {
                break; // torn last line: dropped
            }
            lineNumber++;
            events.add(parseLine(file, lineNumber, bytes, start, end, events.size() + 1L));
            start = end + 1;
        }
        return new Contents(events, start);
    }

    private static JournalEvent parseLine(Path file, int lineNumber, byte[] bytes, int start, int end, long expectedSeq) {
        if (end == start) {
            throw corrupt(file, lineNumber, "empty line");
        }
        JournalEvent event;
        try {
            event = JournalJson.read(bytes, start, end - start);
        } catch (IOException e) {
            throw new JournalException(location(file, lineNumber) + ": not a journal event ("
                    + firstLine(e.getMessage()) + "): " + preview(bytes, start, end), e);
        }
        if (event == null || event.ts() == null) {
            throw corrupt(file, lineNumber, "event without a timestamp");
        }
        if (event.seq() != expectedSeq) {
            throw corrupt(file, lineNumber, "seq " + event.seq() + " where " + expectedSeq + " was expected");
        }
        String missing = missingField(event);
        if (missing != null) {
            throw corrupt(file, lineNumber, "a " + typeName(event) + " event without \"" + missing + "\"");
        }
        return event;
    }

    /**
     * The first field an event cannot do without, or null. Jackson fills an absent field with null, and a message
     * without text would be rendered as an empty message: that line is malformed, not a message.
     */
    private static String missingField(JournalEvent e) {
        if (e instanceof JournalEvent.Said s) {
            return s.speaker() == null ? "speaker" : s.kind() == null ? "kind" : s.text() == null ? "text" : null;
        }
        if (e instanceof JournalEvent.Draft d) {
            return d.seat() == null ? "seat" : d.text() == null ? "text" : null;
        }
        if (e instanceof JournalEvent.Notice n) {
            return n.text() == null ? "text" : null;
        }
        if (e instanceof JournalEvent.Command c) {
            return c.sender() == null ? "sender" : c.text() == null ? "text" : null;
        }
        if (e instanceof JournalEvent.Start s) {
            return s.seats() == null ? "seats" : null;
        }
        return null;
    }

    /** The event's name on the wire ("message" for Said), as its line says it. */
    private static String typeName(JournalEvent e) {
        com.fasterxml.jackson.annotation.JsonSubTypes types =
                JournalEvent.class.getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class);
        for (com.fasterxml.jackson.annotation.JsonSubTypes.Type t : types.value()) {
            if (t.value() == e.getClass()) {
                return t.name();
            }
        }
        return e.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    private static JournalException corrupt(Path file, int lineNumber, String why) {
        return new JournalException(location(file, lineNumber) + ": " + why);
    }

    private static String location(Path file, int lineNumber) {
        return "journal " + file + " line " + lineNumber;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static String preview(byte[] bytes, int start, int end) {
        String text = new String(bytes, start, Math.min(end - start, 80), StandardCharsets.UTF_8);
        return end - start > 80 ? text + "..." : text;
    }

}
