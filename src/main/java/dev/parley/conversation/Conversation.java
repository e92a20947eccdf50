package dev.parley.conversation;

import dev.parley.archive.Journal;
import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalException;
import dev.parley.command.Control;
import dev.parley.config.ConversationConfig;
import dev.parley.config.HealthConfig;
import dev.parley.config.ModelConfig;
import dev.parley.config.ModerationConfig;
import dev.parley.config.ReplyConfig;
import dev.parley.config.SeatConfig;
import dev.parley.core.Cancellable;
import dev.parley.core.EventLoop;
import dev.parley.core.Message;
import dev.parley.core.Scheduler;
import dev.parley.core.SeatId;
import dev.parley.core.Speaker;
import dev.parley.gate.Candidate;
import dev.parley.gate.Filter;
import dev.parley.gate.Verdict;
import dev.parley.model.ModelClient;
import dev.parley.model.ModelError;
import dev.parley.model.ModelReply;
import dev.parley.model.ModelRequest;
import dev.parley.model.ReplyListener;
import dev.parley.model.Usage;
import dev.parley.room.Inbound;
import dev.parley.room.Room;
import dev.parley.room.RoomListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live conversation. All state is touched only on its own {@link EventLoop}: room events, model replies and
 * timers are posted to the loop, so nothing here needs a lock and nothing blocks.
 *
 * <p>A turn goes: pause before the turn (pacing) → the model generates (typing shown; complete paragraphs shown
 * as they stream, if enabled) → the reply is cleaned (impersonation guard) → typing time → journal (durable) →
 * posted to every room → stop rules and health checked → next turn. {@code !pause} takes effect at once: a reply
 * being generated or typed is <em>held</em> and posted first thing after {@code !resume}, so nothing a model said
 * is lost and nothing is said twice.
 */
public final class Conversation {
    private static final Logger log = LoggerFactory.getLogger(Conversation.class);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);
    private static final String SYSTEM = "parley";

    /** Writes the transcript of the events so far and says where it is. */
    @FunctionalInterface
    public interface Archivist {
        String writeTranscript(List<JournalEvent> events);
    }

    /** Reads a human's line as a command; empty when it is not one. Model text never reaches it. */
    @FunctionalInterface
    public interface CommandHandler {
        Optional<String> handle(String sender, boolean operator, String line, Control control);
    }

    private enum State { WAITING_FOR_SEATS, WAITING_FOR_START, RUNNING, PAUSED, STOPPED }

    /**
     * A reply ready to post, waiting for its typing time or for {@code !resume}. {@code unshown} is what the
     * rooms have not seen yet: all of it, unless paragraphs were posted while it streamed ({@code partlyShown}).
     */
    private record Pending(Seat seat, String text, String unshown, boolean partlyShown, ModelReply reply,
                           Duration latency) { }

    private final ConversationConfig config;
    private final EventLoop loop;
    private final Scheduler clock;
    private final Map<SeatId, Seat> seats = new LinkedHashMap<>();
    private final Stage stage;
    private final CommandHandler commands;
    private final Control moderation;
    private final Archivist archivist;
    private final ContextBuilder contextBuilder;
    private final Pacer pacer;
    private final StopRules stopRules;
    private final HealthMonitor health;
    /** The moderation gate of this episode: nothing a model says reaches a room before it passes. */
    private final Filter filter;
    private final CompletableFuture<String> stopped = new CompletableFuture<>();
    private final RandomGenerator random;
    private TurnPolicy policy;
    private boolean customPolicy;
    /** Seats that may be invited, and how to reach models for them (none: this conversation takes no guests). */
    private List<SeatConfig> roster;
    private SeatModels seatModels;
    private int episode;
    private Optional<String> topic = Optional.empty();
    private final Ledger ledger = new Ledger();

    private final List<Message> history = new ArrayList<>();
    /** Seats dismissed during the episode: out of the room, but their usage counts. */
    private final List<Seat> departed = new ArrayList<>();
    private final Attendance attendance;
    private State state = State.WAITING_FOR_SEATS;
    private Instant startedAt;
    private Optional<String> openingLine;
    private int turns;
    private int consecutiveFailures;
    private Optional<SeatId> lastTurn = Optional.empty();
    private Optional<SeatId> requestedNext = Optional.empty();
    private boolean pausedForAbsence;
    private boolean resumed;
    private Room commandOrigin;
    /** While a command is being answered: what it caused, to be shown after its answer. Null otherwise. */
    private List<Runnable> afterAnswer;

    // The turn in progress: its timers, the model call and what it has streamed so far.
    private Cancellable turnTimer;
    private Cancellable postTimer;
    private Cancellable modelCall;
    private Seat generating;
    private Pending pending;
    private int callEpoch;
    private boolean emptyRetried;
    /** The seat was asked once more after the gate withheld its reply: another hit skips its turn. */
    private boolean gateRetried;
    /** The reply started speaking for someone else: nothing more is shown, its end is awaited for its usage. */
    private boolean impersonating;
    private ParagraphStream paragraphs = new ParagraphStream();
    private final StringBuilder streamed = new StringBuilder();

    public Conversation(ConversationConfig config, Map<SeatId, ModelClient> models, List<Room> rooms,
                        Journal journal, Scheduler scheduler, RandomGenerator random,
                        CommandHandler commands, Archivist archivist) {
        this.config = config;
        this.random = random;
        this.roster = config.seats();
        this.loop = new EventLoop(scheduler, this::brokeDown);
        this.clock = scheduler;
        this.stage = new Stage(config.id(), journal, rooms, scheduler);
        this.commands = commands;
        this.moderation = new Moderation(this, config.commands().prefix());
        this.archivist = archivist;
        for (var sc : config.seats()) {
            ModelClient m = models.get(sc.id());
            if (m == null) {
                throw new IllegalArgumentException("no model client for seat " + sc.id());
            }
            seats.put(sc.id(), new Seat(sc, m));
        }
        this.attendance = new Attendance(seats.values().stream().collect(Collectors.toMap(Seat::id, Seat::name,
                (a, b) -> a, LinkedHashMap::new)));
        this.openingLine = config.openingLine();
        this.contextBuilder = new ContextBuilder(config.context(),
                rooms.stream().map(Room::name).collect(Collectors.joining(" and ")));
        this.policy = configuredPolicy();
        this.pacer = new Pacer(config.pacing(), random);
        this.stopRules = new StopRules(config.stop());
        this.health = new HealthMonitor(config.health());
        this.filter = Filter.of(config.moderation());
    }

    public String id() {
        return config.id();
    }

    /** Completes with the reason once the conversation has stopped and its transcript is written. */
    public CompletableFuture<String> stopped() {
        return stopped;
    }

    /** Replaces the configured turn policy (a replay follows its transcript's order); call before {@link #start}. */
    public void useTurnPolicy(TurnPolicy custom) {
        this.policy = custom;
        this.customPolicy = true;
    }

    /**
     * The seats an operator may {@code !invite} (the roster, of which this conversation's seats are the cast), and
     * how to reach models for invited seats and for {@code !model}; call before {@link #start}.
     */
    public void useRoster(List<SeatConfig> rosterSeats, SeatModels models) {
        this.roster = List.copyOf(rosterSeats);
        this.seatModels = models;
    }

    /** Numbers this conversation as episode {@code number} of its series, on {@code topic}; call before start. */
    public void asEpisode(int number, Optional<String> seriesTopic) {
        this.episode = number;
        this.topic = seriesTopic;
    }

    /** Starts (or, when the journal already has events, resumes) the conversation. Returns at once. */
    public void start() {
        loop.execute(this::open);
    }

    /** Stops from outside the loop (daemon shutdown); safe from any thread. */
    public void shutdown(String reason) {
        loop.execute(() -> end(reason));
    }

    /** Runs {@code task} on the conversation's loop, after what is already queued there; safe from any thread. */
    public void onLoop(Runnable task) {
        loop.execute(task);
    }

    // ---- start-up ---------------------------------------------------------------------------------------

    private void open() {
        List<JournalEvent> past = stage.events();
        if (past.isEmpty()) {
            startedAt = clock.now();
            stage.record(seq -> new JournalEvent.Start(seq, startedAt, config.id(), seats.values().stream()
                    .map(s -> new JournalEvent.SeatInfo(s.id().value(), s.name(), s.config.model().provider(),
                            s.config.model().model(), s.systemPrompt))
                    .toList(), stage.rooms().stream().map(Room::name).toList(), episode > 0 ? episode : null,
                    topic.orElse(null), openingLine.orElse(null)));
        } else {
            resumeFrom(Resumption.of(past, seats.values().stream()
                    .collect(Collectors.toMap(Seat::id, s -> s.speaker))));
            restoreFilter(past);
        }
        for (Room room : stage.rooms()) {
            attendance.watch(room);
            room.open(listenerFor(room));
        }
        loop.schedule(JOIN_TIMEOUT, () -> {
            if (state == State.WAITING_FOR_SEATS) {
                stage.announce("Starting without " + String.join(", ", attendance.missing()) + ": not in the room after "
                        + JOIN_TIMEOUT.toSeconds() + " s.");
                begin();
            }
        });
    }

    /** Picks up from a journal written before a restart: same history, the turn count goes on. */
    private void resumeFrom(Resumption r) {
        resumed = true;
        // What the rooms had not shown yet when the process died goes out first, before anything new.
        stage.redeliver();
        stage.continueAfter(r.lastSeq());
        startedAt = r.startedAt() != null ? r.startedAt() : clock.now();
        r.history().forEach(e -> {
            history.add(e.message());
            ledger.restored(e.seq(), e.message(), e.refs());
        });
        turns = r.turns();
        lastTurn = r.lastTurn();
        r.usage().forEach((id, u) -> seats.get(id).usage = u);
        restoreSteering(r.steering());
        stage.record(seq -> new JournalEvent.Restart(seq, clock.now()));
        // The daemon died while these replies streamed: the paragraphs the rooms saw become their messages.
        r.unfinished().forEach((id, drafts) -> {
            drafts.forEach(d -> ledger.draftPosted(r.parcelOf(d.seq())));
            recordShown(seats.get(id), String.join("\n\n", drafts.stream().map(JournalEvent.Draft::text).toList()));
        });
    }

    private RoomListener listenerFor(Room room) {
        return new RoomListener() {
            @Override
            public void onHuman(Inbound message) {
                loop.execute(() -> human(room, message));
            }

            @Override
            public void onSeatPresence(SeatId seat, boolean isPresent) {
                loop.execute(() -> presence(room, seat, isPresent));
            }

            @Override
            public void onRoomProblem(String problem) {
                loop.execute(() -> {
                    log.warn("{}: {}", room.name(), problem);
                    stage.announce(room.name() + ": " + problem);
                });
            }
        };
    }

    private void presence(Room room, SeatId seat, boolean isPresent) {
        if (!attendance.update(room, seat, isPresent)) {
            return;
        }
        boolean all = attendance.everyoneIn();
        Seat guest = seats.get(seat);
        if (guest.joining && attendance.isIn(seat)) {
            guest.joining = false;
            stage.announce(guest.name() + " has joined.");
            rechoose();
            return;
        }
        if (guest.joining) {
            return;
        }
        if (state == State.WAITING_FOR_SEATS && all) {
            begin();
        } else if (state == State.RUNNING && !isPresent) {
            pausedForAbsence = true;
            pause(SYSTEM, "while " + seats.get(seat).name() + " is away from " + room.name());
        } else if (state == State.PAUSED && pausedForAbsence && all) {
            pausedForAbsence = false;
            resume(SYSTEM);
        }
    }

    private void begin() {
        if (state != State.WAITING_FOR_SEATS) {
            return;
        }
        if (!config.autoStart() && !resumed) {
            state = State.WAITING_FOR_START;
            stage.announce("Ready: " + title() + ". An operator starts it with " + config.commands().prefix()
                    + "start [opening line].");
            return;
        }
        run();
    }

    private void run() {
        state = State.RUNNING;
        String which = episode > 0 ? "episode " + episode + ": " : "";
        stage.announce(resumed ? "Picking up " + which + title() + " at turn " + turns + "."
                : "Starting " + which + title() + ".");
        Duration limit = stopRules.maxDuration();
        if (!limit.isZero()) {
            Duration left = limit.minus(Duration.between(startedAt, clock.now()));
            loop.schedule(left.isNegative() ? Duration.ZERO : left,
                    () -> end("reached the time limit of " + limit.toMinutes() + " min"));
        }
        nextTurn();
    }

    // ---- turns ------------------------------------------------------------------------------------------

    private boolean busy() {
        return turnTimer != null || generating != null || pending != null;
    }

    /** Schedules the next turn, unless one is already on its way or the conversation is not running. */
    private void nextTurn() {
        if (state != State.RUNNING || busy()) {
            return;
        }
        Optional<SeatId> next = requestedNext.filter(id -> !seats.get(id).muted)
                .or(() -> policy.next(new TurnPolicy.Situation(List.copyOf(seats.keySet()), eligible(), lastTurn,
                        history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1)),
                        turns)));
        if (next.isEmpty()) {
            return;
        }
        Seat seat = seats.get(next.get());
        turnTimer = loop.schedule(pacer.beforeTurn(), () -> {
            turnTimer = null;
            if (state == State.RUNNING && !seat.muted) {
                requestedNext = Optional.empty();
                emptyRetried = false;
                gateRetried = false;
                ask(seat);
            } else {
                nextTurn();
            }
        });
    }

    /** Drops a turn that is scheduled but not begun, and chooses again (after a human spoke, a !next, a mute). */
    private void rechoose() {
        if (turnTimer != null) {
            turnTimer.cancel();
            turnTimer = null;
        }
        nextTurn();
    }

    private Set<SeatId> eligible() {
        return seats.values().stream().filter(s -> !s.muted && !s.joining).map(Seat::id).collect(Collectors.toSet());
    }

    private void ask(Seat seat) {
        String system = seat.systemPrompt;
        if (seat.note != null) {
            // Read once, in this context only: a director's word, not part of the room.
            system = (system.isBlank() ? "" : system.strip() + "\n\n") + "A note from the director, for you only "
                    + "(do not mention it): " + seat.note;
            seat.note = null;
        }
        ModelRequest request = contextBuilder.build(
                new ContextBuilder.Self(seat.id(), seat.name(), system, seat.config.contextBudgetTokens()),
                seats.values().stream().map(Seat::name).toList(), history, openingLine);
        generating = seat;
        typing(seat, true);
        Instant asked = clock.now();
        int epoch = ++callEpoch;
        paragraphs = new ParagraphStream();
        streamed.setLength(0);
        impersonating = false;
        modelCall = seat.model.start(request, new ReplyListener() {
            @Override
            public void onDelta(String text) {
                // A remote check cannot run per paragraph on the loop: such a reply is checked whole, then shown.
                if (config.replies().streamParagraphs() && !filter.remote()) {
                    onTurn(epoch, () -> streaming(seat, text, asked));
                }
            }

            @Override
            public void onRetry(ModelError cause, Duration delay) {
                onTurn(epoch, () -> retrying(seat, cause, asked));
            }

            @Override
            public void onReply(ModelReply reply) {
                onTurn(epoch, () -> replied(seat, reply, Duration.between(asked, clock.now())));
            }

            @Override
            public void onError(ModelError error) {
                onTurn(epoch, () -> failed(seat, error, Duration.between(asked, clock.now())));
            }
        });
    }

    /** Runs a model callback on the loop, unless the call it belongs to was cancelled or replaced meanwhile. */
    private void onTurn(int epoch, Runnable callback) {
        loop.execute(() -> {
            if (epoch == callEpoch) {
                callback.run();
            }
        });
    }

    /** Ends the model call in progress: no callback of it will be acted on any more. */
    private void dropModelCall() {
        callEpoch++;
        if (modelCall != null) {
            modelCall.cancel();
        }
    }

    /**
     * A piece of a reply as it streams: complete paragraphs are shown at once (journalled first, as drafts).
     * Once a model starts speaking for someone else nothing more of it is shown; the call is still read to its
     * end, where the provider reports what it used (the reply is cut at the same place then, by ReplyGuard).
     * The stop sequences sent with the request usually end such a stream at once.
     */
    private void streaming(Seat seat, String delta, Instant asked) {
        if (impersonating) {
            return;
        }
        streamed.append(delta);
        String sofar = streamed.toString();
        List<String> others = otherNames(seat);
        if (ReplyGuard.firstImpersonation(sofar, others) > 0) {
            impersonating = true;
            return;
        }
        if (state != State.RUNNING) {
            return;
        }
        String cleaned = ReplyGuard.clean(sofar, seat.name(), others);
        String before = paragraphs.shown(cleaned);
        Optional<String> ready = paragraphs.completed(cleaned);
        if (ready.isPresent() && gateStopsStream(seat, before, ready.get())) {
            return;
        }
        if (ready.isPresent()) {
            Stage.Recorded draft = stage.post(seq -> new JournalEvent.Draft(seq, clock.now(), seat.id().value(),
                    ready.get()), seat.id(), ready.get());
            ledger.draftPosted(draft.parcel());
        }
    }

    /**
     * The provider starts the reply over (a cut stream, a retried timeout): the text so far is void. If some of it
     * was already shown, it cannot be unsaid: that part becomes the turn, rather than saying it twice.
     */
    private void retrying(Seat seat, ModelError cause, Instant asked) {
        log.info("{}: {}; the model call is retried", seat.name(), cause.message());
        if (!paragraphs.anyPosted()) {
            streamed.setLength(0);
            impersonating = false;
            return;
        }
        dropModelCall();
        replied(seat, new ModelReply(shownSoFar(seat), cause.usage(), "cut", true), Duration.between(asked, clock.now()));
    }

    private String shownSoFar(Seat seat) {
        return paragraphs.shown(ReplyGuard.clean(streamed.toString(), seat.name(), otherNames(seat)));
    }

    /** A finished reply goes through the gate (what the rooms have not seen of it) before anything else. */
    private void replied(Seat seat, ModelReply reply, Duration latency) {
        String text = ReplyGuard.clean(reply.text(), seat.name(), otherNames(seat));
        String unshown = paragraphs.anyPosted() ? paragraphs.rest(text) : text;
        judge(seat, unshown, verdict -> {
            if (verdict.passes()) {
                accepted(seat, reply, latency);
            } else {
                withhold(seat, reply.usage(), unshown, paragraphs.anyPosted() ? paragraphs.shown(text) : null,
                        verdict);
            }
        });
    }

    /** Runs {@code then} with the gate's verdict: at once when it is known at once, else on the loop when it is. */
    private void judge(Seat seat, String text, Consumer<Verdict> then) {
        CompletableFuture<Verdict> verdict = filter.check(candidate(seat, text));
        Consumer<Verdict> counted = v -> {
            if (filter.counted(v)) {
                stage.announce("The moderation service is not answering; messages go out checked by the word "
                        + "lists and limits only (" + v.detail() + ").");
            }
            then.accept(v);
        };
        if (verdict.isDone()) {
            counted.accept(verdict.join());
        } else {
            int epoch = callEpoch;
            verdict.thenAccept(v -> onTurn(epoch, () -> counted.accept(v)));
        }
    }

    private void accepted(Seat seat, ModelReply reply, Duration latency) {
        generating = null;
        modelCall = null;
        String text = ReplyGuard.clean(reply.text(), seat.name(), otherNames(seat));
        seat.usage = seat.usage.plus(reply.usage());
        if (text.isBlank() && !paragraphs.anyPosted()
                && config.replies().emptyReply() == ReplyConfig.EmptyReply.RETRY_THEN_SKIP) {
            if (!emptyRetried && state == State.RUNNING) {
                emptyRetried = true;
                ask(seat);
                return;
            }
            typing(seat, false);
            skipTurn(seat, "EMPTY", "empty reply", seat.name() + " gave an empty reply; skipping its turn.");
            return;
        }
        boolean partlyShown = paragraphs.anyPosted();
        String unshown = partlyShown ? paragraphs.rest(text) : text;
        pending = new Pending(seat, text, unshown, partlyShown, reply, latency);
        if (state == State.RUNNING) {
            postTimer = loop.schedule(pacer.typing(unshown), this::postPending);
        }
    }

    private void postPending() {
        postTimer = null;
        if (state != State.RUNNING || pending == null) {
            return;
        }
        Pending p = pending;
        pending = null;
        Seat seat = p.seat();
        Message message = new Message(seat.speaker, p.text(), clock.now());
        ModelConfig mc = seat.config.model();
        Usage u = p.reply().usage();
        int turn = ++turns;
        typing(seat, false);
        String shown = p.partlyShown() && p.unshown().isBlank() ? null : p.unshown();
        Stage.Recorded said = stage.post(seq -> new JournalEvent.Said(seq, message.at(), seat.name(),
                JournalEvent.Said.MODEL, seat.id().value(), p.text(), turn, mc.provider(), mc.model(),
                p.latency().toMillis(), u.inputTokens(), u.outputTokens(), u.cachedInputTokens(), null),
                seat.id(), shown);
        history.add(message);
        ledger.said(said.event(), message, said.parcel());
        seat.keepModel();
        lastTurn = Optional.of(seat.id());
        consecutiveFailures = 0;
        afterMessage(message);
    }

    private void afterMessage(Message message) {
        Optional<HealthVerdict> unhealthy = health.observe(message);
        if (unhealthy.isPresent()) {
            HealthVerdict v = unhealthy.get();
            HealthConfig.Action action = config.health().action();
            stage.record(seq -> new JournalEvent.Health(seq, clock.now(), v.rule(), v.sentence(), v.figures(),
                    action.name().toLowerCase(Locale.ROOT)));
            switch (action) {
                case STOP -> {
                    end("the health monitor stopped it: " + v.sentence());
                    return;
                }
                case PAUSE -> {
                    health.reset();
                    pause(SYSTEM, "by the health monitor: " + v.sentence());
                    return;
                }
                case NOTICE -> {
                    health.reset();
                    stage.announce("Health monitor: " + v.sentence() + ".");
                }
            }
        }
        Optional<String> stop = stopRules.check(progress(message.text()));
        if (stop.isPresent()) {
            end(stop.get());
        } else {
            nextTurn();
        }
    }

    private StopRules.Progress progress(String lastModelText) {
        return new StopRules.Progress(turns, lastModelText, consecutiveFailures, totalUsage().total(), cost());
    }

    private void failed(Seat seat, ModelError error, Duration latency) {
        if (impersonating && error.hasPartialText()) {
            // What came before the impersonation was a whole reply; only the part nobody should see failed.
            replied(seat, new ModelReply(error.partialText(), error.usage(), "impersonation", true), latency);
            return;
        }
        generating = null;
        modelCall = null;
        typing(seat, false);
        seat.usage = seat.usage.plus(error.usage());
        if (paragraphs.anyPosted()) {
            recordShown(seat, shownSoFar(seat), error.usage());
        }
        switch (error.kind()) {
            case PERMANENT -> {
                String refused = seat.config.model().model();
                if (seat.revertModel()) {
                    // An operator's !model the provider does not know: the seat keeps the model it had.
                    skipTurn(seat, error.kind().name(), error.message(), seat.name() + ": " + error.message()
                            + " — back to " + seat.config.model().model() + " instead of " + refused + ".");
                    return;
                }
                seat.muted = true;
                seat.broken = true;
                skipTurn(seat, error.kind().name(), error.message(), seat.name() + ": " + error.message()
                        + " — seat muted (an operator can " + config.commands().prefix() + "unmute " + seat.id() + ").");
            }
            case TIMEOUT -> skipTurn(seat, error.kind().name(), error.message(),
                    seat.name() + " " + error.message() + "; skipping its turn.");
            default -> skipTurn(seat, error.kind().name(), error.message(),
                    seat.name() + " failed: " + error.message() + "; skipping its turn.");
        }
    }

    /** A turn that produced nothing to post: say so, count it, and go on or pause as configured. */
    private void skipTurn(Seat seat, String kind, String what, String notice) {
        consecutiveFailures++;
        lastTurn = Optional.of(seat.id());
        String action = seat.muted ? "muted" : "skipped";
        stage.record(seq -> new JournalEvent.Failure(seq, clock.now(), seat.id().value(), kind, what, action));
        stage.announce(notice);
        Optional<String> stop = stopRules.check(progress(null));
        if (stop.isPresent()) {
            end(stop.get());
        } else if (config.replies().onFailure() == ReplyConfig.OnFailure.PAUSE && !"EMPTY".equals(kind)) {
            pause(SYSTEM, "because " + seat.name() + " failed");
        } else if (seats.values().stream().allMatch(s -> s.broken)) {
            // Nobody can speak and nobody chose this: waiting would keep the rooms (and the daemon) hanging forever.
            end("no seat can speak: every model failed for good");
        } else if (eligible().isEmpty()) {
            stage.announce("Every seat is muted; " + config.commands().prefix() + "unmute one to go on.");
        } else {
            nextTurn();
        }
    }

    /** A reply cut short after some of its paragraphs were shown (a stop, a crash): those are its message. */
    private void recordShown(Seat seat, String shown) {
        recordShown(seat, shown, null);
    }

    /** {@code usage}: what the cut call used, journalled with the message; null when unknown. */
    private void recordShown(Seat seat, String shown, Usage usage) {
        int turn = ++turns;
        lastTurn = Optional.of(seat.id());
        ModelConfig mc = seat.config.model();
        Instant now = clock.now();
        Long in = usage == null ? null : usage.inputTokens();
        Long out = usage == null ? null : usage.outputTokens();
        Long cached = usage == null ? null : usage.cachedInputTokens();
        long said = stage.record(seq -> new JournalEvent.Said(seq, now, seat.name(), JournalEvent.Said.MODEL,
                seat.id().value(), shown, turn, mc.provider(), mc.model(), null, in, out, cached, null));
        Message message = new Message(seat.speaker, shown, now);
        history.add(message);
        ledger.said(said, message, 0);
    }

    // ---- the moderation gate ---------------------------------------------------------------------------

    /**
     * A paragraph about to be shown while its reply streams hits the gate: the paragraphs before it are shown,
     * it and the rest of the reply are not, and the call is dropped. False when it passes.
     */
    private boolean gateStopsStream(Seat seat, String before, String ready) {
        Verdict verdict = filter.screen(candidate(seat, ready));
        if (verdict.passes()) {
            return false;
        }
        filter.counted(verdict);
        List<String> parts = List.of(ready.split("\n\n"));
        int ok = 0;
        Verdict first = verdict;
        while (ok < parts.size()) {
            Verdict v = filter.screen(candidate(seat, parts.get(ok)));
            if (!v.passes()) {
                first = v;
                break;
            }
            ok++;
        }
        if (ok == parts.size()) {
            ok = 0; // only the paragraphs together hit (a limit): none of them is shown
        }
        String passing = String.join("\n\n", parts.subList(0, ok)).strip();
        if (!passing.isEmpty()) {
            Stage.Recorded draft = stage.post(seq -> new JournalEvent.Draft(seq, clock.now(), seat.id().value(),
                    passing), seat.id(), passing);
            ledger.draftPosted(draft.parcel());
        }
        String shown = (before + "\n\n" + passing).strip();
        dropModelCall();
        withhold(seat, Usage.NONE, String.join("\n\n", parts.subList(ok, parts.size())),
                shown.isEmpty() ? null : shown, first);
        return true;
    }

    /**
     * The gate kept {@code text} from the rooms: journalled with the rule, one short notice in the rooms, then the
     * seat is asked once more, or its turn is skipped, or it is muted after too many hits. {@code shown}: what the
     * rooms already saw of the reply (its paragraphs streamed), which stays as its message; null when nothing was.
     */
    private void withhold(Seat seat, Usage usage, String text, String shown, Verdict verdict) {
        generating = null;
        modelCall = null;
        typing(seat, false);
        seat.usage = seat.usage.plus(usage);
        boolean hit = verdict.kind() == Verdict.Kind.HIT;
        boolean muted = hit && filter.strike(seat.id().value());
        boolean retry = hit && shown == null && !muted && !gateRetried && state == State.RUNNING
                && filter.config().onHit() == ModerationConfig.OnHit.RETRY_THEN_SKIP;
        String action = muted ? "muted" : shown != null ? "cut" : !hit ? "held" : retry ? "retried" : "skipped";
        stage.record(seq -> new JournalEvent.Withheld(seq, clock.now(), seat.id().value(), seat.name(), text,
                verdict.rule(), verdict.detail(), action));
        stage.announce("A message from " + seat.name() + " was withheld by the filter." + (muted ? " " + seat.name()
                + " is muted until an operator says " + config.commands().prefix() + "unmute " + seat.id() + "." : ""));
        if (muted) {
            seat.muted = true;
        }
        if (shown != null) {
            recordShown(seat, shown, usage);
            afterMessage(history.get(history.size() - 1));
            return;
        }
        lastTurn = Optional.of(seat.id());
        if (retry) {
            gateRetried = true;
            // Told what happened, never what it said: repeating the text would invite the model to say it again.
            seat.note = (seat.note == null ? "" : seat.note + "\n") + "Your last reply was withheld by the room's "
                    + "moderation filter; nobody saw it. Answer again, differently.";
            ask(seat);
        } else if (eligible().isEmpty()) {
            stage.announce("Every seat is muted; " + config.commands().prefix() + "unmute one to go on.");
        } else {
            nextTurn();
        }
    }

    /** What the gate judges: the text, who says it and the names it could highlight (seats, their nicks, humans). */
    private Candidate candidate(Seat seat, String text) {
        Set<String> names = new LinkedHashSet<>(otherNames(seat));
        seats.values().forEach(s -> {
            names.add(s.name());
            s.config.irc().ifPresent(irc -> names.add(irc.nick()));
        });
        return new Candidate(seat.name(), text, names);
    }

    /**
     * After a restart: {@code !filter off|on} and each seat's strikes since its last mute (an {@code !unmute} clears
     * them; a seat muted when parley stopped comes back unmuted, with no strikes).
     */
    private void restoreFilter(List<JournalEvent> past) {
        Map<String, Integer> strikes = new LinkedHashMap<>();
        for (JournalEvent e : past) {
            if (e instanceof JournalEvent.Steer s && JournalEvent.Steer.FILTER.equals(s.action())) {
                filter.turn("on".equals(s.text()));
            } else if (e instanceof JournalEvent.Withheld w && w.seat() != null) {
                if ("muted".equals(w.action())) {
                    strikes.remove(w.seat());
                } else if (!"moderation-api-down".equals(w.rule())
                        && !JournalEvent.Withheld.KEPT_FROM_MODELS.equals(w.action())) {
                    strikes.merge(w.seat(), 1, Integer::sum);
                }
            }
        }
        strikes.forEach(filter::restore);
    }

    /** {@code !filter on|off}: for the rest of this episode, journalled. */
    void switchFilter(String by, boolean on) {
        filter.turn(on);
        stage.record(seq -> new JournalEvent.Steer(seq, clock.now(), by, JournalEvent.Steer.FILTER, null,
                on ? "on" : "off"));
    }

    String filterStatus() {
        return filter.describe();
    }

    // ---- humans -----------------------------------------------------------------------------------------

    private void human(Room origin, Inbound in) {
        commandOrigin = origin;
        afterAnswer = new ArrayList<>();
        try {
            Optional<String> answer = commands.handle(in.sender(), in.operator(), in.text(), moderation);
            if (answer.isPresent()) {
                stage.answer(seq -> new JournalEvent.Command(seq, clock.now(), in.sender(), origin.name(), in.text(),
                        in.operator(), answer.get()), origin, answer.get());
                return;
            }
        } finally {
            commandOrigin = null;
            List<Runnable> caused = afterAnswer;
            afterAnswer = null;
            caused.forEach(Runnable::run);
        }
        if (in.direct() || state == State.STOPPED) {
            return;
        }
        String text = in.action() ? "/me " + in.text() : in.text();
        Message message = new Message(Speaker.human(in.sender()), text, clock.now());
        long said = stage.relay(seq -> new JournalEvent.Said(seq, message.at(), in.sender(), JournalEvent.Said.HUMAN,
                null, text, null, null, null, null, null, null, null, origin.name()), origin, in.sender(), text);
        Optional<Verdict> kept = filter.keptFromModels(new Candidate(in.sender(), text, Set.of()));
        if (kept.isPresent()) {
            stage.record(seq -> new JournalEvent.Withheld(seq, clock.now(), null, in.sender(), null, kept.get().rule(),
                    kept.get().detail(), JournalEvent.Withheld.KEPT_FROM_MODELS));
        } else {
            history.add(message);
        }
        ledger.heard(said, message);
        health.observe(message);
        // Someone stepped in before the next seat began: let the policy look again (they may have named a seat).
        rechoose();
    }

    // ---- live steering (called by Moderation, on the loop) --------------------------------------------------

    /**
     * Drops the turn in progress: its reply was built on a context an operator just changed. What the rooms
     * already saw of it stays, as its message; the rest is never shown.
     */
    private void dropTurn() {
        for (Cancellable timer : new Cancellable[] {turnTimer, postTimer}) {
            if (timer != null) {
                timer.cancel();
            }
        }
        turnTimer = postTimer = null;
        if (generating != null) {
            Seat seat = generating;
            dropModelCall();
            generating = null;
            modelCall = null;
            typing(seat, false);
            if (paragraphs.anyPosted()) {
                recordShown(seat, shownSoFar(seat));
            }
        } else if (pending != null) {
            typing(pending.seat(), false);
            if (pending.partlyShown()) {
                recordShown(pending.seat(), paragraphs.shown(pending.text()));
            }
        }
        pending = null;
        ledger.dropDrafts();
        paragraphs = new ParagraphStream();
        streamed.setLength(0);
    }

    /** Whether a model message (of {@code seat}, if given) can be retried: one was said, or is being shown. */
    boolean hasModelMessage(Optional<Seat> seat) {
        return ledger.lastBySeat(seat.map(Seat::id)).isPresent();
    }

    /** Takes back the seat's last message (the last model message if none is named) and lets it answer again. */
    String retry(String by, Optional<Seat> who) {
        dropTurn();
        Ledger.Entry last = ledger.lastBySeat(who.map(Seat::id)).orElseThrow();
        Seat seat = seats.get(last.message().speaker().seat());
        takeBack(by, List.of(last));
        stage.record(seq -> new JournalEvent.Steer(seq, clock.now(), by, JournalEvent.Steer.RETRY,
                seat.id().value(), null));
        giveNextTurnTo(seat);
        return seat.name();
    }

    /** Takes back the last {@code count} messages; returns how many there were. */
    int retract(String by, int count) {
        List<Ledger.Entry> taken = ledger.last(count);
        if (taken.isEmpty()) {
            return 0;
        }
        dropTurn();
        takeBack(by, taken);
        rechoose();
        return taken.size();
    }

    /** Out of the models' context and the transcript, redacted or called back in the rooms; journalled. */
    private void takeBack(String by, List<Ledger.Entry> taken) {
        List<Long> seqs = taken.stream().map(Ledger.Entry::seq).toList();
        stage.record(seq -> new JournalEvent.Retract(seq, clock.now(), by, seqs));
        history.removeIf(m -> taken.stream().anyMatch(e -> e.message() == m));
        ledger.remove(taken);
        health.reset();
        List<Long> refs = taken.stream().flatMap(e -> e.refs().stream()).toList();
        String notice = taken.size() == 1
                ? "A message from " + taken.get(0).message().speaker().name() + " was retracted by " + by + "."
                : taken.size() + " messages were retracted by " + by + ".";
        stage.record(seq -> new JournalEvent.Notice(seq, clock.now(), notice));
        stage.retract(refs, notice);
    }

    void note(String by, Seat seat, String text) {
        seat.note = seat.note == null ? text : seat.note + "\n" + text;
        stage.record(seq -> new JournalEvent.Steer(seq, clock.now(), by, JournalEvent.Steer.NOTE, seat.id().value(),
                text));
    }

    void systemPrompt(String by, Seat seat, String prompt) {
        seat.systemPrompt = prompt;
        stage.record(seq -> new JournalEvent.Steer(seq, clock.now(), by, JournalEvent.Steer.SYSTEM,
                seat.id().value(), prompt));
    }

    /** Moves the seat to another model of its provider from its next turn; empty when that cannot be done here. */
    Optional<String> swapModel(String by, Seat seat, String modelId) {
        if (seatModels == null) {
            return Optional.of("models cannot be changed in this conversation");
        }
        SeatConfig next = seat.config.withModel(seat.config.model().withModel(modelId));
        try {
            seat.swapModel(next, seatModels.connect(next));
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        stage.record(seq -> new JournalEvent.Steer(seq, clock.now(), by, JournalEvent.Steer.MODEL, seat.id().value(),
                modelId));
        return Optional.empty();
    }

    /** Sets the rooms' topic and lets the models hear it, as the operator's line. */
    void topic(String by, Room origin, String text) {
        topic = Optional.of(text);
        stage.record(seq -> new JournalEvent.Steer(seq, clock.now(), by, JournalEvent.Steer.TOPIC, null, text));
        stage.topic(text);
        String line = "Topic: " + text;
        Message message = new Message(Speaker.human(by), line, clock.now());
        long said = stage.record(seq -> new JournalEvent.Said(seq, message.at(), by, JournalEvent.Said.HUMAN, null,
                line, null, null, null, null, null, null, null, origin == null ? null : origin.name()));
        history.add(message);
        ledger.heard(said, message);
        rechoose();
    }

    Optional<SeatConfig> rosterSeat(String ref) {
        return roster.stream().filter(s -> Seat.answersTo(s, ref)).findFirst();
    }

    List<SeatConfig> roster() {
        return roster;
    }

    boolean takesGuests() {
        return seatModels != null;
    }

    /** Brings a roster seat in: it joins the rooms, and takes turns once it is in all of them. */
    void invite(String by, SeatConfig config) {
        Seat seat = new Seat(config, seatModels.connect(config));
        seat.joining = true;
        departed.removeIf(s -> s.id().equals(config.id()));
        seats.put(seat.id(), seat);
        attendance.add(seat.id(), seat.name());
        if (!customPolicy) {
            policy = configuredPolicy();
        }
        stage.record(seq -> new JournalEvent.Steer(seq, clock.now(), by, JournalEvent.Steer.INVITE,
                seat.id().value(), seat.name()));
        stage.cast(Set.copyOf(seats.keySet()));
    }

    /** Sends a seat out: its turn in progress is dropped, it leaves the rooms, the others go on. */
    void dismiss(String by, Seat seat) {
        if (generating == seat || pending != null && pending.seat() == seat) {
            dropTurn();
        }
        seats.remove(seat.id());
        departed.add(seat);
        attendance.remove(seat.id());
        requestedNext = requestedNext.filter(id -> !id.equals(seat.id()));
        if (!customPolicy) {
            policy = configuredPolicy();
        }
        stage.record(seq -> new JournalEvent.Steer(seq, clock.now(), by, JournalEvent.Steer.DISMISS,
                seat.id().value(), seat.name()));
        stage.cast(Set.copyOf(seats.keySet()));
        rechoose();
    }

    Room commandOrigin() {
        return commandOrigin;
    }

    // ---- what moderation may do (called by Moderation, on the loop) -------------------------------------------

    boolean isRunning() {
        return state == State.RUNNING;
    }

    boolean isPaused() {
        return state == State.PAUSED;
    }

    boolean isEnded() {
        return state == State.STOPPED;
    }

    boolean isWaitingForStart() {
        return state == State.WAITING_FOR_START;
    }

    String stateName() {
        return state.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** Pauses at once; {@code why} completes "Paused ...": "by kate", "while Basil is away from #parley". */
    void pause(String by, String why) {
        if (state != State.RUNNING) {
            return;
        }
        if (!SYSTEM.equals(by)) {
            pausedForAbsence = false;
        }
        state = State.PAUSED;
        for (Cancellable timer : new Cancellable[] {turnTimer, postTimer}) {
            if (timer != null) {
                timer.cancel();
            }
        }
        turnTimer = postTimer = null;
        stage.record(seq -> new JournalEvent.Pause(seq, clock.now(), by, why));
        stage.announceExcept(commandOrigin, "Paused " + why + ".");
    }

    void resume(String by) {
        if (state != State.PAUSED) {
            return;
        }
        pausedForAbsence = false;
        state = State.RUNNING;
        health.reset();
        stage.record(seq -> new JournalEvent.Resume(seq, clock.now(), by));
        stage.announceExcept(commandOrigin, "Resumed" + (SYSTEM.equals(by) ? "" : " by " + by) + ".");
        afterTheAnswer(() -> {
            if (pending != null) {
                postPending();
            } else {
                nextTurn();
            }
        });
    }

    /**
     * Runs what a command caused after the command's answer is journalled and shown ("Resumed." before the held
     * reply, "Stopped." before "Conversation ended"); at once when no command is being answered. The state has
     * changed already, so nothing else can act in between: this only orders what is said.
     */
    private void afterTheAnswer(Runnable effect) {
        if (afterAnswer != null) {
            afterAnswer.add(effect);
        } else {
            effect.run();
        }
    }

    void startWith(Optional<String> opening) {
        opening.ifPresent(o -> openingLine = Optional.of(o));
        run();
    }

    void giveNextTurnTo(Seat seat) {
        requestedNext = Optional.of(seat.id());
        rechoose();
    }

    void setMuted(Seat seat, boolean muted) {
        seat.muted = muted;
        seat.broken = false;
        if (!muted) {
            consecutiveFailures = 0;
            filter.forgive(seat.id().value());
        }
        rechoose();
    }

    void limitTurns(int limit) {
        stopRules.setMaxTurns(limit);
        if (state != State.STOPPED && turns >= limit) {
            end("reached the limit of " + limit + " turns");
        }
    }

    int turnsTaken() {
        return turns;
    }

    Pacer pacer() {
        return pacer;
    }

    String writeTranscript() {
        return archivist.writeTranscript(stage.events());
    }

    Optional<Seat> find(String ref) {
        return seats.values().stream().filter(s -> s.answersTo(ref)).findFirst();
    }

    List<Seat> seatList() {
        return List.copyOf(seats.values());
    }

    String statusLine() {
        String where = switch (state) {
            case WAITING_FOR_SEATS -> "waiting for " + String.join(", ", attendance.missing());
            case WAITING_FOR_START -> "waiting for " + config.commands().prefix() + "start";
            case RUNNING -> generating != null ? generating.name() + " is thinking" : "running";
            case PAUSED -> "paused";
            case STOPPED -> "ended";
        };
        String limit = stopRules.maxTurns() > 0 ? " of " + stopRules.maxTurns() : "";
        String muted = seats.values().stream().filter(s -> s.muted).map(Seat::name).collect(Collectors.joining(", "));
        boolean priced = seats.values().stream().anyMatch(s -> s.config.model().price().isPresent());
        return (episode > 0 ? "Episode " + episode + ", " : "") + title() + ": " + where + ", turn " + turns + limit
                + ", pace " + pacer.describe()
                + ", " + totalUsage().total() + " tokens"
                + (priced ? String.format(Locale.ROOT, ", $%.4f", cost()) : "")
                + (muted.isEmpty() ? "" : ", muted: " + muted)
                + (filter.isOn() ? "" : ", filter off")
                + stage.rooms().stream().map(Room::status).filter(r -> !r.isEmpty()).map(r -> "; " + r)
                        .collect(Collectors.joining());
    }

    /**
     * Ends the conversation: stop journalled with its reason, rooms told, transcript written. Nothing more happens
     * from here on; what it says in the rooms waits for the answer to the command that ended it, if one did.
     */
    void end(String reason) {
        if (state == State.STOPPED) {
            return;
        }
        halt();
        afterTheAnswer(() -> finish(reason));
    }

    /** The rest of {@link #end}: keep what was shown, journal and say the stop, write the transcript. */
    private void finish(String reason) {
        try {
            endRecorded(reason);
        } catch (JournalException e) {
            suspend(e);
            return;
        }
        String where;
        try {
            where = writeTranscript();
        } catch (RuntimeException e) {
            log.error("could not write the transcript of {}", config.id(), e);
            where = "(transcript not written: " + e.getMessage() + ")";
        }
        log.info("{} ended: {}; transcript {}", config.id(), reason, where);
        stopped.complete(reason);
    }

    /** Nothing more happens: no model call, no timer. */
    private void halt() {
        state = State.STOPPED;
        dropModelCall();
        for (Cancellable timer : new Cancellable[] {turnTimer, postTimer}) {
            if (timer != null) {
                timer.cancel();
            }
        }
        turnTimer = postTimer = modelCall = null;
    }

    /**
     * Journals the end. Each step is best-effort: whatever fails (a broken room, a bug), the conversation must
     * end; only a journal that cannot be written stops it short, as a suspension.
     */
    private void endRecorded(String reason) {
        bestEffort("keep what was shown", () -> {
            if (generating != null) {
                typing(generating, false);
                if (paragraphs.anyPosted()) {
                    recordShown(generating, shownSoFar(generating));
                }
            } else if (pending != null && pending.partlyShown()) {
                // Typed out or held, with some paragraphs already seen: those stay; the rest is never said.
                recordShown(pending.seat(), paragraphs.shown(pending.text()));
            }
        });
        generating = null;
        pending = null;
        bestEffort("journal the stop", () -> stage.record(seq -> new JournalEvent.Stop(seq, clock.now(), reason)));
        bestEffort("tell the rooms", () -> stage.announce("Conversation ended: " + reason + "."));
    }

    /**
     * The journal cannot be written (a full disk, a read-only mount, an I/O error): nothing more may be shown,
     * since nothing more can be journalled. The rooms get one notice, the only one not journalled; no transcript
     * is written (the journal has no end); {@link #stopped} fails with the reason. A later start resumes.
     */
    private void suspend(JournalException failure) {
        halt();
        if (generating != null) {
            typing(generating, false);
        }
        generating = null;
        pending = null;
        Throwable cause = failure;
        while (cause.getCause() != null && !(cause instanceof java.io.IOException)) {
            cause = cause.getCause();
        }
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        log.info("{}: suspended, its journal cannot be written: {}", config.id(), failure.getMessage());
        for (Room room : stage.rooms()) {
            try {
                room.notice("This conversation is suspended: parley cannot write its archive (" + why
                        + "). Nothing more is said until parley is started again with room to write.");
            } catch (RuntimeException e) {
                log.debug("{}: suspension notice not given", room.name(), e);
            }
        }
        stopped.completeExceptionally(new JournalException(config.id() + " is suspended, its archive cannot be "
                + "written: " + failure.getMessage(), failure));
    }

    /**
     * A task on the loop threw: a bug, or a journal that cannot be written. Going on could lose or repeat things.
     * Returns whether the failure was expected (the journal): the user is told, no stack trace needed.
     */
    private boolean brokeDown(Throwable failure) {
        if (failure instanceof JournalException j) {
            if (state != State.STOPPED) {
                suspend(j);
            }
            return true;
        }
        end("parley hit an internal error (" + failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage()) + "); see its log");
        return false;
    }

    private void bestEffort(String what, Runnable step) {
        try {
            step.run();
        } catch (JournalException e) {
            throw e;
        } catch (RuntimeException e) {
            log.error("{}: could not {} while ending", config.id(), what, e);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private void typing(Seat seat, boolean on) {
        if (config.pacing().showTyping()) {
            stage.typing(seat.id(), on);
        }
    }

    private List<String> otherNames(Seat seat) {
        Set<String> names = new LinkedHashSet<>();
        seats.values().stream().filter(s -> s != seat).forEach(s -> names.add(s.name()));
        history.stream().filter(m -> m.speaker().isHuman()).forEach(m -> names.add(m.speaker().name()));
        return List.copyOf(names);
    }

    private String title() {
        return seats.values().stream().map(Seat::name).collect(Collectors.joining(" ↔ "));
    }

    /** Everyone who played this episode so far, dismissed seats too: their tokens were spent all the same. */
    private List<Seat> everyone() {
        List<Seat> all = new ArrayList<>(seats.values());
        all.addAll(departed);
        return all;
    }

    private Usage totalUsage() {
        return everyone().stream().map(s -> s.usage).reduce(Usage.NONE, Usage::plus);
    }

    private double cost() {
        return everyone().stream().mapToDouble(Seat::cost).sum();
    }

    private TurnPolicy configuredPolicy() {
        return TurnPolicy.of(config.turnPolicy(), random, seats.values().stream()
                .map(s -> new TurnPolicy.SeatNames(s.id(), s.names())).toList());
    }

    /** After a restart: the system prompts, models and unread notes operators gave, and the topic. */
    private void restoreSteering(Resumption.Steering steering) {
        steering.topic().ifPresent(t -> topic = Optional.of(t));
        steering.systemPrompts().forEach((id, prompt) -> Optional.ofNullable(seats.get(id))
                .ifPresent(s -> s.systemPrompt = prompt));
        steering.notes().forEach((id, note) -> Optional.ofNullable(seats.get(id)).ifPresent(s -> s.note = note));
        steering.models().forEach((id, model) -> Optional.ofNullable(seats.get(id)).ifPresent(s -> {
            if (seatModels != null && !model.equals(s.config.model().model())) {
                SeatConfig swapped = s.config.withModel(s.config.model().withModel(model));
                s.swapModel(swapped, seatModels.connect(swapped));
                s.keepModel();
            }
        }));
    }
}
