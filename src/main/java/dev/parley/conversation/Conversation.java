package dev.parley.conversation;

import dev.parley.archive.Journal;
import dev.parley.archive.JournalEvent;
import dev.parley.command.Control;
import dev.parley.config.ConversationConfig;
import dev.parley.config.ModelConfig;
import dev.parley.config.ReplyConfig;
import dev.parley.core.Cancellable;
import dev.parley.core.EventLoop;
import dev.parley.core.Message;
import dev.parley.core.Scheduler;
import dev.parley.core.SeatId;
import dev.parley.core.Speaker;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live conversation. All state is touched only on its own {@link EventLoop}: room events, model replies and
 * timers are posted to the loop, so nothing here needs a lock and nothing blocks.
 *
 * <p>A turn goes: pause before the turn (pacing) → the model generates (typing shown) → the reply is cleaned
 * (impersonation guard) → typing time → journal (durable) → posted to every room → stop rules and health checked
 * → next turn. {@code !pause} takes effect at once: a reply being generated or typed is <em>held</em> and posted
 * first thing after {@code !resume}, so nothing a model said is lost and nothing is said twice.
 */
public final class Conversation implements Control {
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

    /** A reply ready to post, waiting for its typing time or for {@code !resume}. */
    private record Pending(Seat seat, String text, ModelReply reply, Duration latency) { }

    private final ConversationConfig config;
    private final EventLoop loop;
    private final Scheduler clock;
    private final Map<SeatId, Seat> seats = new LinkedHashMap<>();
    private final List<Room> rooms;
    private final Journal journal;
    private final CommandHandler commands;
    private final Archivist archivist;
    private final ContextBuilder contextBuilder;
    private TurnPolicy policy;
    private final Pacer pacer;
    private final StopRules stopRules;
    private final HealthMonitor health;
    private final CompletableFuture<String> stopped = new CompletableFuture<>();

    private final List<Message> history = new ArrayList<>();
    private final Map<Room, Set<SeatId>> present = new HashMap<>();
    private State state = State.WAITING_FOR_SEATS;
    private long seq;
    private Instant startedAt;
    private Optional<String> openingLine;
    private int turns;
    private int consecutiveFailures;
    private Optional<SeatId> lastTurn = Optional.empty();
    private Optional<SeatId> requestedNext = Optional.empty();
    private boolean pausedForAbsence;
    private boolean resumed;

    private Cancellable turnTimer;
    private Cancellable modelCall;
    private Cancellable postTimer;
    private Seat generating;
    private Pending pending;
    private int callEpoch;
    private boolean emptyRetried;
    private Room commandOrigin;

    public Conversation(ConversationConfig config, Map<SeatId, ModelClient> models, List<Room> rooms,
                        Journal journal, Scheduler scheduler, RandomGenerator random,
                        CommandHandler commands, Archivist archivist) {
        this.config = config;
        this.loop = new EventLoop(scheduler);
        this.clock = scheduler;
        this.rooms = List.copyOf(rooms);
        this.journal = journal;
        this.commands = commands;
        this.archivist = archivist;
        for (var sc : config.seats()) {
            ModelClient m = models.get(sc.id());
            if (m == null) {
                throw new IllegalArgumentException("no model client for seat " + sc.id());
            }
            seats.put(sc.id(), new Seat(sc, m));
        }
        this.openingLine = config.openingLine();
        this.contextBuilder = new ContextBuilder(config.context(),
                rooms.stream().map(Room::name).collect(Collectors.joining(" and ")));
        this.policy = TurnPolicy.of(config.turnPolicy(), random, seats.values().stream()
                .map(s -> new TurnPolicy.SeatNames(s.id(), names(s))).toList());
        this.pacer = new Pacer(config.pacing(), random);
        this.stopRules = new StopRules(config.stop());
        this.health = new HealthMonitor(config.health());
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
    }

    /** Starts (or, when the journal already has events, resumes) the conversation. Returns at once. */
    public void start() {
        loop.execute(this::open);
    }

    /** Stops from outside the loop (daemon shutdown); safe from any thread. */
    public void shutdown(String reason) {
        loop.execute(() -> end(reason));
    }

    /** Runs {@code task} on the conversation's loop; for tests and the daemon. */
    public void onLoop(Runnable task) {
        loop.execute(task);
    }

    // ---- start-up ---------------------------------------------------------------------------------------

    private void open() {
        List<JournalEvent> past = journal.events();
        if (past.isEmpty()) {
            startedAt = clock.now();
            record(new JournalEvent.Start(++seq, startedAt, config.id(), seats.values().stream()
                    .map(s -> new JournalEvent.SeatInfo(s.id().value(), s.name(), s.config.model().provider(),
                            s.config.model().model()))
                    .toList(), rooms.stream().map(Room::name).toList()));
        } else {
            restore(past);
        }
        for (Room room : rooms) {
            present.put(room, new HashSet<>());
            room.open(listenerFor(room));
        }
        loop.schedule(JOIN_TIMEOUT, () -> {
            if (state == State.WAITING_FOR_SEATS) {
                announce("Starting without " + String.join(", ", missingSeats()) + ": not in the room after "
                        + JOIN_TIMEOUT.toSeconds() + " s.");
                begin();
            }
        });
    }

    /** Picks up from a journal written before a restart: same history, the turn count goes on. */
    private void restore(List<JournalEvent> past) {
        resumed = true;
        for (JournalEvent e : past) {
            seq = e.seq();
            if (e instanceof JournalEvent.Start s) {
                startedAt = s.ts();
            } else if (e instanceof JournalEvent.Said said) {
                Speaker speaker = said.seat() != null && seats.containsKey(new SeatId(said.seat()))
                        ? seats.get(new SeatId(said.seat())).speaker : Speaker.human(said.speaker());
                history.add(new Message(speaker, said.text(), said.ts()));
                if (said.isModel()) {
                    turns++;
                    lastTurn = Optional.ofNullable(speaker.seat());
                    Seat seat = speaker.isSeat() ? seats.get(speaker.seat()) : null;
                    if (seat != null) {
                        seat.usage = seat.usage.plus(new Usage(orZero(said.inputTokens()),
                                orZero(said.outputTokens()), orZero(said.cachedTokens())));
                    }
                }
            } else if (e instanceof JournalEvent.Stop) {
                throw new IllegalStateException("journal of " + config.id() + " has already ended");
            }
        }
        if (startedAt == null) {
            startedAt = clock.now();
        }
        record(new JournalEvent.Restart(++seq, clock.now()));
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
                    announce(room.name() + ": " + problem);
                });
            }
        };
    }

    private void presence(Room room, SeatId seat, boolean isPresent) {
        Set<SeatId> here = present.get(room);
        if (here == null) {
            return;
        }
        if (isPresent) {
            here.add(seat);
        } else {
            here.remove(seat);
        }
        boolean all = missingSeats().isEmpty();
        if (state == State.WAITING_FOR_SEATS && all) {
            begin();
        } else if (state == State.RUNNING && !isPresent) {
            pausedForAbsence = true;
            pauseNow(SYSTEM, seatName(seat) + " left " + room.name());
        } else if (state == State.PAUSED && pausedForAbsence && all) {
            pausedForAbsence = false;
            resumeNow(SYSTEM);
        }
    }

    private List<String> missingSeats() {
        List<String> missing = new ArrayList<>();
        for (var e : present.entrySet()) {
            for (Seat s : seats.values()) {
                if (!e.getValue().contains(s.id())) {
                    missing.add(s.name() + " (" + e.getKey().name() + ")");
                }
            }
        }
        return missing;
    }

    private void begin() {
        if (state != State.WAITING_FOR_SEATS) {
            return;
        }
        if (!config.autoStart() && !resumed) {
            state = State.WAITING_FOR_START;
            announce("Ready: " + title() + ". An operator starts it with " + config.commands().prefix()
                    + "start [opening line].");
            return;
        }
        run();
    }

    private void run() {
        state = State.RUNNING;
        announce(resumed ? "Picking up " + title() + " at turn " + turns + "." : "Starting " + title() + ".");
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

    private void nextTurn() {
        if (state != State.RUNNING || busy()) {
            return;
        }
        Optional<SeatId> next = requestedNext.filter(id -> !seats.get(id).muted)
                .or(() -> policy.next(new TurnPolicy.Situation(List.copyOf(seats.keySet()), eligible(),
                        lastTurn, history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1)),
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
                ask(seat);
            } else {
                nextTurn();
            }
        });
    }

    private Set<SeatId> eligible() {
        return seats.values().stream().filter(s -> !s.muted).map(Seat::id).collect(Collectors.toSet());
    }

    private void ask(Seat seat) {
        ModelRequest request = contextBuilder.build(
                new ContextBuilder.Self(seat.id(), seat.name(), seat.config.systemPrompt(),
                        seat.config.contextBudgetTokens()),
                seats.values().stream().map(Seat::name).toList(), history, openingLine);
        generating = seat;
        typing(seat, true);
        Instant asked = clock.now();
        int epoch = ++callEpoch;
        modelCall = seat.model.start(request, new ReplyListener() {
            @Override
            public void onReply(ModelReply reply) {
                loop.execute(() -> {
                    if (epoch == callEpoch) {
                        replied(seat, reply, Duration.between(asked, clock.now()));
                    }
                });
            }

            @Override
            public void onError(ModelError error) {
                loop.execute(() -> {
                    if (epoch == callEpoch) {
                        failed(seat, error);
                    }
                });
            }
        });
    }

    private void replied(Seat seat, ModelReply reply, Duration latency) {
        generating = null;
        modelCall = null;
        String text = ReplyGuard.clean(reply.text(), seat.name(), otherNames(seat));
        seat.usage = seat.usage.plus(reply.usage());
        if (text.isBlank() && config.replies().emptyReply() == ReplyConfig.EmptyReply.RETRY_THEN_SKIP) {
            if (!emptyRetried && state == State.RUNNING) {
                emptyRetried = true;
                ask(seat);
                return;
            }
            typing(seat, false);
            skipTurn(seat, "EMPTY", "gave an empty reply", "skipped");
            return;
        }
        pending = new Pending(seat, text, reply, latency);
        if (state == State.RUNNING) {
            postTimer = loop.schedule(pacer.typing(text), this::postPending);
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
        turns++;
        record(new JournalEvent.Said(++seq, message.at(), seat.name(), JournalEvent.Said.MODEL, seat.id().value(),
                p.text(), turns, mc.provider(), mc.model(), p.latency().toMillis(), u.inputTokens(),
                u.outputTokens(), u.cachedInputTokens(), null));
        history.add(message);
        lastTurn = Optional.of(seat.id());
        consecutiveFailures = 0;
        for (Room room : rooms) {
            room.typing(seat.id(), false);
            room.post(seat.id(), p.text());
        }
        afterMessage(message);
    }

    private void afterMessage(Message message) {
        Optional<String> unhealthy = health.observe(message);
        if (unhealthy.isPresent()) {
            switch (config.health().action()) {
                case STOP -> {
                    end("the health monitor stopped it: " + unhealthy.get());
                    return;
                }
                case PAUSE -> {
                    health.reset();
                    pauseNow(SYSTEM, "health monitor: " + unhealthy.get());
                    return;
                }
                case NOTICE -> {
                    health.reset();
                    announce("Health monitor: " + unhealthy.get() + ".");
                }
            }
        }
        if (message.speaker().isSeat()) {
            Optional<String> stop = stopRules.check(progress(message.text()));
            if (stop.isPresent()) {
                end(stop.get());
                return;
            }
        }
        nextTurn();
    }

    private StopRules.Progress progress(String lastModelText) {
        return new StopRules.Progress(turns, lastModelText, consecutiveFailures, totalUsage().total(), cost());
    }

    private void failed(Seat seat, ModelError error) {
        generating = null;
        modelCall = null;
        typing(seat, false);
        String what = switch (error.kind()) {
            case TIMEOUT -> error.message();
            case PERMANENT -> error.message();
            default -> "failed: " + error.message();
        };
        if (error.kind() == ModelError.Kind.PERMANENT) {
            seat.muted = true;
            skipTurn(seat, error.kind().name(), what, "muted");
        } else {
            skipTurn(seat, error.kind().name(), what, "skipped");
        }
    }

    /** A turn that produced nothing to post: say so, count it, and go on or pause as configured. */
    private void skipTurn(Seat seat, String kind, String what, String action) {
        consecutiveFailures++;
        lastTurn = Optional.of(seat.id());
        record(new JournalEvent.Failure(++seq, clock.now(), seat.id().value(), kind, what, action));
        announce(seat.name() + ": " + what + ("muted".equals(action)
                ? " — seat muted (an operator can " + config.commands().prefix() + "unmute " + seat.id() + ")"
                : "; skipping its turn") + ".");
        Optional<String> stop = stopRules.check(progress(null));
        if (stop.isPresent()) {
            end(stop.get());
        } else if (config.replies().onFailure() == ReplyConfig.OnFailure.PAUSE && !"EMPTY".equals(kind)) {
            pauseNow(SYSTEM, seat.name() + " failed");
        } else if (eligible().isEmpty()) {
            announce("Every seat is muted; " + config.commands().prefix() + "unmute one to go on.");
        } else {
            nextTurn();
        }
    }

    // ---- humans -----------------------------------------------------------------------------------------

    private void human(Room origin, Inbound in) {
        commandOrigin = origin;
        try {
            Optional<String> answer = commands.handle(in.sender(), in.operator(), in.text(), this);
            if (answer.isPresent()) {
                record(new JournalEvent.Command(++seq, clock.now(), in.sender(), origin.name(), in.text(),
                        in.operator(), answer.get()));
                origin.notice(answer.get());
                return;
            }
        } finally {
            commandOrigin = null;
        }
        if (in.direct() || state == State.STOPPED) {
            return;
        }
        String text = in.action() ? "/me " + in.text() : in.text();
        Message message = new Message(Speaker.human(in.sender()), text, clock.now());
        record(new JournalEvent.Said(++seq, message.at(), in.sender(), JournalEvent.Said.HUMAN, null, text, null,
                null, null, null, null, null, null, origin.name()));
        history.add(message);
        for (Room room : rooms) {
            if (room != origin) {
                room.relay(in.sender(), text);
            }
        }
        health.observe(message);
        if (turnTimer != null) {
            // Someone stepped in before the next seat began: let the policy look again (they may have named a seat).
            turnTimer.cancel();
            turnTimer = null;
        }
        nextTurn();
    }

    // ---- Control (commands) -----------------------------------------------------------------------------

    @Override
    public String status() {
        String where = switch (state) {
            case WAITING_FOR_SEATS -> "waiting for " + String.join(", ", missingSeats());
            case WAITING_FOR_START -> "waiting for " + config.commands().prefix() + "start";
            case RUNNING -> generating != null ? generating.name() + " is thinking" : "running";
            case PAUSED -> "paused";
            case STOPPED -> "ended";
        };
        String limit = stopRules.maxTurns() > 0 ? " of " + stopRules.maxTurns() : "";
        String muted = seats.values().stream().filter(s -> s.muted).map(Seat::name).collect(Collectors.joining(", "));
        return title() + ": " + where + ", turn " + turns + limit + ", pace " + pacer.describe()
                + ", " + totalUsage().total() + " tokens" + costText() + (muted.isEmpty() ? "" : ", muted: " + muted);
    }

    @Override
    public String pause(String by) {
        if (state != State.RUNNING) {
            return "Not running (" + state.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ").";
        }
        pausedForAbsence = false;
        pauseNow(by, "by " + by);
        return "Paused. " + config.commands().prefix() + "resume to go on.";
    }

    @Override
    public String resume(String by) {
        if (state != State.PAUSED) {
            return "Not paused.";
        }
        pausedForAbsence = false;
        resumeNow(by);
        return "Resumed.";
    }

    @Override
    public String stop(String by, Optional<String> reason) {
        if (state == State.STOPPED) {
            return "Already ended.";
        }
        end("stopped by " + by + reason.map(r -> ": " + r).orElse(""));
        return "Stopped.";
    }

    @Override
    public String start(String by, Optional<String> opening) {
        if (state != State.WAITING_FOR_START) {
            return state == State.STOPPED ? "This conversation has ended." : "Already started.";
        }
        opening.ifPresent(o -> openingLine = Optional.of(o));
        run();
        return "Started by " + by + ".";
    }

    @Override
    public String next(String by, String seatRef) {
        Optional<Seat> seat = find(seatRef);
        if (seat.isEmpty()) {
            return unknownSeat(seatRef);
        }
        if (seat.get().muted) {
            return seat.get().name() + " is muted; " + config.commands().prefix() + "unmute " + seat.get().id()
                    + " first.";
        }
        requestedNext = Optional.of(seat.get().id());
        if (turnTimer != null) {
            turnTimer.cancel();
            turnTimer = null;
        }
        nextTurn();
        return seat.get().name() + " speaks next.";
    }

    @Override
    public String mute(String by, String seatRef) {
        Optional<Seat> seat = find(seatRef);
        if (seat.isEmpty()) {
            return unknownSeat(seatRef);
        }
        seat.get().muted = true;
        if (turnTimer != null) {
            turnTimer.cancel();
            turnTimer = null;
            nextTurn();
        }
        return seat.get().name() + " is muted.";
    }

    @Override
    public String unmute(String by, String seatRef) {
        Optional<Seat> seat = find(seatRef);
        if (seat.isEmpty()) {
            return unknownSeat(seatRef);
        }
        seat.get().muted = false;
        consecutiveFailures = 0;
        nextTurn();
        return seat.get().name() + " may speak again.";
    }

    @Override
    public String pace(String by, Duration min, Duration max) {
        pacer.set(min, max);
        return "Pace set to " + pacer.describe() + " between turns.";
    }

    @Override
    public String turns(String by, int limit) {
        stopRules.setMaxTurns(limit);
        if (state != State.STOPPED && turns >= limit) {
            end("reached the limit of " + limit + " turns");
        }
        return "Turn limit set to " + limit + " (" + turns + " taken).";
    }

    @Override
    public String transcript(String by) {
        return "Transcript so far: " + archivist.writeTranscript(journal.events());
    }

    @Override
    public List<String> seatNames() {
        return seats.values().stream().map(s -> s.id() + " (" + s.name() + ")").toList();
    }

    // ---- pausing and ending -----------------------------------------------------------------------------

    private void pauseNow(String by, String why) {
        if (state != State.RUNNING) {
            return;
        }
        state = State.PAUSED;
        if (turnTimer != null) {
            turnTimer.cancel();
            turnTimer = null;
        }
        if (postTimer != null) {
            postTimer.cancel();
            postTimer = null;
        }
        record(new JournalEvent.Pause(++seq, clock.now(), by, why));
        announceToOthers("Paused " + why + ".");
    }

    private void resumeNow(String by) {
        state = State.RUNNING;
        health.reset();
        record(new JournalEvent.Resume(++seq, clock.now(), by));
        announceToOthers("Resumed" + (SYSTEM.equals(by) ? "" : " by " + by) + ".");
        if (pending != null) {
            postPending();
        } else {
            nextTurn();
        }
    }

    private void end(String reason) {
        if (state == State.STOPPED) {
            return;
        }
        state = State.STOPPED;
        callEpoch++;
        for (Cancellable c : new Cancellable[] {turnTimer, postTimer, modelCall}) {
            if (c != null) {
                c.cancel();
            }
        }
        if (generating != null) {
            typing(generating, false);
        }
        turnTimer = postTimer = modelCall = null;
        generating = null;
        record(new JournalEvent.Stop(++seq, clock.now(), reason));
        announce("Conversation ended: " + reason + ".");
        String where;
        try {
            where = archivist.writeTranscript(journal.events());
        } catch (RuntimeException e) {
            log.error("could not write the transcript of {}", config.id(), e);
            where = "(transcript not written: " + e.getMessage() + ")";
        }
        log.info("{} ended: {}; transcript {}", config.id(), reason, where);
        stopped.complete(reason);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private void record(JournalEvent event) {
        journal.append(event);
    }

    /** Tells every room (journalled first, like everything the rooms are shown). */
    private void announce(String text) {
        record(new JournalEvent.Notice(++seq, clock.now(), text));
        rooms.forEach(r -> r.notice(text));
    }

    /** Like {@link #announce} but skips the room whose command triggered it: that room gets the command's answer. */
    private void announceToOthers(String text) {
        record(new JournalEvent.Notice(++seq, clock.now(), text));
        rooms.stream().filter(r -> r != commandOrigin).forEach(r -> r.notice(text));
    }

    private void typing(Seat seat, boolean on) {
        if (config.pacing().showTyping()) {
            rooms.forEach(r -> r.typing(seat.id(), on));
        }
    }

    private Optional<Seat> find(String ref) {
        return seats.values().stream().filter(s -> s.answersTo(ref)).findFirst();
    }

    private String unknownSeat(String ref) {
        return "No seat \"" + ref + "\"; seats: " + String.join(", ", seatNames()) + ".";
    }

    private String seatName(SeatId id) {
        Seat s = seats.get(id);
        return s == null ? id.value() : s.name();
    }

    private List<String> otherNames(Seat seat) {
        Set<String> names = new java.util.LinkedHashSet<>();
        seats.values().stream().filter(s -> s != seat).forEach(s -> names.add(s.name()));
        history.stream().filter(m -> m.speaker().isHuman()).forEach(m -> names.add(m.speaker().name()));
        return List.copyOf(names);
    }

    private static List<String> names(Seat s) {
        List<String> n = new ArrayList<>(List.of(s.name(), s.id().value()));
        s.config.irc().ifPresent(i -> n.add(i.nick()));
        return n;
    }

    private String title() {
        return seats.values().stream().map(Seat::name).collect(Collectors.joining(" ↔ "));
    }

    private Usage totalUsage() {
        return seats.values().stream().map(s -> s.usage).reduce(Usage.NONE, Usage::plus);
    }

    private double cost() {
        double total = 0;
        for (Seat s : seats.values()) {
            var price = s.config.model().price();
            if (price.isPresent()) {
                total += s.usage.inputTokens() * price.get().inputPerMillion() / 1e6
                        + s.usage.outputTokens() * price.get().outputPerMillion() / 1e6;
            }
        }
        return total;
    }

    private String costText() {
        boolean priced = seats.values().stream().anyMatch(s -> s.config.model().price().isPresent());
        return priced ? String.format(Locale.ROOT, ", $%.4f", cost()) : "";
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }
}
