package dev.parley.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal as a JSONL file: one event per line, UTF-8. {@link #append} writes the line and forces it to disk
 * before returning, because callers post to rooms right after and a restarted daemon resumes from this file.
 *
 * <p>Reopening reads the file back. A torn last line (no trailing newline: the process died mid-append, so that
 * append never returned) is dropped and cut off the file, so the next line starts clean. Any other bad line is a
 * {@link JournalException} naming file and line: the file is the source of truth and is never silently "fixed".
 * The file is locked while open so two daemons cannot interleave lines in it.
 */
public final class JsonlJournal implements Journal {
    private static final Logger LOG = LoggerFactory.getLogger(JsonlJournal.class);

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final List<JournalEvent> events;
    /** Length of the file up to the end of the last event known to be on disk. */
    private long goodLength;
    private boolean closed;
    /** Set when a failed append left the file in a state we could not repair; later appends must not pile on. */
    private JournalException broken;

    private JsonlJournal(Path file, FileChannel channel, FileLock lock, List<JournalEvent> events, long goodLength) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.events = events;
        this.goodLength = goodLength;
    }

    /** Creates the file (and its directory) or reopens it, reading back the events already in it. */
    public static JsonlJournal open(Path file) {
        Objects.requireNonNull(file, "file");
        FileChannel channel = null;
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            boolean created = !Files.exists(file);
            JournalReader.checkSize(file);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = lockOrFail(file, channel);
            byte[] bytes = readAll(channel);
            JournalReader.Contents contents = JournalReader.parse(file, bytes);
            if (contents.completeLength() < bytes.length) {
                // The torn tail of an append that never returned: nobody was told about it, so it goes.
                LOG.warn("journal {}: dropping a torn last line of {} bytes (an append cut short by a crash)",
                        file, bytes.length - contents.completeLength());
                channel.truncate(contents.completeLength());
                channel.force(true);
            }
            if (created) {
                forceDirectory(dir);
            }
            channel.position(contents.completeLength());
            return new JsonlJournal(file, channel, lock, new ArrayList<>(contents.events()),
                    contents.completeLength());
        } catch (IOException e) {
            closeQuietly(channel);
            throw new JournalException("cannot open journal " + file + ": " + IoReason.of(e, file), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void append(JournalEvent event) {
        appendAll(List.of(Objects.requireNonNull(event, "event")));
    }

    /** The events' lines go out in one write and one force, so a crash keeps all of them or none. */
    @Override
    public synchronized void appendAll(List<JournalEvent> batch) {
        if (batch.isEmpty()) {
            return;
        }
        if (closed) {
            throw new JournalException("journal " + file + " is closed");
        }
        if (broken != null) {
            throw new JournalException("journal " + file + " failed earlier and takes no more events", broken);
        }
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        long expected = events.size() + 1L;
        for (JournalEvent event : batch) {
            if (event.seq() != expected++) {
                throw new JournalException("journal " + file + ": seq " + event.seq() + " out of order, expected "
                        + (expected - 1));
            }
            if (event.ts() == null) {
                throw new JournalException("journal " + file + ": event " + event.seq() + " has no timestamp");
            }
            lines.writeBytes(JournalJson.write(event));
            lines.write('\n');
        }
        ByteBuffer buffer = ByteBuffer.wrap(lines.toByteArray());
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            // Data only: fdatasync still makes the new length durable, which is all a reader needs.
            channel.force(false);
        } catch (IOException e) {
            throw failedAppend(batch.get(0), e);
        }
        goodLength += buffer.capacity();
        events.addAll(batch);
    }

    @Override
    public String name() {
        return file.getFileName().toString().replaceFirst("\\.jsonl$", "");
    }

    private JournalException failedAppend(JournalEvent event, IOException cause) {
        JournalException failure = new JournalException("cannot append event " + event.seq() + " to journal "
                + file + ": " + IoReason.of(cause, file), cause);
        try {
            // Cut off whatever part of the line made it, so the file still ends on a clean line.
            channel.truncate(goodLength);
            channel.position(goodLength);
        } catch (IOException e) {
            failure.addSuppressed(e);
            broken = failure;
        }
        return failure;
    }

    @Override
    public synchronized List<JournalEvent> events() {
        return List.copyOf(events);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it anyway
        }
        try {
            channel.close();
        } catch (IOException e) {
            throw new JournalException("cannot close journal " + file + ": " + e.getMessage(), e);
        }
    }

    private static FileLock lockOrFail(Path file, FileChannel channel) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new JournalException("journal " + file + " is already open (another conversation or daemon)");
        }
        return lock;
    }

    private static byte[] readAll(FileChannel channel) throws IOException {
        long size = channel.size();
        if (size > Integer.MAX_VALUE - 16) {
            throw new IOException("file too large (" + size + " bytes)");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) size);
        channel.position(0);
        while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
            // keep reading
        }
        return buffer.array();
    }

    /** A new file's directory entry must be durable too, or a crash could lose the whole file. */
    private static void forceDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not every platform lets a directory be opened (Windows); the file itself is still forced.
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing; the first error is the one to report
            }
        }
    }
}
