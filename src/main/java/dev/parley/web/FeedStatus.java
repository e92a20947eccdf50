package dev.parley.web;

import dev.parley.archive.EpisodeId;
import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalFeed;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * A {@link StatusSource} worked out from the journal feed alone, for a host that publishes events but no status of
 * its own: each configured conversation waits until its episode starts, then runs, pauses, resumes and ends as its
 * journal says. A host that knows more (a cast chosen for the next episode, rooms joined) can publish its own.
 */
public final class FeedStatus implements StatusSource, AutoCloseable {
    private final Path dir;
    private final BooleanSupplier ready;
    private final Map<String, LiveStatus> now = new LinkedHashMap<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "parley-web-status");
        t.setDaemon(true);
        return t;
    });
    private final JournalFeed feed;
    private volatile JournalFeed.Subscription subscription;

    /**
     * Follows {@code feed} for the conversations of {@code initial} (each as it is before its first episode);
     * {@code transcriptsDir} is where episode numbers are counted.
     */
    public FeedStatus(List<LiveStatus> initial, Path transcriptsDir, JournalFeed feed, BooleanSupplier ready) {
        this.dir = transcriptsDir;
        this.ready = ready;
        this.feed = feed;
        initial.forEach(s -> now.put(s.conversation(), s));
        subscription = feed.subscribe(id -> true, 10_000, () -> executor.execute(this::drain));
    }

    @Override
    public synchronized List<LiveStatus> conversations() {
        return List.copyOf(now.values());
    }

    @Override
    public boolean ready() {
        return ready.getAsBoolean();
    }

    private void drain() {
        if (subscription.dropped()) {
            subscription = feed.subscribe(id -> true, 10_000, () -> executor.execute(this::drain));
        }
        for (JournalFeed.Published p : subscription.drain()) {
            apply(p.episode(), p.event());
        }
    }

    /** Moves the conversation's status on by one journal event. */
    synchronized void apply(EpisodeId episode, JournalEvent event) {
        LiveStatus s = now.get(episode.conversation());
        if (s == null) {
            return;
        }
        LiveStatus.State state = s.state();
        int number = s.episodeNumber();
        List<String> cast = s.cast();
        List<String> rooms = s.rooms();
        int turn = episode.equals(s.episode()) ? s.turn() : 0;
        LiveStatus.LastMessage last = episode.equals(s.episode()) ? s.last() : null;
        if (!episode.equals(s.episode())) {
            number = numberOf(episode);
            state = LiveStatus.State.WAITING;
        }
        if (event instanceof JournalEvent.Start start) {
            // Opened: the seats join, and it may wait for an operator's !start; its first turn shows it runs.
            state = LiveStatus.State.WAITING;
            if (start.seats() != null) {
                cast = start.seats().stream().map(JournalEvent.SeatInfo::name).toList();
            }
            if (start.rooms() != null) {
                rooms = start.rooms();
            }
        } else if (event instanceof JournalEvent.Said said) {
            if (said.turn() != null) {
                turn = said.turn();
            }
            last = new LiveStatus.LastMessage(said.speaker(), said.isHuman(), said.text(), said.ts());
            if (said.isModel() && state == LiveStatus.State.WAITING) {
                state = LiveStatus.State.RUNNING;
            }
        } else if (event instanceof JournalEvent.Notice notice && state == LiveStatus.State.WAITING
                && notice.text() != null && (notice.text().startsWith("Starting ")
                || notice.text().startsWith("Picking up "))) {
            // The engine's words when it begins (or goes on after a restart); the journal has no event for it.
            state = LiveStatus.State.RUNNING;
        } else if (event instanceof JournalEvent.Pause) {
            state = LiveStatus.State.PAUSED;
        } else if (event instanceof JournalEvent.Resume) {
            state = LiveStatus.State.RUNNING;
        } else if (event instanceof JournalEvent.Stop) {
            state = LiveStatus.State.ENDED;
        }
        String title = String.join(" \u2194 ", cast);
        now.put(s.conversation(), new LiveStatus(s.conversation(), title, state, number, episode, cast, turn,
                s.maxTurns(), rooms, last));
    }

    /** Its place among the conversation's journals, by name (names start with the conversation and its start time). */
    private int numberOf(EpisodeId episode) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.resolve(episode.conversation()), "*.jsonl")) {
            files.forEach(f -> names.add(f.getFileName().toString()));
        } catch (IOException e) {
            return 0;
        }
        String mine = episode.name() + ".jsonl";
        return (int) names.stream().filter(n -> n.compareTo(mine) <= 0).count();
    }

    @Override
    public void close() {
        subscription.close();
        executor.shutdownNow();
    }
}
