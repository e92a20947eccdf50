package dev.parley.app;

import dev.parley.archive.JsonlJournal;
import dev.parley.command.Commands;
import dev.parley.config.ConversationConfig;
import dev.parley.config.ModelConfig;
import dev.parley.config.ParleyConfig;
import dev.parley.config.RoomConfig;
import dev.parley.config.SeatConfig;
import dev.parley.conversation.Conversation;
import dev.parley.core.SeatId;
import dev.parley.core.SystemScheduler;
import dev.parley.model.ModelClient;
import dev.parley.model.ModelClients;
import dev.parley.room.Room;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every conversation of a config until all have ended, then closes rooms and models.
 * SIGTERM (a JVM shutdown hook) ends each conversation properly: stop journalled, rooms told, transcript
 * written. After SIGKILL the next start resumes each unfinished conversation from its journal.
 */
final class Daemon {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);
    private static final long SHUTDOWN_GRACE_SECONDS = 10;

    private final ParleyConfig config;
    private final InputStream in;
    private final PrintStream out;
    private final Archive archive;
    private final List<Running> running = new ArrayList<>();
    private Replay staging;
    private Rooms rooms;

    /** A conversation with what it owns, closed when it ends. */
    private record Running(Conversation conversation, List<Room> rooms, List<ModelClient> models,
                           JsonlJournal journal) { }

    Daemon(ParleyConfig config, InputStream in, PrintStream out) {
        this.config = config;
        this.in = in;
        this.out = out;
        this.archive = new Archive(config.transcriptsDir(), config.timeZone());
    }

    /** Stages a replay: its audience joins the rooms and its transcript's order replaces the turn policy. */
    Daemon staging(Replay replay) {
        this.staging = replay;
        return this;
    }

    /** Runs to the end; returns the process exit code. */
    int run() {
        SystemScheduler scheduler = new SystemScheduler();
        OkHttpClient http = ModelClients.newSharedHttpClient();
        Thread hook = new Thread(() -> shutdown("parley was shut down"), "parley-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Rooms rooms = new Rooms(config, in, out, scheduler, http);
            synchronized (this) {
                this.rooms = rooms;
            }
            try {
                for (ConversationConfig c : config.conversations()) {
                    Running r = assemble(c, scheduler, http, rooms);
                    synchronized (this) {
                        running.add(r);
                    }
                }
            } catch (RuntimeException e) {
                closeAll(); // what was assembled before the failure: its journals are still empty
                throw e;
            }
            List<Running> all = snapshot();
            all.forEach(r -> r.conversation().start());
            CompletableFuture<?>[] stopped = all.stream().map(r -> r.conversation().stopped())
                    .toArray(CompletableFuture[]::new);
            CompletableFuture.allOf(stopped).exceptionally(suspended -> null).join();
            drainLoops();
            closeAll(); // the rooms get the suspension notice first, if there is one
            Suspension.rethrow(stopped);
            return 0;
        } finally {
            boolean hookRunning = false;
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The hook is running: it closes what is left, and still needs the scheduler to reach the loops.
                hookRunning = true;
            }
            if (!hookRunning) {
                scheduler.close();
                http.dispatcher().executorService().shutdown();
                http.connectionPool().evictAll();
            }
        }
    }

    private Running assemble(ConversationConfig c, SystemScheduler scheduler, OkHttpClient http, Rooms rooms) {
        JsonlJournal journal = archive.openJournal(c.id(), scheduler.now());
        ScriptPlaces alreadySaid = ScriptPlaces.of(journal.events());
        try {
            return assemble(c, scheduler, http, rooms, journal, alreadySaid);
        } catch (RuntimeException e) {
            // A seat or room that cannot be built: leave no empty journal behind for the next start to "resume".
            close(journal);
            throw e;
        }
    }

    private Running assemble(ConversationConfig c, SystemScheduler scheduler, OkHttpClient http, Rooms rooms,
                             JsonlJournal journal, ScriptPlaces alreadySaid) {
        Function<ModelConfig.Replay, List<String>> script = staging != null ? ScriptLoader::linesOrNone
                : ScriptLoader::lines;
        Map<SeatId, ModelClient> models = new LinkedHashMap<>();
        for (SeatConfig seat : c.seats()) {
            // A resumed replay seat goes on from the line after the last one the journal has it saying;
            // starting its script over would repeat the whole conversation.
            long skip = alreadySaid.saidBy(seat.id().value());
            models.put(seat.id(), ModelClients.create(seat.model(), scheduler, http,
                    r -> remaining(script.apply(r), skip), c.replies().streamCut()));
        }
        List<Room> shownIn = new ArrayList<>();
        for (RoomConfig rc : c.rooms()) {
            shownIn.add(rooms.withOutbox(rooms.create(c, rc)));
        }
        if (staging != null) {
            shownIn.add(staging.audience((int) alreadySaid.messages()));
        }
        Path journalFile = journal.file();
        Commands commands = new Commands(c.commands().prefix());
        Conversation conversation = new Conversation(c, models, shownIn, journal, scheduler, new Random(
                new SecureRandom().nextLong()), commands::handle, events -> {
                    Path t = archive.writeTranscript(journalFile, events);
                    return t.toString();
                });
        if (staging != null) {
            conversation.useTurnPolicy(staging.turnOrder());
        }
        conversation.stopped().thenRun(() -> {
            out.println("Transcript: " + archive.transcriptOf(journalFile));
            out.println("Journal:    " + journalFile);
            out.flush();
        });
        return new Running(conversation, shownIn, List.copyOf(models.values()), journal);
    }

    private static List<String> remaining(List<String> lines, long skip) {
        return lines.subList((int) Math.min(skip, lines.size()), lines.size());
    }

    private void shutdown(String reason) {
        List<Running> now = snapshot(); // the main thread may be closing them at the same time
        now.forEach(r -> r.conversation().shutdown(reason));
        try {
            CompletableFuture.allOf(now.stream().map(r -> r.conversation().stopped())
                    .toArray(CompletableFuture[]::new)).get(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            log.warn("conversations did not end within {} s of shutdown", SHUTDOWN_GRACE_SECONDS);
        } catch (Exception e) {
            log.warn("shutdown interrupted", e);
        }
        drainLoops();
        closeAll();
    }

    /**
     * Waits until each conversation's loop has finished the task it was on. A conversation reports itself stopped
     * from inside that task (say a {@code !stop}, whose command event is journalled after the stop), so closing
     * the journal as soon as it is stopped would lose the rest of that task's events.
     */
    private void drainLoops() {
        for (Running r : snapshot()) {
            CompletableFuture<Void> idle = new CompletableFuture<>();
            r.conversation().onLoop(() -> idle.complete(null));
            try {
                idle.get(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                log.warn("{} was still busy {} s after it stopped", r.conversation().id(), SHUTDOWN_GRACE_SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The conversations, copied: the main thread and the shutdown hook both walk them. */
    private synchronized List<Running> snapshot() {
        return List.copyOf(running);
    }

    private synchronized void closeAll() {
        for (Running r : running) {
            r.rooms().forEach(Room::close);
            r.models().forEach(ModelClient::close);
            close(r.journal());
        }
        running.clear();
        if (rooms != null) {
            rooms.close();
        }
    }

    /** Closes a journal, deleting it if nothing was ever written to it. */
    private static void close(JsonlJournal journal) {
        boolean empty = journal.events().isEmpty();
        journal.close();
        if (empty) {
            try {
                java.nio.file.Files.deleteIfExists(journal.file());
            } catch (java.io.IOException e) {
                log.warn("could not delete the empty journal {}", journal.file(), e);
            }
        }
    }
}
