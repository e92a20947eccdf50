package dev.parley.archive;

import dev.parley.core.AtomicFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal as a JSONL file: one event per line, UTF-8. {@link #append} writes the line and forces it to disk
 * before returning, because callers post to rooms right after and a restarted daemon resumes from this file.
 * {@link #appendAllThen} keeps the same promise without the wait: the caller shows the batch when told it is
 * durable. With a {@link JournalCommitter} the lines are forced through its log, together with other journals'
 * (see there who commits when); lines appended while a commit is under way share the next one.
 *
 * <p>Reopening reads the file back. A torn last line (no trailing newline: the process died mid-append, so that
 * append never returned) is dropped and cut off the file, so the next line starts clean. Any other bad line is a
 * {@link JournalException} naming file and line: the file is the source of truth and is never silently "fixed".
 * The file is locked while open so two daemons cannot interleave lines in it.
 */
public final class JsonlJournal implements Journal {
    private static final Logger LOG = LoggerFactory.getLogger(JsonlJournal.class);
    /**
     * Each appending thread's buffer for the lines it makes, kept from batch to batch (a thousand conversations
     * append every second); one that an outsized batch grew is not kept.
     */
    private static final ThreadLocal<ByteArrayOutputStream> LINES =
            ThreadLocal.withInitial(() -> new ByteArrayOutputStream(4096));
    private static final int KEPT_LINES_BYTES = 64 << 10;

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final List<JournalEvent> events;
    /** Length of the file up to the end of the last event known to be on disk. */
    private long goodLength;
    private boolean closed;
    /** Set when an append failed: the batches numbered after it cannot be written, so none are taken. */
    private JournalException broken;
    private final JournalCommitter committer;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** A commit is under way; appends meanwhile join the queue it takes next. */
    private boolean committing;
    /** This journal is on the committer's list of journals with lines waiting. */
    private boolean queued;
    /** Groups the committer took from this journal and has not settled yet (one in its log, one being written). */
    private int inFlight;
    /** The seq the next appended event must have (appended, not necessarily durable yet). */
    private long nextSeq;
    /** How the committer's log names this file (made once: it heads every record of this journal). */
    private byte[] logName;

    private JsonlJournal(Path file, FileChannel channel, FileLock lock, List<JournalEvent> events, long goodLength,
                         JournalCommitter committer) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.events = events;
        this.goodLength = goodLength;
        this.committer = committer;
        this.nextSeq = events.size() + 1L;
    }

    /** Creates the file (and its directory) or reopens it; each append is forced on the appending thread. */
    public static JsonlJournal open(Path file) {
        return open(file, null);
    }

    /**
     * Creates the file (and its directory) or reopens it, reading back the events already in it. With a
     * committer, {@link #appendAllThen} returns at once and the committer's threads write and force.
     */
    public static JsonlJournal open(Path file, JournalCommitter committer) {
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
            byte[] bytes = FileChannels.readAll(channel);
            JournalReader.Contents contents = JournalReader.parse(file, bytes);
            if (contents.completeLength() < bytes.length) {
                // The torn tail of an append that never returned: nobody was told about it, so it goes.
                LOG.warn("journal {}: dropping a torn last line of {} bytes (an append cut short by a crash)",
                        file, bytes.length - contents.completeLength());
                channel.truncate(contents.completeLength());
                channel.force(true);
            }
            if (created) {
                AtomicFile.forceDirectory(dir);
            }
            channel.position(contents.completeLength());
            return new JsonlJournal(file, channel, lock, new ArrayList<>(contents.events()),
                    contents.completeLength(), committer);
        } catch (IOException e) {
            FileChannels.closeQuietly(channel);
            throw new JournalException("cannot open journal " + file + ": " + IoReason.of(e, file), e);
        } catch (RuntimeException e) {
            FileChannels.closeQuietly(channel);
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    /** This file's name in a committer's log records. */
    synchronized byte[] logName() {
        if (logName == null) {
            logName = JournalCommitter.logName(file);
        }
        return logName;
    }

    @Override
    public void append(JournalEvent event) {
        appendAll(List.of(Objects.requireNonNull(event, "event")));
    }

    /** The events' lines go out in one write and one force, so a crash keeps all of them or none. */
    @Override
    public void appendAll(List<JournalEvent> batch) {
        appendAllThen(batch, Durable.NOTHING);
        flush();
    }

    /**
     * Queues the batch's lines and has them committed: at once on this thread without a committer, else by the
     * committer, together with whatever else this journal was given meanwhile (one write, one force).
     */
    @Override
    public void appendAllThen(List<JournalEvent> batch, Durable then) {
        if (batch.isEmpty()) {
            then.done();
            return;
        }
        boolean commitHere = false;
        synchronized (this) {
            refuseIfUnusable();
            ByteArrayOutputStream lines = LINES.get();
            lines.reset();
            long expected = nextSeq;
            for (JournalEvent event : batch) {
                if (event.seq() != expected++) {
                    throw new JournalException("journal " + file + ": seq " + event.seq() + " out of order, expected "
                            + (expected - 1));
                }
                if (event.ts() == null) {
                    throw new JournalException("journal " + file + ": event " + event.seq() + " has no timestamp");
                }
                JournalJson.writeLine(event, lines);
            }
            nextSeq = expected;
            queue.add(new Pending(List.copyOf(batch), lines.toByteArray(), then));
            if (lines.size() > KEPT_LINES_BYTES) {
                LINES.remove();
            }
            if (committer != null) {
                if (!queued) {
                    queued = true;
                    commitHere = committer.ready(this);
                }
            } else if (committing) {
                return; // the commit under way takes it next
            } else {
                committing = true;
            }
        }
        if (committer == null) {
            commit();
        } else if (commitHere) {
            committer.commitHere();
        }
    }

    // ---- committing: by a JournalCommitter (its log forced first, then this file written) or here ------------

    /** What a commit took from this journal: the batches and their lines, one after the other. */
    record Taken(List<Pending> batches, byte[] bytes) { }

    /** A commit takes every batch waiting; until they are settled, {@link #flush} waits. */
    synchronized Taken take() {
        queued = false;
        List<Pending> batches = new ArrayList<>(queue);
        queue.clear();
        if (!batches.isEmpty()) {
            inFlight++;
        }
        if (batches.size() == 1) {
            return new Taken(batches, batches.get(0).lines()); // the usual case: one turn's batch, nothing to join
        }
        int size = batches.stream().mapToInt(t -> t.lines().length).sum();
        ByteBuffer all = ByteBuffer.allocate(size);
        batches.forEach(t -> all.put(t.lines()));
        return new Taken(batches, all.array());
    }

    /** The committer's log holds the lines durably: write them here (forced later) and tell the callers. */
    void committed(Taken taken) {
        write(taken, false);
    }

    /**
     * Writes what was taken (forcing it when no committer's log holds it) and tells the callers. Only the one
     * thread committing this journal gets here, so the channel needs no lock of its own.
     */
    private void write(Taken taken, boolean force) {
        ByteBuffer buffer = ByteBuffer.wrap(taken.bytes());
        JournalException failure = null;
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (force) {
                // Data only: fdatasync still makes the new length durable, which is all a reader needs.
                channel.force(false);
            }
        } catch (IOException e) {
            failure = failedAppend(taken.batches().get(0).batch().get(0), e);
        }
        settle(taken, failure);
    }

    /** The committer's log could not be written: nothing of these batches is durable. */
    void failed(Taken taken, IOException cause) {
        settle(taken, new JournalException("cannot append event " + taken.batches().get(0).batch().get(0).seq()
                + " to journal " + file + ": " + IoReason.of(cause, file), cause));
    }

    private void settle(Taken taken, JournalException failure) {
        List<Pending> told = new ArrayList<>(taken.batches());
        synchronized (this) {
            if (failure == null) {
                goodLength += taken.bytes().length;
                told.forEach(t -> events.addAll(t.batch()));
            } else {
                broken = failure;
                told.addAll(queue);
                queue.clear();
            }
            inFlight--;
            notifyAll();
        }
        told.forEach(t -> tell(t.then(), failure));
    }

    /** For the committer, before it empties its log: true once this file is on disk (or was closed, so forced). */
    boolean forceOwnFile() {
        try {
            channel.force(false);
            return true;
        } catch (java.nio.channels.ClosedChannelException e) {
            return true;
        } catch (IOException e) {
            LOG.warn("journal {}: cannot force it: {}", file, IoReason.of(e, file));
            return false;
        }
    }

    /** Without a committer: writes and forces everything queued, tells the callers, and goes on while more is. */
    private void commit() {
        while (true) {
            Taken taken;
            synchronized (this) {
                if (queue.isEmpty() || broken != null) {
                    committing = false;
                    notifyAll();
                    return;
                }
                taken = take();
            }
            write(taken, true);
        }
    }

    /** A caller's callback that throws must not leave this journal's commit half done. */
    private void tell(Durable then, JournalException failure) {
        try {
            if (failure == null) {
                then.done();
            } else {
                then.failed(failure);
            }
        } catch (RuntimeException e) {
            LOG.error("journal {}: a caller's callback failed", file, e);
        }
    }

    /** Waits for every commit under way; throws the failure if one failed. */
    @Override
    public synchronized void flush() {
        awaitCommits();
        if (broken != null) {
            throw new JournalException(broken.getMessage(), broken);
        }
    }

    private synchronized void awaitCommits() {
        boolean interrupted = false;
        while (committing || inFlight > 0 || (!queue.isEmpty() && broken == null)) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void refuseIfUnusable() {
        if (closed) {
            throw new JournalException("journal " + file + " is closed");
        }
        if (broken != null) {
            throw new JournalException("journal " + file + " failed earlier and takes no more events", broken);
        }
    }

    /** A batch waiting for its commit: its events, their lines, and whom to tell. */
    record Pending(List<JournalEvent> batch, byte[] lines, Durable then) { }

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
        // What was appended before the close is still written: its callers were promised it.
        awaitCommits();
        if (committer != null && forceOwnFile()) {
            committer.closed(this); // from here on the file stands alone, without the committer's log
        }
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
        FileLock lock = FileChannels.tryLock(channel);
        if (lock == null) {
            throw new JournalException("journal " + file + " is already open (another conversation or daemon)");
        }
        return lock;
    }
}
