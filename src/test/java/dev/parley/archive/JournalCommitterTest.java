package dev.parley.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit: the same promise as a journal forcing itself (durable before told), order kept, one force shared. */
class JournalCommitterTest {
    @TempDir
    Path dir;

    private static JournalEvent notice(long seq) {
        return new JournalEvent.Notice(seq, Instant.parse("2026-11-29T10:00:00Z"), "notice number " + seq);
    }

    private static Journal.Durable onDone(Runnable r) {
        return new Journal.Durable() {
            @Override
            public void done() {
                r.run();
            }

            @Override
            public void failed(JournalException failure) {
                throw new AssertionError("not expected", failure);
            }
        };
    }

    @Test
    void eachBatchIsInTheLogAndItsFileWhenItsCallerIsToldAndCallersAreToldInOrder() throws Exception {
        List<Long> told = Collections.synchronizedList(new ArrayList<>());
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        int n = 300;
        CountDownLatch all = new CountDownLatch(3 * n);
        try (JournalCommitter committer = JournalCommitter.open(dir)) {
            List<JsonlJournal> journals = new ArrayList<>();
            for (int j = 0; j < 3; j++) {
                journals.add(JsonlJournal.open(dir.resolve("c" + j + ".jsonl"), committer));
            }
            for (long seq = 1; seq <= n; seq++) {
                for (JsonlJournal journal : journals) {
                    long mine = seq;
                    journal.appendAllThen(List.of(notice(seq)), onDone(() -> {
                        List<JournalEvent> inFile = JournalReader.read(journal.file());
                        if (inFile.size() < mine) {
                            wrong.add(journal.file().getFileName() + ": event " + mine + " told before written");
                        }
                        if (journal.file().getFileName().toString().equals("c0.jsonl")) {
                            told.add(mine);
                        }
                        all.countDown();
                    }));
                }
            }
            assertThat(all.await(60, TimeUnit.SECONDS)).isTrue();
            journals.forEach(JsonlJournal::close);
        }
        assertThat(wrong).isEmpty();
        assertThat(told).hasSize(n).isSorted();
        for (int j = 0; j < 3; j++) {
            assertThat(JournalReader.read(dir.resolve("c" + j + ".jsonl"))).hasSize(n);
        }
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("a clean close deletes the log")
                    .noneMatch(name -> name.endsWith(".wal"));
        }
    }

    @Test
    void aLoneAppendIsCommittedOnItsOwnThreadAndTheRestWaitForTheNextGroup() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        // The first commit is held before it takes any lines; meanwhile 98 batches of two journals queue.
        AtomicInteger commits = new AtomicInteger();
        Runnable holdFirst = () -> {
            if (commits.incrementAndGet() == 1) {
                holding.countDown();
                await(release);
            }
        };
        try (JournalCommitter committer = JournalCommitter.open(dir, holdFirst);
             JsonlJournal a = JsonlJournal.open(dir.resolve("a.jsonl"), committer);
             JsonlJournal b = JsonlJournal.open(dir.resolve("b.jsonl"), committer)) {
            // Nothing else under way: the appender commits it itself, and is told before appendAllThen returns.
            Thread lone = new Thread(() -> a.appendAllThen(List.of(notice(1)),
                    onDone(() -> threads.add(Thread.currentThread().getName()))), "lone appender");
            lone.start();
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            for (long seq = 2; seq <= 50; seq++) {
                a.appendAllThen(List.of(notice(seq)), onDone(() -> threads.add(Thread.currentThread().getName())));
                b.appendAllThen(List.of(notice(seq - 1)), onDone(() -> threads.add(Thread.currentThread().getName())));
            }
            assertThat(Files.size(committer.file())).isZero();
            release.countDown();
            lone.join(10_000);
            a.flush();
            b.flush();
            // Two commits, one record each: the lone appender's took all of a's batches that had come by the time
            // it read a's queue; the committer's thread took b's 49.
            String log = Files.readString(committer.file(), StandardCharsets.UTF_8);
            assertThat(log.lines().filter(l -> l.matches("\\d+ [0-9a-f]+ .*"))).hasSize(2);
            assertThat(commits.get()).isEqualTo(2);
        }
        assertThat(threads).hasSize(99);
        assertThat(threads.stream().filter("lone appender"::equals)).hasSize(50);
        assertThat(threads.stream().filter("parley-journal"::equals)).as("told by the committer's thread, once its force is done").hasSize(49);
    }

    @Test
    void whatALogLeftByACrashHoldsBeyondAJournalsEndIsPutBackAtTheNextOpen() throws Exception {
        Path file = dir.resolve("j.jsonl");
        Path crashed = Files.createDirectories(dir.resolve("crashed"));
        Path left = crashed.resolve("journal-4242.wal");
        try (JournalCommitter committer = JournalCommitter.open(dir)) {
            JsonlJournal journal = JsonlJournal.open(file, committer);
            for (long seq = 1; seq <= 20; seq++) {
                journal.appendAllThen(List.of(notice(seq)), Journal.Durable.NOTHING);
            }
            journal.flush();
            // The log as a power loss would leave it; the journal's own unforced tail is what such a loss takes.
            Files.copy(committer.file(), left);
            journal.close();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            long keep = lines.subList(0, 12).stream().mapToLong(l -> l.getBytes(StandardCharsets.UTF_8).length + 1)
                    .sum();
            c.truncate(keep + 9); // twelve whole lines and a torn one
        }
        // The log is written into space zeroed ahead of it; a crash in the middle of the log's last write leaves a
        // torn record behind the whole ones, then zeroes.
        byte[] log = Files.readAllBytes(left);
        int end = 0;
        while (end < log.length && log[end] != 0) {
            end++;
        }
        assertThat(log.length - end).as("zeroed space after the records").isGreaterThan(100_000);
        try (FileChannel c = FileChannel.open(left, StandardOpenOption.WRITE)) {
            c.write(java.nio.ByteBuffer.wrap("187 77aa00 /some/where.jsonl\n{\"type\":".getBytes(StandardCharsets.UTF_8)),
                    end);
        }
        assertThat(JournalReader.read(file)).hasSize(12);

        JournalCommitter.open(crashed).close();

        assertThat(JournalReader.read(file)).extracting(JournalEvent::seq)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList());
        assertThat(left).doesNotExist();
        assertThat(Path.of("/some/where.jsonl")).doesNotExist();
    }

    @Test
    void aLogHeldByALiveCommitterIsLeftAlone() throws Exception {
        try (JournalCommitter running = JournalCommitter.open(dir);
             JsonlJournal journal = JsonlJournal.open(dir.resolve("j.jsonl"), running)) {
            journal.appendAll(List.of(notice(1)));
            long size = Files.size(running.file());
            assertThat(size).isPositive();
            // A second process (here, a second committer) on the same folder: a replay beside the daemon.
            try (JournalCommitter beside = JournalCommitter.open(dir)) {
                assertThat(Files.size(running.file())).isEqualTo(size);
                assertThat(beside.file()).isNotEqualTo(running.file());
            }
        }
    }

    @Test
    void closeWaitsForWhatWasAppendedAndThenRefusesMore() {
        Path file = dir.resolve("j.jsonl");
        try (JournalCommitter committer = JournalCommitter.open(dir)) {
            JsonlJournal journal = JsonlJournal.open(file, committer);
            for (long seq = 1; seq <= 50; seq++) {
                journal.appendAllThen(List.of(notice(seq)), Journal.Durable.NOTHING);
            }
            journal.close();
            assertThat(JournalReader.read(file)).hasSize(50);
            assertThatThrownBy(() -> journal.appendAllThen(List.of(notice(51)), Journal.Durable.NOTHING))
                    .isInstanceOf(JournalException.class).hasMessageContaining("is closed");
        }
    }

    @Test
    void closingTwiceIsClosingOnce() throws Exception {
        // The daemon's shutdown hook closes it; a second close (any other path) must not touch the closed log.
        JournalCommitter committer = JournalCommitter.open(dir);
        try (JsonlJournal journal = JsonlJournal.open(dir.resolve("j.jsonl"), committer)) {
            journal.appendAll(List.of(notice(1)));
        }
        committer.close();
        ch.qos.logback.classic.Logger archiveLog =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(JournalCommitter.class);
        var logs = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        logs.start();
        archiveLog.addAppender(logs);
        try {
            committer.close();
        } finally {
            archiveLog.detachAppender(logs);
        }
        assertThat(committer.file()).doesNotExist();
        assertThat(logs.list).as("a second close tried to empty the closed log").isEmpty();
    }

    @Test
    void aSeqOutOfOrderIsRefusedAtOnceNotOnTheCommitterThread() {
        try (JournalCommitter committer = JournalCommitter.open(dir);
             JsonlJournal journal = JsonlJournal.open(dir.resolve("j.jsonl"), committer)) {
            journal.appendAllThen(List.of(notice(1)), Journal.Durable.NOTHING);
            assertThatThrownBy(() -> journal.appendAllThen(List.of(notice(3)), Journal.Durable.NOTHING))
                    .isInstanceOf(JournalException.class).hasMessageContaining("seq 3 out of order, expected 2");
            journal.appendAllThen(List.of(notice(2)), Journal.Durable.NOTHING);
            journal.flush();
            assertThat(journal.events()).extracting(JournalEvent::seq).containsExactly(1L, 2L);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
