package dev.parley.app;

import dev.parley.archive.JournalCommitter;
import dev.parley.archive.Journal;
import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalFeed;
import dev.parley.archive.JsonlJournal;
import dev.parley.archive.PublishingJournal;
import dev.parley.config.ConversationConfig;
import dev.parley.config.ModelConfig;
import dev.parley.config.ParleyConfig;
import dev.parley.config.Providers;
import dev.parley.config.RoomConfig;
import dev.parley.config.SeatConfig;
import dev.parley.conversation.TurnPolicy;
import dev.parley.core.SystemScheduler;
import dev.parley.core.Telemetry;
import dev.parley.host.Host;
import dev.parley.host.Parts;
import dev.parley.model.ModelClient;
import dev.parley.model.ModelClients;
import dev.parley.room.Room;
import dev.parley.web.FeedStatus;
import dev.parley.web.Meters;
import dev.parley.web.WebServer;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process around the {@link Host}: the scheduler, the shared HTTP client (made only if a seat or room needs
 * it), rooms and models made from config, SIGTERM (a JVM shutdown hook: every running episode ends properly —
 * stop journalled, rooms told, transcript written) and SIGHUP (reload the config). Returns when every conversation
 * has left its rooms; after SIGKILL the next start resumes each unfinished episode from its journal.
 */
final class Daemon {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private final ParleyConfig config;
    private final Host.ConfigSource source;
    private final InputStream in;
    private final PrintStream out;
    private boolean once;
    /** Every journal's events as they are appended, for the web view. */
    private final JournalFeed feed = new JournalFeed();
    private volatile boolean started;
    private Replay staging;

    /** @param source reads the config file again on {@code !reload} and SIGHUP; null when there is no file */
    Daemon(ParleyConfig config, Host.ConfigSource source, InputStream in, PrintStream out) {
        this.config = config;
        this.source = source;
        this.in = in;
        this.out = out;
    }

    /** Every conversation leaves its rooms after one episode ({@code run --once}). */
    Daemon once(boolean oneShot) {
        this.once = oneShot;
        return this;
    }

    /** Stages a replay: its audience joins the rooms and its transcript's order replaces the turn policy. */
    Daemon staging(Replay replay) {
        this.staging = replay;
        this.once = true;
        return this;
    }

    /** Runs to the end; returns the process exit code. */
    int run() {
        SystemScheduler scheduler = new SystemScheduler();
        Supplier<OkHttpClient> http = new Once<>(ModelClients::newSharedHttpClient);
        // Made before the rooms and models, which report to them from their first moment.
        Optional<Meters> meters = WebWiring.meters(config);
        Telemetry telemetry = meters.<Telemetry>map(m -> m).orElse(Telemetry.NOOP);
        Rooms rooms = new Rooms(config, in, out, scheduler, http, telemetry);
        // Before the host: it puts back into the journals what a power loss took from them, before they are read.
        // -Dparley.journal.group-commit=false: each journal forces its own lines (for benchmarks that compare).
        Optional<JournalCommitter> committer = Boolean.parseBoolean(
                System.getProperty("parley.journal.group-commit", "true"))
                ? Optional.of(JournalCommitter.open(config.transcriptsDir())) : Optional.empty();
        // Cast draws need no secrecy: seeding from a SecureRandom loaded the security providers at every start.
        Host host = new Host(config, source != null ? source : () -> {
            throw new IllegalStateException("parley was started without a config file");
        }, new DaemonParts(rooms, scheduler, http, telemetry, committer), scheduler, new Random(), once);
        Thread hook = new Thread(() -> {
            host.shutdown("parley was shut down", SHUTDOWN_GRACE);
            // Every episode ended and forced its journal: the log is emptied and goes, so that the next start has
            // nothing to put back (reading it back cost a start 50-100 ms before the rooms were joined).
            committer.ifPresent(JournalCommitter::close);
        }, "parley-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Signals.onHangUp(() -> log.info("SIGHUP: {}", host.reload("SIGHUP", false)));
        boolean hookRunning = false;
        try (FeedStatus journals = WebWiring.statusFromFeed(config, feed, () -> started)) {
            Optional<WebServer> web = WebWiring.start(config, feed, new HostStatus(host::statuses, journals), meters);
            web.ifPresent(w -> out.println("Web view:   " + w.uri()));
            try {
                CompletableFuture<Void> finished = host.start();
                started = true;
                finished.join();
            } catch (CompletionException e) {
                host.shutdown("parley could not start: " + e.getCause().getMessage(), SHUTDOWN_GRACE);
                throw e.getCause() instanceof RuntimeException r ? r : e;
            } finally {
                web.ifPresent(WebServer::close);
                meters.ifPresent(Meters::close);
            }
            host.shutdown("parley was shut down", SHUTDOWN_GRACE);
            return 0;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The hook is running: it closes what is left, and still needs the scheduler to reach the loops.
                hookRunning = true;
            }
            if (!hookRunning) {
                committer.ifPresent(JournalCommitter::close);
                rooms.close();
                scheduler.close();
                ((Once<OkHttpClient>) http).ifMade(c -> {
                    c.dispatcher().executorService().shutdown();
                    c.connectionPool().evictAll();
                });
            }
        }
    }

    /** Rooms from app's factories, models from the providers; a staged replay adds its audience and its order. */
    private final class DaemonParts implements Parts {
        private final Rooms rooms;
        private final SystemScheduler scheduler;
        private final Supplier<OkHttpClient> http;
        private final Telemetry telemetry;
        private final Optional<JournalCommitter> committer;

        DaemonParts(Rooms rooms, SystemScheduler scheduler, Supplier<OkHttpClient> http, Telemetry telemetry,
                    Optional<JournalCommitter> committer) {
            this.telemetry = telemetry;
            this.committer = committer;
            this.rooms = rooms;
            this.scheduler = scheduler;
            this.http = http;
        }

        @Override
        public Room room(ParleyConfig top, ConversationConfig conversation, RoomConfig room) {
            return rooms.withOutbox(rooms.create(top, conversation, room));
        }

        @Override
        public ModelClient model(ParleyConfig top, ConversationConfig conversation, SeatConfig seat,
                                 List<JournalEvent> journalSoFar) {
            Function<ModelConfig.Replay, List<String>> script = staging != null ? ScriptLoader::linesOrNone
                    : ScriptLoader::lines;
            // A resumed replay seat goes on from the line after the last one the journal has it saying (or
            // streaming when the process died); starting its script over would repeat the whole conversation.
            long skip = ScriptPlaces.of(journalSoFar).saidBy(seat.id().value());
            boolean needsHttp = Providers.of(seat.model().provider()).map(Providers.Provider::overHttp).orElse(true);
            return ModelClients.create(seat.model(), scheduler, needsHttp ? http.get() : null,
                    r -> remaining(script.apply(r), skip), conversation.replies().streamCut(), telemetry,
                    conversation.id(), seat.id().value());
        }

        @Override
        public List<Room> extraRooms(ConversationConfig conversation, List<JournalEvent> journalSoFar) {
            if (staging == null) {
                return List.of();
            }
            return List.of(staging.audience((int) ScriptPlaces.of(journalSoFar).messages()));
        }

        @Override
        public Optional<TurnPolicy> turnPolicy(ConversationConfig conversation) {
            return staging == null ? Optional.empty() : Optional.of(staging.turnOrder());
        }

        @Override
        public Optional<JournalCommitter> committer() {
            return committer;
        }

        /** Every episode's events also go to the web view's feed. */
        @Override
        public Journal watch(JsonlJournal journal) {
            return PublishingJournal.of(journal, feed);
        }

        @Override
        public void episodeEnded(String conversation, Path journal, Optional<Path> transcript) {
            out.println("Transcript: " + transcript.map(Path::toString).orElse("(not written)"));
            out.println("Journal:    " + journal);
            out.flush();
        }
    }

    private static List<String> remaining(List<String> lines, long skip) {
        return lines.subList((int) Math.min(skip, lines.size()), lines.size());
    }

    /** A value made on first use, at most once; {@link #ifMade} tells whether it ever was. */
    private static final class Once<T> implements Supplier<T> {
        private final Supplier<T> make;
        private T value;

        Once(Supplier<T> make) {
            this.make = make;
        }

        @Override
        public synchronized T get() {
            if (value == null) {
                value = make.get();
            }
            return value;
        }

        synchronized void ifMade(java.util.function.Consumer<T> use) {
            if (value != null) {
                use.accept(value);
            }
        }
    }
}
