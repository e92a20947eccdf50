package dev.parley.archive;

import dev.parley.core.AtomicFile;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for file journals: the lines of every journal that has some waiting go into one log with one write
 * and one force, then into each journal's own file (not forced: the log holds them), then to the callers. A
 * thousand conversations each taking a turn cost one disk flush, not a thousand, and none of them waits for it.
 *
 * <p>Who commits: an appender that finds nothing else under way commits at once on its own thread (a lone
 * conversation pays one force, as a journal forcing itself would); otherwise its journal joins the group that the
 * committer's thread takes next, which writes the journals' files and tells the callers once the group's force is
 * done. (A second thread that wrote one group's files while the next group was forced gained a few per cent of
 * throughput and cost a thread hand-off per group, which made the slowest turns slower: docs/benchmark.md.)
 *
 * <p>The log ({@code journal-<pid>-<n>.wal} in the transcripts folder, one per process, so that a replay can run
 * beside the daemon) holds, for each batch, the journal file's path and the batch's lines, with a checksum. A
 * journal file may lag its log after a power loss; {@link #open} first puts back into each journal what any log
 * left behind holds beyond its end. The log is emptied once the journals it covers have been forced themselves:
 * when it has grown past {@link #CHECKPOINT_BYTES}, and at {@link #close}, which deletes it. A journal forces its
 * own file when it is closed.
 *
 * <p>The log is written into space zeroed and forced ahead of it ({@link #ZEROED_AHEAD} at a time): forcing a write
 * that makes a file longer also forces the file's new size, and on ext4 cost 130-160 µs a line where forcing a
 * write into blocks already there cost 85 µs (docs/benchmark.md). A zeroed tail reads as the end of the log.
 */
public final class JournalCommitter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JournalCommitter.class);
    /** The log is emptied past this size; each time every journal written since is forced, in parallel. */
    static final long CHECKPOINT_BYTES = 64L << 20;
    /** How the logs' names end. */
    static final String LOG_SUFFIX = ".wal";
    /** How much log space is zeroed ahead of the records, once what is left falls under a quarter of it. */
    static final long ZEROED_AHEAD = 1L << 20;
    /** Space is zeroed ahead only while the disk has this much room. */
    private static final long ZEROING_NEEDS_FREE = 256L << 20;
    /** The largest group buffer kept for the next group; a larger group is written from a buffer of its own. */
    private static final int KEPT_BUFFER_BYTES = 4 << 20;
    /** Committers opened in this process: part of the log's name, with the process id. */
    private static final AtomicInteger OPENED = new AtomicInteger();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final Thread thread;
    /** For tests: runs before each group is written to the log. */
    private final Runnable beforeEachCommit;
    private final ArrayDeque<JsonlJournal> ready = new ArrayDeque<>();
    /** Journals written since the log was last emptied: forced before it is emptied again. */
    private final Set<JsonlJournal> unforced = ConcurrentHashMap.newKeySet();
    private long logBytes;
    /** The last group's records, for the next group to reuse (see {@link #logBuffer}). */
    private ByteBuffer logBuffer;
    /** The log file's length: records up to {@link #logBytes}, zeroes after them. */
    private long zeroedTo;
    private boolean closing;
    /** A group is being committed, by the committer's thread or by an appender ({@link #commitHere}). */
    private boolean busy;
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong journalsCommitted = new AtomicLong();
    private final AtomicLong commitNanos = new AtomicLong();
    /** The longest commit and the longest force of the log so far (written by the committing thread only). */
    private volatile long longestCommit;
    private volatile long longestForce;

    private JournalCommitter(Path file, FileChannel channel, FileLock lock, Runnable beforeEachCommit) {
        this.beforeEachCommit = beforeEachCommit;
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.thread = new Thread(this::run, "parley-journal");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Starts committing through a log of this process's own in {@code dir} (the transcripts folder). First, every
     * log there that no running parley holds (one left by a crash) puts back into its journals what it holds
     * beyond their ends, and goes. Call before any journal of this folder is opened.
     */
    public static JournalCommitter open(Path dir) {
        return open(dir, () -> { });
    }

    static JournalCommitter open(Path dir, Runnable beforeEachCommit) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new JournalException("cannot create " + dir + ": " + IoReason.of(e, dir), e);
        }
        recoverLeftLogs(dir);
        Path file = dir.resolve("journal-" + ProcessHandle.current().pid() + "-" + OPENED.incrementAndGet()
                + LOG_SUFFIX);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = lockOrFail(file, channel);
            channel.truncate(0);
            channel.force(true);
            AtomicFile.forceDirectory(dir);
            return new JournalCommitter(file, channel, lock, beforeEachCommit);
        } catch (IOException e) {
            FileChannels.closeQuietly(channel);
            throw new JournalException("cannot open the journal log " + file + ": " + IoReason.of(e, file), e);
        } catch (RuntimeException e) {
            FileChannels.closeQuietly(channel);
            throw e;
        }
    }

    /** The log file this committer writes. */
    public Path file() {
        return file;
    }

    /** Logs in {@code dir} that no live process holds: each is put back into its journals, then deleted. */
    private static void recoverLeftLogs(Path dir) {
        List<Path> logs;
        try (var files = Files.list(dir)) {
            logs = files.filter(p -> p.getFileName().toString().startsWith("journal")
                    && p.getFileName().toString().endsWith(LOG_SUFFIX)).sorted().toList();
        } catch (IOException e) {
            throw new JournalException("cannot list " + dir + ": " + IoReason.of(e, dir), e);
        }
        for (Path log : logs) {
            try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                FileLock lock = FileChannels.tryLock(channel);
                if (lock == null) {
                    continue; // a running parley's own
                }
                if (recover(log, channel)) {
                    Files.delete(log);
                }
                lock.release();
            } catch (IOException e) {
                LOG.warn("journal log {} left by an earlier run could not be read: {}", log, IoReason.of(e, log));
            }
        }
    }

    /** A journal closed (and forced itself): the log need not force it again. */
    void closed(JsonlJournal journal) {
        unforced.remove(journal);
    }

    /**
     * A journal has lines waiting: they are committed with the next group. Returns true when nothing else is being
     * committed or written: then the caller commits them at once on its own thread ({@link #commitHere}), as a
     * journal forcing itself would, without a hand-off to this committer's threads and back. A lone conversation
     * so pays no more than one force; under load the group forms while a commit is under way.
     */
    boolean ready(JsonlJournal journal) {
        synchronized (ready) {
            ready.add(journal);
            if (!busy && !closing) {
                busy = true;
                return true;
            }
            ready.notifyAll();
            return false;
        }
    }

    /** Commits what is waiting on the caller's thread; called after {@link #ready} said so. */
    void commitHere() {
        try {
            commit(takeGroup());
        } finally {
            synchronized (ready) {
                busy = false;
                ready.notifyAll(); // what came meanwhile is the committer thread's
            }
        }
    }

    private List<JsonlJournal> takeGroup() {
        synchronized (ready) {
            List<JsonlJournal> group = new ArrayList<>(ready);
            ready.clear();
            return group;
        }
    }

    private void run() {
        while (true) {
            synchronized (ready) {
                while (busy || (ready.isEmpty() && !closing)) {
                    try {
                        ready.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (ready.isEmpty()) {
                    return; // closing, and nothing left
                }
                busy = true;
            }
            try {
                commit(takeGroup());
            } finally {
                synchronized (ready) {
                    busy = false;
                    ready.notifyAll();
                }
            }
        }
    }

    /** How group commit went so far, for benchmarks: "N commits, J journals each, T µs each". */
    public String describe() {
        long n = Math.max(1, commits.get());
        return String.format(Locale.ROOT, "%d commits of %.1f journals each, %.0f µs each, longest %.1f ms (its "
                        + "force of the log at most %.1f ms)", commits.get(), journalsCommitted.get() / (double) n,
                commitNanos.get() / 1e3 / n, longestCommit / 1e6, longestForce / 1e6);
    }

    private void commit(List<JsonlJournal> group) {
        beforeEachCommit.run();
        long start = System.nanoTime();
        try {
            commitGroup(group);
        } finally {
            commits.incrementAndGet();
            journalsCommitted.addAndGet(group.size());
            long took = System.nanoTime() - start;
            commitNanos.addAndGet(took);
            longestCommit = Math.max(longestCommit, took);
        }
    }

    /**
     * One write and one force of the log for the whole group; then each journal writes its own file and tells its
     * callers.
     */
    private void commitGroup(List<JsonlJournal> group) {
        Map<JsonlJournal, JsonlJournal.Taken> taken = new LinkedHashMap<>();
        List<byte[]> headers = new ArrayList<>(group.size());
        int size = 0;
        for (JsonlJournal journal : group) {
            JsonlJournal.Taken t = journal.take();
            if (t.bytes().length > 0) {
                taken.put(journal, t);
                byte[] header = recordHeader(journal.logName(), t.bytes());
                headers.add(header);
                size += header.length + t.bytes().length;
            }
        }
        if (taken.isEmpty()) {
            return;
        }
        ByteBuffer log = logBuffer(size);
        int next = 0;
        for (JsonlJournal.Taken t : taken.values()) {
            log.put(headers.get(next++)).put(t.bytes());
        }
        log.flip();
        IOException failure = null;
        try {
            while (log.hasRemaining()) {
                channel.write(log, logBytes + log.position());
            }
            long forceStart = System.nanoTime();
            channel.force(false);
            longestForce = Math.max(longestForce, System.nanoTime() - forceStart);
            logBytes += size;
        } catch (IOException e) {
            failure = e;
            cutBackTo(logBytes);
        }
        for (Map.Entry<JsonlJournal, JsonlJournal.Taken> t : taken.entrySet()) {
            if (failure == null) {
                unforced.add(t.getKey());
                t.getKey().committed(t.getValue());
            } else {
                t.getKey().failed(t.getValue(), failure);
            }
        }
        if (logBytes > CHECKPOINT_BYTES) {
            checkpoint();
        }
        if (zeroedTo - logBytes < ZEROED_AHEAD / 4) {
            zeroAhead(); // after the callers were told: the next group pays for it, and rarely
        }
    }

    /**
     * Zeroes and forces the next {@link #ZEROED_AHEAD} bytes after the records; without it, the log only grows slower.
     * Never on a disk with little room left: the zeroes would take what the journals' own files need.
     */
    private void zeroAhead() {
        try {
            if (Files.getFileStore(file).getUsableSpace() < ZEROING_NEEDS_FREE) {
                return;
            }
        } catch (IOException e) {
            return;
        }
        long from = Math.max(zeroedTo, logBytes);
        long to = logBytes + ZEROED_AHEAD;
        ByteBuffer zeroes = ByteBuffer.allocate(64 << 10);
        try {
            for (long at = from; at < to; at += zeroes.capacity()) {
                zeroes.clear().limit((int) Math.min(zeroes.capacity(), to - at));
                while (zeroes.hasRemaining()) {
                    channel.write(zeroes, at + zeroes.position());
                }
            }
            channel.force(true);
            zeroedTo = to;
        } catch (IOException e) {
            LOG.debug("journal log {}: could not zero space ahead: {}", file, IoReason.of(e, file));
            cutBackTo(logBytes);
        }
    }

    /** A log write that failed part way: cut it off, so the log still ends on a whole record. */
    private void cutBackTo(long length) {
        try {
            channel.truncate(length);
            zeroedTo = length;
        } catch (IOException e) {
            LOG.warn("journal log {}: could not cut off a failed write; the next start ignores its tail", file, e);
        }
    }

    /** Forces every journal written since the log was last emptied, then empties it. */
    private void checkpoint() {
        List<JsonlJournal> journals = new ArrayList<>(unforced);
        boolean allForced = journals.parallelStream().map(JsonlJournal::forceOwnFile).reduce(true, Boolean::logicalAnd);
        if (!allForced) {
            LOG.warn("journal log {}: a journal could not be forced; the log keeps its lines", file);
            return;
        }
        try {
            channel.truncate(0);
            channel.force(true);
            logBytes = 0;
            zeroedTo = 0;
            unforced.clear();
        } catch (IOException e) {
            LOG.warn("journal log {}: could not be emptied: {}", file, IoReason.of(e, file));
        }
    }

    /** Commits what is waiting, forces every journal, empties the log and lets it go. Again: nothing. */
    @Override
    public void close() {
        synchronized (ready) {
            if (closing) {
                return;
            }
            closing = true;
            ready.notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        checkpoint();
        boolean empty = logBytes == 0;
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it anyway
        }
        FileChannels.closeQuietly(channel);
        if (empty) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.debug("journal log {} not deleted", file, e);
            }
        }
    }

    // ---- the log's format ----------------------------------------------------------------------------------

    /**
     * A buffer for a group of {@code size} bytes: the one kept from group to group (commits take turns, see
     * {@code busy}), direct, so the channel writes it without first copying it into one of its own; a thousand
     * conversations' lines pass through here every second. An outsized group gets a buffer of its own.
     */
    private ByteBuffer logBuffer(int size) {
        if (size > KEPT_BUFFER_BYTES) {
            return ByteBuffer.allocate(size);
        }
        if (logBuffer == null || logBuffer.capacity() < size) {
            logBuffer = ByteBuffer.allocateDirect(Math.min(KEPT_BUFFER_BYTES, Integer.highestOneBit(size) << 1));
        }
        return logBuffer.clear();
    }

    /**
     * A record's first line, with its line break: {@code <length> <crc32 of the lines> <journal path, UTF-8,
     * URL-style escaped>}; the lines follow it. {@code name} is {@link #logName}'s.
     */
    private static byte[] recordHeader(byte[] name, byte[] lines) {
        CRC32 crc = new CRC32();
        crc.update(lines);
        byte[] numbers = (lines.length + " " + Long.toHexString(crc.getValue()) + " ")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] header = Arrays.copyOf(numbers, numbers.length + name.length + 1);
        System.arraycopy(name, 0, header, numbers.length, name.length);
        header[header.length - 1] = '\n';
        return header;
    }

    /** How a record names its journal: the absolute path, URL-style escaped (no space, no line break). */
    static byte[] logName(Path journal) {
        return URLEncoder.encode(journal.toAbsolutePath().toString(), StandardCharsets.UTF_8)
                .getBytes(StandardCharsets.US_ASCII);
    }

    private record Record(Path journal, byte[] lines) { }

    /** The whole records of the log, in order; a torn or damaged tail (a write a crash cut) ends the list. */
    static List<Record> records(byte[] log) {
        List<Record> records = new ArrayList<>();
        int at = 0;
        while (at < log.length) {
            int nl = FileChannels.indexOf(log, (byte) '\n', at);
            if (nl < 0) {
                break;
            }
            String[] header = new String(log, at, nl - at, StandardCharsets.UTF_8).split(" ", 3);
            int length;
            long crc;
            try {
                length = Integer.parseInt(header[0]);
                crc = Long.parseLong(header[1], 16);
            } catch (RuntimeException e) {
                break;
            }
            if (header.length < 3 || length < 0 || nl + 1L + length > log.length) {
                break;
            }
            byte[] lines = Arrays.copyOfRange(log, nl + 1, nl + 1 + length);
            CRC32 check = new CRC32();
            check.update(lines);
            if (check.getValue() != crc) {
                break;
            }
            records.add(new Record(Path.of(URLDecoder.decode(header[2], StandardCharsets.UTF_8)), lines));
            at = nl + 1 + length;
        }
        return records;
    }

    /** Puts back into each journal the lines the log holds beyond the journal's end; false if one failed. */
    private static boolean recover(Path file, FileChannel channel) throws IOException {
        Map<Path, List<JournalEvent>> byJournal = new LinkedHashMap<>();
        for (Record r : records(FileChannels.readAll(channel))) {
            List<JournalEvent> events = byJournal.computeIfAbsent(r.journal(), k -> new ArrayList<>());
            int at = 0;
            while (at < r.lines().length) {
                int nl = FileChannels.indexOf(r.lines(), (byte) '\n', at);
                events.add(JournalJson.read(r.lines(), at, nl - at));
                at = nl + 1;
            }
        }
        boolean all = true;
        for (Map.Entry<Path, List<JournalEvent>> e : byJournal.entrySet()) {
            try {
                putBack(file, e.getKey(), e.getValue());
            } catch (JournalException failure) {
                LOG.warn("journal log {}: could not put back the end of {}: {}; the log is kept for the next start",
                        file, e.getKey(), failure.getMessage());
                all = false;
            }
        }
        return all;
    }

    private static void putBack(Path log, Path journalFile, List<JournalEvent> logged) {
        if (!Files.exists(journalFile) && logged.get(0).seq() != 1) {
            LOG.warn("journal log {}: {} is gone; its last {} events cannot be put back alone", log, journalFile,
                    logged.size());
            return;
        }
        try (JsonlJournal journal = JsonlJournal.open(journalFile)) {
            long have = journal.events().size();
            List<JournalEvent> missing = logged.stream().filter(e -> e.seq() > have).toList();
            if (missing.isEmpty()) {
                return;
            }
            if (missing.get(0).seq() != have + 1) {
                LOG.warn("journal log {}: {} ends at event {} but the log goes on from {}; left as it is", log,
                        journalFile, have, missing.get(0).seq());
                return;
            }
            journal.appendAll(missing);
            LOG.info("journal {}: put back events {}..{} from the journal log {}", journalFile, have + 1,
                    missing.get(missing.size() - 1).seq(), log);
        }
    }
    private static FileLock lockOrFail(Path file, FileChannel channel) throws IOException {
        FileLock lock = FileChannels.tryLock(channel);
        if (lock == null) {
            throw new JournalException("the journal log " + file + " is in use by another parley");
        }
        return lock;
    }

}
