package dev.parley.matrix;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The room's /sync long-poll: one poll at a time, each batch handed to {@link Batches} in order, gaps in a
 * {@code limited} timeline filled with /messages, and the position after each batch saved to {@link SyncState}
 * (a short delay after the hand-over, see {@link #savePositionLater}). On the very first start the history is
 * skipped. The client that polls can change under a running loop ({@link #readAs}); the next poll goes on from
 * the same position, so nothing said meanwhile is missed.
 */
final class SyncLoop {
    private static final Logger log = LoggerFactory.getLogger(SyncLoop.class);

    /** What the room does with each batch of events. */
    interface Batches {
        /**
         * @param missed   events of a gap before the batch's timeline, oldest first
         * @param deliver  false for the first sync of a room: its timeline is history, not to be answered
         * @param polledAs the user whose poll brought the batch
         */
        void handle(SyncResponse batch, List<RoomEvent> missed, boolean deliver, String polledAs);
    }

    private final RoomContext room;
    private final SyncState state;
    private final Batches batches;
    /** Users an earlier version saved the position under (each seat's, in appservice mode). */
    private final Supplier<List<String>> earlierStateUsers;

    /** Sync positions: batches handed over are numbered; a position is never replaced by an older. */
    private final Object positionLock = new Object();
    private long positionsHandedOver;
    private long positionSaved;
    private CompletableFuture<Void> lastPositionSave = CompletableFuture.completedFuture(null);

    private volatile MatrixClient reader;
    private volatile String readerUserId;
    /** Who made the /sync call being handled: a reader that was replaced may still have one in flight. */
    private volatile String polledAs;
    /** Completed and replaced each time another user takes over reading. */
    private volatile CompletableFuture<Void> readerMoved = new CompletableFuture<>();
    /** Done once the room knows its sync position: from then on nothing a human says is missed. */
    private final CompletableFuture<Void> listening = new CompletableFuture<>();

    SyncLoop(RoomContext room, SyncState state, Batches batches, Supplier<List<String>> earlierStateUsers) {
        this.room = room;
        this.state = state;
        this.batches = batches;
        this.earlierStateUsers = earlierStateUsers;
    }

    /** Polls as {@code user} from now on; the first call starts the loop. */
    synchronized void readAs(MatrixClient client, String user) {
        String before = readerUserId;
        reader = client;
        readerUserId = user;
        CompletableFuture<Void> moved = readerMoved;
        readerMoved = new CompletableFuture<>();
        moved.complete(null);
        if (before == null) {
            start();
        } else {
            log.info("{}: {} reads the room from now on, instead of {}", room.name, user, before);
        }
    }

    /** Who polls (null before the loop started). */
    String readerUser() {
        return readerUserId;
    }

    /** Completes once {@code user} no longer reads the room (at once if it does not). */
    CompletableFuture<Void> notReading(String user) {
        if (!room.appservice() || !user.equals(readerUserId)) {
            return CompletableFuture.completedFuture(null);
        }
        return readerMoved.thenCompose(v -> notReading(user));
    }

    /** Completes once the room knows its position: what is said from then on is heard. */
    CompletableFuture<Void> listening() {
        return listening;
    }

    /** The user the position is saved for: in appservice mode the appservice, whichever ghost reads. */
    private String stateUser() {
        return room.appservice() ? room.server.controlUser() : readerUserId;
    }

    private String filter() {
        return SyncFilter.sync(room.roomId, room.tuning.timelineLimit());
    }

    private void start() {
        String since = state.load(stateUser(), room.roomId);
        for (var u = earlierStateUsers.get().iterator(); since == null && room.appservice() && u.hasNext(); ) {
            since = state.load(u.next(), room.roomId);
        }
        if (since == null) {
            startFresh();
        } else {
            // Listening only once the saved position proved good (a first poll that does not wait).
            syncFrom(since, Duration.ZERO);
        }
    }

    /** First start in this room: whatever was said before we came is history, not something to answer. */
    private void startFresh() {
        polledAs = readerUserId;
        reader.sync(filter(), null, Duration.ZERO).whenComplete((json, e) -> {
            if (e != null) {
                syncFailed(e, null);
                return;
            }
            SyncResponse r = SyncResponse.of(json, room.name);
            batches.handle(r, List.of(), false, polledAs);
            String next = r.nextBatch() == null ? "" : r.nextBatch();
            // Nothing was delivered (history is skipped), so nothing can be lost by saving at once.
            long seq;
            synchronized (positionLock) {
                seq = ++positionsHandedOver;
            }
            savePosition(seq, next);
            listening.complete(null);
            syncFrom(next, room.tuning.syncTimeout());
        });
    }

    private void syncFrom(String since, Duration timeout) {
        if (room.closed) {
            return;
        }
        polledAs = readerUserId;
        reader.sync(filter(), since, timeout).whenComplete((json, e) -> {
            if (e != null) {
                syncFailed(e, since);
                return;
            }
            SyncResponse r = SyncResponse.of(json, room.name);
            SyncResponse.Timeline timeline = r.room(room.roomId).timeline();
            CompletableFuture<List<RoomEvent>> gap = timeline.limited() && timeline.prevBatch() != null
                    ? fetchGap(since, timeline.prevBatch(), new ArrayList<>())
                    : CompletableFuture.completedFuture(List.of());
            gap.whenComplete((missed, ge) -> {
                if (ge != null) {
                    log.warn("{}: more than {} events arrived at once and the gap could not be read ({}); "
                            + "older ones in it are skipped", room.name, room.tuning.timelineLimit(),
                            MatrixClient.unwrap(ge).toString());
                }
                received(since, r, missed == null ? List.of() : missed);
            });
        });
    }

    /**
     * A batch arrived (its gap, if any, read): it is handed over, its position saved a little later, and the
     * next poll starts.
     */
    private void received(String since, SyncResponse batch, List<RoomEvent> missed) {
        // Numbered before the room hears anything: a close() racing the hand-over then waits for it.
        long seq;
        CompletableFuture<Void> saved = new CompletableFuture<>();
        synchronized (positionLock) {
            seq = ++positionsHandedOver;
            lastPositionSave = saved;
        }
        try {
            batches.handle(batch, missed, true, polledAs);
        } catch (RuntimeException ex) {
            log.error("{}: handling a sync batch failed", room.name, ex);
        }
        String next = batch.nextBatch() == null ? since : batch.nextBatch();
        savePositionLater(seq, next, saved);
        listening.complete(null);
        syncFrom(next, room.tuning.syncTimeout());
    }

    /**
     * The events between the last sync position and the start of a {@code limited} timeline, oldest first,
     * read with /messages: more arrived than one timeline holds (a long daemon outage), and every one counts.
     */
    private CompletableFuture<List<RoomEvent>> fetchGap(String from, String to, List<RoomEvent> acc) {
        if (room.closed) {
            return CompletableFuture.completedFuture(acc);
        }
        return reader.messages(room.roomId, from, to, SyncFilter.messages(), 100).thenCompose(json -> {
            SyncResponse.MessagesPage page = MatrixClient.read(json, SyncResponse.MessagesPage.class);
            acc.addAll(page.chunk());
            if (page.chunk().isEmpty() || page.end() == null || page.end().equals(from)) {
                log.info("{}: read {} events missed in a sync gap", room.name, acc.size());
                return CompletableFuture.completedFuture(acc);
            }
            return fetchGap(page.end(), to, acc);
        });
    }

    /**
     * Saves the position past a batch whose listener calls have all returned, {@code positionSaveDelay} later.
     * Returning is not journalling: the conversation journals on its own loop, and the Room SPI does not say
     * when that is done; the delay gives it that long, so a kill inside it only repeats the batch (see
     * docs/matrix.md, "Receiving").
     */
    private void savePositionLater(long seq, String since, CompletableFuture<Void> saved) {
        room.scheduler.schedule(room.tuning.positionSaveDelay(), () -> {
            try {
                savePosition(seq, since);
            } finally {
                saved.complete(null);
            }
        });
    }

    /** Saves {@code since} unless a later batch's position is already saved (scheduled saves may overtake). */
    private void savePosition(long seq, String since) {
        synchronized (positionLock) {
            if (seq <= positionSaved || room.closed) {
                return;
            }
            positionSaved = seq;
            try {
                state.save(stateUser(), room.roomId, since);
            } catch (RuntimeException e) {
                // Keep the room running; only a restart would repeat this batch. Said once, not per batch.
                if (room.reported.add("state")) {
                    room.fail("cannot save the sync position", e);
                }
            }
        }
    }

    /**
     * A graceful close waits (at most the save delay, and a little) for the position of the last batch handed
     * over, so a restart does not hear it again; if it cannot (a stopped scheduler), the restart repeats it.
     */
    void awaitLastPositionSave() {
        CompletableFuture<Void> last;
        synchronized (positionLock) {
            last = lastPositionSave;
        }
        try {
            last.get(room.tuning.positionSaveDelay().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("{}: sync position of the last batch not saved; a restart delivers it again", room.name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void syncFailed(Throwable e, String since) {
        if (room.closed) {
            return;
        }
        Throwable cause = MatrixClient.unwrap(e);
        if (since != null && cause instanceof MatrixException m && m.status() == 400) {
            // The saved position is not one this homeserver knows (its database was reset, or the file was
            // copied from elsewhere). Retrying it would fail forever: continue from now, and say what was lost.
            room.problem(room.name + ": the homeserver refused the saved sync position (" + m.getMessage()
                    + "); continuing from now, messages since the last run are skipped");
            startFresh();
            return;
        }
        if (cause instanceof MatrixException m && !m.isAuthFailure() && m.status() != 0) {
            // Some other refusal (a filter the server dislikes, a forbidden room): try again later.
            room.scheduler.schedule(room.tuning.backoff().max(),
                    since == null ? this::startFresh : () -> syncFrom(since, room.tuning.syncTimeout()));
        }
        room.fail("sync stopped", cause);
    }
}
