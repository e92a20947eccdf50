package dev.parley.conversation;

import dev.parley.archive.Journal;
import dev.parley.archive.JournalEvent;
import dev.parley.config.ConversationConfig;
import dev.parley.config.SeatConfig;
import dev.parley.core.EventLoop;
import dev.parley.core.Scheduler;
import dev.parley.core.SeatId;
import dev.parley.gate.Filter;
import dev.parley.model.ModelClient;
import dev.parley.model.Usage;
import dev.parley.room.Room;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * What the parts of one conversation share: its seats, what was said, the counts and where the episode stands.
 * Touched only on the conversation's loop, by {@link Conversation}, {@link Turns}, {@link ReplyGate},
 * {@link Steering} and {@link Lifecycle}; it holds no behaviour of its own beyond reading itself.
 */
final class EpisodeState {
    /** Who pauses or resumes when no human did (an absent seat, the health monitor). */
    static final String SYSTEM = "parley";

    enum Phase { WAITING_FOR_SEATS, WAITING_FOR_START, RUNNING, PAUSED, STOPPED }

    final ConversationConfig config;
    final EventLoop loop;
    final Scheduler clock;
    final Stage stage;
    final Map<SeatId, Seat> seats = new LinkedHashMap<>();
    /** Seats dismissed during the episode: out of the room, but their usage counts. */
    final List<Seat> departed = new ArrayList<>();
    final History history;
    final Ledger ledger = new Ledger();
    final Attendance attendance;
    final ContextBuilder contextBuilder;
    final Pacer pacer;
    final StopRules stopRules;
    final HealthMonitor health;
    /** The moderation gate of this episode: nothing a model says reaches a room before it passes. */
    final Filter filter;
    private final RandomGenerator random;

    TurnPolicy policy;
    boolean customPolicy;
    /** Seats that may be invited, and how to reach models for them (none: this conversation takes no guests). */
    List<SeatConfig> roster;
    SeatModels seatModels;
    int episode;
    Optional<String> topic = Optional.empty();
    Optional<String> openingLine;

    Phase phase = Phase.WAITING_FOR_SEATS;
    Instant startedAt;
    int turns;
    int consecutiveFailures;
    Optional<SeatId> lastTurn = Optional.empty();
    Optional<SeatId> requestedNext = Optional.empty();
    boolean pausedForAbsence;
    /** Resumed from a journal whose last pause nobody lifted: the episode picks up paused. */
    Optional<JournalEvent.Pause> pauseAcrossRestart = Optional.empty();
    boolean resumed;
    /** The room whose command is being answered; null otherwise. */
    Room commandOrigin;

    EpisodeState(ConversationConfig config, Map<SeatId, ModelClient> models, List<Room> rooms,
                 Journal journal, Scheduler scheduler, EventLoop loop, RandomGenerator random) {
        this.config = config;
        this.random = random;
        this.roster = config.seats();
        this.loop = loop;
        this.clock = scheduler;
        this.stage = new Stage(config.id(), journal, rooms, scheduler, loop);
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
        this.history = contextBuilder.newHistory();
        this.policy = configuredPolicy();
        this.pacer = new Pacer(config.pacing(), random);
        this.stopRules = new StopRules(config.stop());
        this.health = new HealthMonitor(config.health());
        this.filter = Filter.of(config.moderation());
    }

    boolean is(Phase p) {
        return phase == p;
    }

    String prefix() {
        return config.commands().prefix();
    }

    Set<SeatId> eligible() {
        return seats.values().stream().filter(s -> !s.muted && !s.joining).map(Seat::id).collect(Collectors.toSet());
    }

    Optional<Seat> find(String ref) {
        return seats.values().stream().filter(s -> s.answersTo(ref)).findFirst();
    }

    List<Seat> seatList() {
        return List.copyOf(seats.values());
    }

    void typing(Seat seat, boolean on) {
        if (config.pacing().showTyping()) {
            stage.typing(seat.id(), on);
        }
    }

    /** The names a seat must not speak as: the other seats and every human heard so far. */
    List<String> otherNames(Seat seat) {
        // Asked several times a turn and for each streamed piece of a reply: a plain loop, no set or stream.
        List<String> names = new ArrayList<>(seats.size() + history.humans().size());
        for (Seat other : seats.values()) {
            if (other != seat && !names.contains(other.name())) {
                names.add(other.name());
            }
        }
        int seatNames = names.size();
        for (String human : history.humans()) { // distinct already; only a seat's name may repeat
            if (!amongFirst(names, seatNames, human)) {
                names.add(human);
            }
        }
        return Collections.unmodifiableList(names);
    }

    private static boolean amongFirst(List<String> names, int count, String name) {
        for (int i = 0; i < count; i++) {
            if (names.get(i).equals(name)) {
                return true;
            }
        }
        return false;
    }

    String title() {
        return seats.values().stream().map(Seat::name).collect(Collectors.joining(" ↔ "));
    }

    /** Everyone who played this episode so far, dismissed seats too: their tokens were spent all the same. */
    private List<Seat> everyone() {
        List<Seat> all = new ArrayList<>(seats.values());
        all.addAll(departed);
        return all;
    }

    Usage totalUsage() {
        return everyone().stream().map(s -> s.usage).reduce(Usage.NONE, Usage::plus);
    }

    double cost() {
        return everyone().stream().mapToDouble(Seat::cost).sum();
    }

    StopRules.Progress progress(String lastModelText) {
        return new StopRules.Progress(turns, lastModelText, consecutiveFailures, totalUsage().total(), cost());
    }

    TurnPolicy configuredPolicy() {
        return TurnPolicy.of(config.turnPolicy(), random, seats.values().stream()
                .map(s -> new TurnPolicy.SeatNames(s.id(), s.names())).toList());
    }
}
