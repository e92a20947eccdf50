package dev.parley.host;

import dev.parley.archive.Archive;
import dev.parley.archive.JournalEvent;
import dev.parley.archive.JsonlJournal;
import dev.parley.command.Commands;
import dev.parley.config.ConversationConfig;
import dev.parley.config.HostingConfig;
import dev.parley.config.ParleyConfig;
import dev.parley.config.RoomConfig;
import dev.parley.config.SeatConfig;
import dev.parley.conversation.Conversation;
import dev.parley.core.Cancellable;
import dev.parley.core.EventLoop;
import dev.parley.core.Scheduler;
import dev.parley.core.SeatId;
import dev.parley.model.ModelClient;
import dev.parley.room.Inbound;
import dev.parley.room.Room;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured conversation hosted as a series of episodes. Its rooms stay joined for as long as it is hosted;
 * each episode is one {@link Conversation} with its own journal, started on an operator's {@code !start}, after a
 * cool-down, or at once, within the configured time windows. Between episodes the series answers commands itself
 * ({@code !start}, {@code !cast}, {@code !status}, {@code !topic}, {@code !reload}); during one, the episode does,
 * with the series' own commands laid over it ({@link SeriesControl}). Its state is saved at every step
 * ({@link SeriesState}), so a restart goes on where it was. Everything here runs on the series' own loop.
 */
final class Series {
    private static final Logger log = LoggerFactory.getLogger(Series.class);

    private final Host host;
    private final Archive archive;
    private final Parts parts;
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final EventLoop loop;
    private final boolean once;
    private final Path stateFile;
    private final CompletableFuture<Void> left = new CompletableFuture<>();
    private final CompletableFuture<Void> quiet = new CompletableFuture<>();

    private volatile ParleyConfig top;
    private volatile ConversationConfig config;
    private volatile Commands commands;
    private List<RoomConfig> roomsMadeFor = List.of();
    private List<SharedRoom> rooms = List.of();
    private volatile SeriesState state;
    private volatile Episode current;
    /** The next episode's cast was picked by an operator: no random draw replaces it. */
    private boolean castChosen;
    private Cancellable nextStart = Cancellable.NONE;
    private volatile String lastEnd;
    private volatile boolean shuttingDown;
    private volatile boolean retiring;
    private volatile boolean hasLeft;
    /** Opening: a failure to start now is the config's, and ends the process (see {@link #cannotStart}). */
    private boolean startingUp;
    private boolean fatalIfFailing;

    Series(Host host, ParleyConfig top, ConversationConfig config, Archive archive, Parts parts, Scheduler scheduler,
           RandomGenerator random, boolean once) {
        this.host = host;
        this.top = top;
        this.config = config;
        this.commands = new Commands(config.commands().prefix());
        this.archive = archive;
        this.parts = parts;
        this.scheduler = scheduler;
        this.random = random;
        this.once = once;
        // A failed task is a bug: the loop logs it with its stack trace (false: not an expected failure).
        this.loop = new EventLoop(scheduler, failure -> false);
        this.stateFile = archive.seriesState(config.id());
    }

    String id() {
        return config.id();
    }

    ConversationConfig config() {
        return config;
    }

    /** Completes once the series has left its rooms for good. */
    CompletableFuture<Void> left() {
        return left;
    }

    /**
     * Joins the rooms and begins. {@code startOfProcess}: a conversation that cannot start stops parley (its config
     * is wrong); one added by a reload is reported and left out instead, while the others run on.
     */
    void open(boolean startOfProcess) {
        loop.execute(() -> {
            fatalIfFailing = startOfProcess;
            openNow();
        });
    }

    // ---- start-up -------------------------------------------------------------------------------------------

    private void openNow() {
        startingUp = true;
        try {
            openAndBegin();
        } catch (RuntimeException e) {
            // Rooms that cannot be made, a series state that cannot be read: nothing to host.
            cannotOpen(e);
        } finally {
            startingUp = false;
        }
    }

    private void openAndBegin() {
        state = SeriesState.load(stateFile).orElseGet(() -> SeriesState.fresh(archive.journalCount(id())));
        if (SeriesState.DONE.equals(state.phase()) && !once) {
            log.info("{} has played its last episode ({} of {}); not joining its rooms", id(), state.episodes(),
                    config.hosting().maxEpisodes());
            leave();
            return;
        }
        Optional<JsonlJournal> unfinished = archive.unfinishedJournal(id());
        List<SeatConfig> cast = unfinished.map(j -> roster().castOf(j.events())).orElseGet(this::nextCast);
        makeRooms(cast);
        if (unfinished.isPresent()) {
            int number = unfinished.get().events().stream().filter(JournalEvent.Start.class::isInstance)
                    .map(e -> ((JournalEvent.Start) e).episode()).filter(n -> n != null).findFirst()
                    .orElse(Math.max(1, state.episodes()));
            log.info("{}: resuming episode {} from {}", id(), number, unfinished.get().file());
            run(unfinished.get(), cast, Optional.empty(), number);
        } else if (SeriesState.WAITING.equals(state.phase())) {
            waitForStart(waitingLine());
        } else if (SeriesState.SCHEDULED.equals(state.phase()) && state.next().isPresent()) {
            scheduleAt(state.next().get());
        } else if (config.autoStart() || once) {
            startWhenAllowed(cast, Optional.empty());
        } else {
            waitForStart("Ready: " + title(cast) + ". An operator starts it with " + prefix()
                    + "start [opening line].");
        }
    }

    /** The cast of the next episode: the one chosen (or last played), if its seats are all still on the roster. */
    private List<SeatConfig> nextCast() {
        return roster().castOrDefault(state.cast());
    }

    private Roster roster() {
        return new Roster(config);
    }

    /** Makes the rooms for the current config (again, if a reload changed them) and opens them with {@code cast}. */
    private void makeRooms(List<SeatConfig> cast) {
        if (!rooms.isEmpty() && roomsMadeFor.equals(config.rooms())) {
            return;
        }
        List<SharedRoom> old = rooms;
        if (!old.isEmpty()) {
            closeLater(old);
        }
        List<SharedRoom> made = new ArrayList<>();
        for (RoomConfig rc : config.rooms()) {
            SharedRoom room = new SharedRoom(parts.room(top, config, rc),
                    (where, message) -> loop.execute(() -> heard(where, message)));
            room.room().cast(ids(cast));
            made.add(room);
        }
        rooms = List.copyOf(made);
        roomsMadeFor = config.rooms();
        rooms.forEach(SharedRoom::open);
    }

    /** A human spoke while no episode runs: only commands matter; they are answered where they were typed. */
    private void heard(SharedRoom where, Inbound in) {
        Optional<String> answer = commands.handle(in.sender(), in.operator(), in.text(), new SeriesControl(this, null));
        answer.ifPresent(a -> {
            log.info("{}: {} ran \"{}\": {}", id(), in.sender(), in.text(), a);
            where.room().notice(a);
        });
    }

    // ---- episodes -------------------------------------------------------------------------------------------

    private void startWhenAllowed(List<SeatConfig> cast, Optional<String> opening) {
        EpisodeTimes times = times();
        Instant now = scheduler.now();
        if (times.allows(now)) {
            startEpisode(cast, opening);
        } else {
            scheduleAt(times.earliestFrom(now));
        }
    }

    private void startEpisode(List<SeatConfig> cast, Optional<String> opening) {
        nextStart.cancel();
        makeRooms(cast);
        castChosen = false;
        rooms.forEach(r -> {
            r.hold();
            r.cast(ids(cast));
        });
        run(archive.newJournal(id(), scheduler.now()), cast, opening, state.episodes() + 1);
    }

    /** Runs an episode in {@code journal} (new, or unfinished to resume); false when its models cannot be made. */
    private boolean run(JsonlJournal journal, List<SeatConfig> cast, Optional<String> opening, int number) {
        Map<SeatId, ModelClient> models = new LinkedHashMap<>();
        List<ModelClient> owned = new CopyOnWriteArrayList<>();
        List<JournalEvent> past = journal.events();
        try {
            for (SeatConfig seat : cast) {
                ModelClient m = parts.model(top, config, seat, past);
                models.put(seat.id(), m);
                owned.add(m);
            }
        } catch (RuntimeException e) {
            Episode.closeModelsAndJournal(owned, journal);
            cannotStart(number, e);
            return false;
        }
        if (past.isEmpty()) {
            save(state.began(cast.stream().map(s -> s.id().value()).toList()));
        }
        List<Room> views = new ArrayList<>(rooms.stream().map(SharedRoom::view).toList());
        views.addAll(parts.extraRooms(config, past));
        AtomicReference<Path> transcript = new AtomicReference<>();
        Conversation conversation = new Conversation(config.forEpisode(cast, opening), models, views,
                parts.watch(journal),
                scheduler, random,
                (sender, operator, line, control) -> commands.handle(sender, operator, line,
                        new SeriesControl(this, control)),
                events -> {
                    Path written = archive.writeTranscript(journal.file(), events);
                    transcript.set(written);
                    return written.toString();
                });
        ConversationConfig cc = config;
        conversation.useRoster(cc.seats(), seat -> {
            ModelClient m = parts.model(top, cc, seat, List.of());
            owned.add(m);
            return m;
        });
        conversation.asEpisode(number, Optional.ofNullable(state.topic()));
        parts.turnPolicy(cc).ifPresent(conversation::useTurnPolicy);
        Episode episode = new Episode(number, conversation, journal, owned, views, transcript);
        current = episode;
        conversation.stopped().whenComplete((reason, suspended) ->
                // Its stop is reported from inside a task of its loop: let that task finish before closing up.
                conversation.onLoop(() -> loop.execute(() -> {
                    if (suspended == null) {
                        ended(episode, reason);
                    } else {
                        suspended(episode, suspended);
                    }
                })));
        conversation.start();
        return true;
    }

    /**
     * An episode whose seats cannot be set up (a replay script without the seat's lines, a provider unknown):
     * at start-up that is the operator's config to fix, so parley stops with the reason; later (a reload, the
     * next episode) the rooms hear it and the series waits for !start.
     */
    private void cannotStart(int number, RuntimeException e) {
        if (startingUp) {
            cannotOpen(e);
            return;
        }
        log.warn("{}: episode {} cannot start", id(), number, e);
        waitForStart("Episode " + number + " cannot start: " + e.getMessage());
    }

    private void ended(Episode e, String reason) {
        if (current == e) {
            current = null;
        }
        lastEnd = reason;
        if (e.closeUp()) {
            parts.episodeEnded(id(), e.journal().file(), e.writtenTranscript());
        }
        if (shuttingDown) {
            quiet.complete(null);
            return;
        }
        HostingConfig hosting = config.hosting();
        if (retiring) {
            leave();
        } else if (hosting.maxEpisodes() > 0 && state.episodes() >= hosting.maxEpisodes()) {
            save(state.phase(SeriesState.DONE, null));
            announce("That was the last episode (" + state.episodes() + " of " + hosting.maxEpisodes() + ").");
            leave();
        } else if (leavesAfterEpisode()) {
            save(state.phase(null, null));
            leave();
        } else if (hosting.afterEnd() == HostingConfig.AfterEnd.WAIT) {
            waitForStart(waitingLine());
        } else {
            scheduleAt(times().earliestFrom(scheduler.now().plus(hosting.coolDown())));
        }
    }

    /**
     * The episode's journal could not be written (a full disk): nothing more can be archived, so nothing more may
     * be shown, here or in another episode. Its rooms were told; parley stops with the reason, and a later start
     * resumes the episode from its journal.
     */
    private void suspended(Episode e, Throwable why) {
        if (current == e) {
            current = null;
        }
        e.closeUp();
        Throwable cause = why instanceof java.util.concurrent.CompletionException && why.getCause() != null
                ? why.getCause() : why;
        if (shuttingDown) {
            quiet.complete(null);
        }
        host.failed(cause instanceof RuntimeException r ? r : new IllegalStateException(cause));
    }

    private void cannotOpen(RuntimeException e) {
        if (fatalIfFailing) {
            host.failed(e);
        } else {
            log.warn("{} cannot start: {}", id(), e.getMessage());
            leave();
        }
    }

    /** A one-shot run, a conversation that leaves after each episode, or one only the local terminal shows. */
    private boolean leavesAfterEpisode() {
        return once || config.hosting().afterEnd() == HostingConfig.AfterEnd.LEAVE
                || config.rooms().stream().allMatch(RoomConfig.Terminal.class::isInstance);
    }

    /** No episode until an operator's !start: the rooms' commands go to the series. */
    private void waitForStart(String notice) {
        save(state.phase(SeriesState.WAITING, null));
        announce(notice);
        rooms.forEach(SharedRoom::release);
    }

    private void scheduleAt(Instant at) {
        nextStart.cancel();
        rooms.forEach(SharedRoom::release);
        save(state.phase(SeriesState.SCHEDULED, at));
        Duration wait = Duration.between(scheduler.now(), at);
        nextStart = loop.schedule(wait.isNegative() ? Duration.ZERO : wait, this::startScheduled);
        announce("Episode " + (state.episodes() + 1) + " starts " + times().when(at, scheduler.now()) + ".");
    }

    private void startScheduled() {
        if (current != null || hasLeft) {
            return;
        }
        Instant now = scheduler.now();
        if (!times().allows(now)) {
            scheduleAt(times().earliestFrom(now));
            return;
        }
        List<SeatConfig> cast = nextCast();
        if (!castChosen && config.hosting().nextCast() == HostingConfig.NextCast.RANDOM && state.episodes() > 0) {
            cast = draw(cast.size());
        }
        startEpisode(cast, Optional.empty());
    }

    private List<SeatConfig> draw(int size) {
        return roster().draw(size, state.recentCasts(), random);
    }

    private void leave() {
        hasLeft = true;
        nextStart.cancel();
        List<SharedRoom> all = rooms;
        rooms = List.of();
        closeLater(all).thenRun(() -> left.complete(null));
    }

    /** Closing a room waits for its last messages to go out: never on a loop. */
    private static CompletableFuture<Void> closeLater(List<SharedRoom> all) {
        return CompletableFuture.runAsync(() -> all.forEach(r -> {
            try {
                r.close();
            } catch (RuntimeException e) {
                log.warn("closing {} failed", r.name(), e);
            }
        }));
    }

    // ---- what the series' commands do (SeriesControl), from any loop ------------------------------------------

    boolean episodeRunning() {
        return current != null;
    }

    /** Where the series is now, from its volatile fields: safe from any thread, never blocks. */
    SeriesStatus status() {
        SeriesState s = state;
        int episodes = s == null ? 0 : s.episodes();
        String phase = s == null ? null : s.phase();
        if (current != null) {
            return new SeriesStatus(id(), SeriesStatus.Phase.RUNNING, null, episodes);
        } else if (hasLeft) {
            return new SeriesStatus(id(), SeriesState.DONE.equals(phase) ? SeriesStatus.Phase.DONE
                    : SeriesStatus.Phase.LEFT, null, episodes);
        } else if (SeriesState.SCHEDULED.equals(phase) && s.next().isPresent()) {
            return new SeriesStatus(id(), SeriesStatus.Phase.SCHEDULED, s.next().get(), episodes);
        }
        // Waiting for !start, or between an episode's end and what follows it (a moment on the series' loop).
        return new SeriesStatus(id(), SeriesStatus.Phase.WAITING, null, episodes);
    }

    int episodesBegun() {
        return state == null ? 0 : state.episodes();
    }

    String prefix() {
        return config.commands().prefix();
    }

    Host host() {
        return host;
    }

    /** Why {@code !start} cannot start an episode now, if it cannot. */
    Optional<String> startRefusal() {
        if (current != null) {
            return Optional.of("Episode " + current.number() + " is running.");
        }
        if (hasLeft) {
            return Optional.of("This conversation is over.");
        }
        if (!times().allows(scheduler.now())) {
            return Optional.of("Episodes start only in " + times().describe() + "; the next window opens "
                    + times().when(times().earliestFrom(scheduler.now()), scheduler.now()) + ".");
        }
        return Optional.empty();
    }

    /** Starts the next episode now (on the series' loop): the chosen cast, the opening line if given. */
    String start(String by, Optional<String> opening) {
        List<SeatConfig> cast = nextCast();
        loop.execute(() -> {
            if (current == null && !hasLeft) {
                log.info("{}: {} starts episode {}", id(), by, state.episodes() + 1);
                startEpisode(nextCast(), opening);
            }
        });
        return "Episode " + (episodesBegun() + 1) + " (" + title(cast) + ") begins as soon as its seats are in.";
    }

    /** The roster seat {@code ref} names (id, name or IRC nick). */
    Optional<SeatConfig> rosterSeat(String ref) {
        return roster().seat(ref);
    }

    List<String> rosterNames() {
        return roster().names();
    }

    /** Picks the next cast: the seats join (and the others leave) the rooms now. Empty: a random draw. */
    String cast(String by, List<SeatConfig> picked) {
        List<SeatConfig> cast = picked.isEmpty() ? draw(Math.max(2, nextCast().size())) : picked;
        loop.execute(() -> {
            castChosen = true;
            save(state.cast(cast.stream().map(s -> s.id().value()).toList()));
            rooms.forEach(r -> r.cast(ids(cast)));
        });
        log.info("{}: {} picked the cast {}", id(), by, title(cast));
        return "Next episode: " + title(cast) + ".";
    }

    /** A topic for the next episode, set in the rooms now. */
    String topic(String text) {
        loop.execute(() -> {
            save(state.topic(text));
            rooms.forEach(r -> r.room().topic(text));
        });
        return "Topic set; the next episode opens on it.";
    }

    /** Where the series stands between episodes, for {@code !status}. */
    String betweenStatus() {
        String episodes = episodesBegun() == 0 ? "No episode yet" : "Episode " + episodesBegun() + " ended"
                + (lastEnd == null ? "" : " (" + lastEnd + ")");
        return episodes + "; next: " + title(nextCast()) + ", " + nextStartText() + ".";
    }

    /** When the next episode starts, as far as the series knows. */
    String nextStartText() {
        SeriesState s = state;
        if (hasLeft) {
            return "none (this conversation is over)";
        }
        if (s != null && SeriesState.SCHEDULED.equals(s.phase()) && s.next().isPresent()) {
            return "starts " + times().when(s.next().get(), scheduler.now());
        }
        HostingConfig h = config.hosting();
        if (current != null) {
            if (h.maxEpisodes() > 0 && s.episodes() >= h.maxEpisodes()) {
                return "this is the last episode";
            }
            return switch (leavesAfterEpisode() ? HostingConfig.AfterEnd.LEAVE : h.afterEnd()) {
                case WAIT -> "the next waits for " + prefix() + "start";
                case NEXT -> "the next starts " + Duration.ofSeconds(h.coolDown().toSeconds()).toMinutes()
                        + " min after this one ends";
                case LEAVE -> "no next episode";
            };
        }
        return "waits for " + prefix() + "start";
    }

    // ---- reload and shutdown (from the host) -----------------------------------------------------------------

    /** A reloaded config: from the next episode on (rooms included); a waiting series' rooms change at once. */
    void replaceConfig(ParleyConfig newTop, ConversationConfig newConfig) {
        loop.execute(() -> {
            top = newTop;
            config = newConfig;
            commands = new Commands(newConfig.commands().prefix());
            if (current == null && !hasLeft) {
                makeRooms(nextCast());
                rooms.forEach(SharedRoom::release);
            }
        });
    }

    /** Removed from the config: the episode ends properly, then the series leaves its rooms. */
    void retire(String reason) {
        retiring = true;
        loop.execute(() -> {
            Episode e = current;
            if (e != null) {
                e.conversation().shutdown(reason);
            } else if (!hasLeft) {
                leave();
            }
        });
    }

    /** Ends the running episode (if any) with {@code reason}; completes once it has ended. No next one starts. */
    CompletableFuture<Void> shutdown(String reason) {
        shuttingDown = true;
        loop.execute(() -> {
            nextStart.cancel();
            Episode e = current;
            if (e == null) {
                quiet.complete(null);
            } else {
                e.conversation().shutdown(reason);
            }
        });
        return quiet;
    }

    /** Leaves the rooms at once (after {@link #shutdown}). */
    void close() {
        rooms.forEach(r -> {
            try {
                r.close();
            } catch (RuntimeException e) {
                log.warn("closing {} failed", r.name(), e);
            }
        });
        rooms = List.of();
        left.complete(null);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private String waitingLine() {
        String who = config.seats().size() > 2 ? "; " + prefix() + "cast picks who plays" : "";
        return (episodesBegun() == 0 ? "Ready: " + title(nextCast()) + "." : "Episode " + episodesBegun()
                + " is over.") + " An operator starts the next with " + prefix() + "start [opening line]" + who + ".";
    }

    private void announce(String text) {
        rooms.forEach(r -> r.room().notice(text));
    }

    private void save(SeriesState next) {
        state = next;
        next.save(stateFile);
    }

    private EpisodeTimes times() {
        return new EpisodeTimes(config.hosting().windows(), top.timeZone());
    }

    static String title(List<SeatConfig> cast) {
        return Roster.title(cast);
    }

    private static Set<SeatId> ids(List<SeatConfig> cast) {
        return Roster.ids(cast);
    }
}
