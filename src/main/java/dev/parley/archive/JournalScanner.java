package dev.parley.archive;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a journal line by line from any byte offset, holding one line at a time: for journals too big to load
 * whole (a page of a 100 MB episode) and for scanning thousands of them. Like {@link JournalReader} it stops before a
 * torn last line. It reads a file another process may still be appending to; what it sees is a prefix of it.
 */
public final class JournalScanner implements Closeable {
    /** One complete line of the journal: where it starts in the file, and its bytes without the newline. */
    public record Line(long offset, byte[] bytes) {
        /** The event's {@code type} without parsing the whole line (Jackson writes it first), or "" if not found. */
        public String type() {
            String prefix = "{\"type\":\"";
            int n = prefix.length();
            if (bytes.length <= n || !new String(bytes, 0, n, StandardCharsets.US_ASCII).equals(prefix)) {
                return "";
            }
            for (int i = n; i < bytes.length && i < n + 32; i++) {
                if (bytes[i] == '"') {
                    return new String(bytes, n, i - n, StandardCharsets.US_ASCII);
                }
            }
            return "";
        }

        /** The line as an event; a line that is not one is an error naming the file and offset. */
        public JournalEvent event(Path file) {
            try {
                JournalEvent e = JournalJson.read(bytes, 0, bytes.length);
                if (e == null || e.ts() == null) {
                    throw new JournalException("journal " + file + " at byte " + offset + ": not a complete event");
                }
                return e;
            } catch (IOException e) {
                throw new JournalException("journal " + file + " at byte " + offset + ": not a journal event", e);
            }
        }
    }

    private final Path file;
    private final InputStream in;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);
    private long position;

    private JournalScanner(Path file, InputStream in, long position) {
        this.file = file;
        this.in = in;
        this.position = position;
    }

    /** Opens {@code file} at {@code offset}, which must be the start of a line (0, or an offset a Line gave). */
    public static JournalScanner open(Path file, long offset) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            return new JournalScanner(file, new BufferedInputStream(Channels.newInputStream(channel), 64 * 1024),
                    offset);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read journal " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /** The next complete line, or null at the end (a last line without its newline is not complete). */
    public Line next() {
        line.reset();
        long start = position;
        try {
            int b;
            while ((b = in.read()) >= 0) {
                position++;
                if (b == '\n') {
                    return new Line(start, line.toByteArray());
                }
                line.write(b);
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** Where the next line starts. */
    public long position() {
        return position;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // read-only: nothing to lose
        }
    }
}
