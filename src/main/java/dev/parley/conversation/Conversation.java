package dev.parley.conversation;

import dev.parley.archive.Journal;
import dev.parley.archive.JournalEvent;
import dev.parley.command.Control;
import dev.parley.config.ConversationConfig;
import dev.parley.config.SeatConfig;
import dev.parley.core.EventLoop;
import dev.parley.core.Message;
import dev.parley.core.Scheduler;
import dev.parley.core.SeatId;
import dev.parley.core.Speaker;
import dev.parley.gate.Candidate;
import dev.parley.gate.Verdict;
import dev.parley.model.ModelClient;
import dev.parley.room.Inbound;
import dev.parley.room.Room;
import dev.parley.room.RoomListener;
import java.time.Duration;
import java.util.List;
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
 * <p>This class is the façade: it opens the rooms, resumes from the journal, hears humans and hands their commands
 * to {@link Moderation}. The parts it wires each have one job: {@link Turns} (a turn goes: pause before it →
 * the model generates, complete paragraphs shown as they stream → the reply is cleaned → typing time → journal →
 * posted to every room → stop rules and health → next turn), {@link ReplyGate} (the moderation gate on a turn),
 * {@link Steering} (operators' retry, retract, notes, swaps, guests) and {@link Lifecycle} (start, pause, resume,
 * end, suspension). They share one {@link EpisodeState}.
 */
public final class Conversation {
    private static final Logger log = LoggerFactory.getLogger(Conversation.class);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);

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

    private final EpisodeState s;
    private final CommandHandler commands;
    private final Control moderation;
    private final CompletableFuture<String> stopped = new CompletableFuture<>();
    private final Lifecycle life;
    private final Turns turns;
    private final Steering steering;

    public Conversation(ConversationConfig config, Map<SeatId, ModelClient> models, List<Room> rooms,
                        Journal journal, Scheduler scheduler, RandomGenerator random,
                        CommandHandler commands, Archivist archivist) {
        this.s = new EpisodeState(config, models, rooms, journal, scheduler,
                new EventLoop(scheduler, this::brokeDown), random);
        this.commands = commands;
        this.life = new Lifecycle(s, archivist, stopped);
        this.turns = new Turns(s, life);
        life.drive(turns);
        this.steering = new Steering(s, turns);
        this.moderation = new Moderation(s, life, steering, turns.gate());
    }

    public String id() {
        return s.config.id();
    }

    /** Completes with the reason once the conversation has stopped and its transcript is written. */
    public CompletableFuture<String> stopped() {
        return stopped;
    }

    /** Replaces the configured turn policy (a replay follows its transcript's order); call before {@link #start}. */
    public void useTurnPolicy(TurnPolicy custom) {
        s.policy = custom;
        s.customPolicy = true;
    }

    /**
     * The seats an operator may {@code !invite} (the roster, of which this conversation's seats are the cast), and
     * how to reach models for invited seats and for {@code !model}; call before {@link #start}.
     */
    public void useRoster(List<SeatConfig> rosterSeats, SeatModels models) {
        s.roster = List.copyOf(rosterSeats);
        s.seatModels = models;
    }

    /** Numbers this conversation as episode {@code number} of its series, on {@code topic}; call before start. */
    public void asEpisode(int number, Optional<String> seriesTopic) {
        s.episode = number;
        s.topic = seriesTopic;
    }

    /** Starts (or, when the journal already has events, resumes) the conversation. Returns at once. */
    public void start() {
        s.loop.execute(this::open);
    }

    /** Stops from outside the loop (daemon shutdown); safe from any thread. */
    public void shutdown(String reason) {
        s.loop.execute(() -> life.end(reason));
    }

    /** Runs {@code task} on the conversation's loop, after what is already queued there; safe from any thread. */
    public void onLoop(Runnable task) {
        s.loop.execute(task);
    }

    /** The loop's failure handler; the field is set before the loop runs anything. */
    private boolean brokeDown(Throwable failure) {
        return life.brokeDown(failure);
    }

    // ---- start-up ---------------------------------------------------------------------------------------

    private void open() {
        List<JournalEvent> past = s.stage.events();
        if (past.isEmpty()) {
            s.startedAt = s.clock.now();
            s.stage.record(seq -> new JournalEvent.Start(seq, s.startedAt, s.config.id(), s.seats.values().stream()
                    .map(x -> new JournalEvent.SeatInfo(x.id().value(), x.name(), x.config.model().provider(),
                            x.config.model().model(), x.systemPrompt))
                    .toList(), s.stage.rooms().stream().map(Room::name).toList(), s.episode > 0 ? s.episode : null,
                    s.topic.orElse(null), s.openingLine.orElse(null)));
        } else {
            resumeFrom(Resumption.of(past, s.seats.values().stream()
                    .collect(Collectors.toMap(Seat::id, x -> x.speaker))));
            turns.gate().restore(past);
        }
        for (Room room : s.stage.rooms()) {
            s.attendance.watch(room);
            room.open(listenerFor(room));
        }
        s.loop.schedule(JOIN_TIMEOUT, () -> {
            if (s.is(EpisodeState.Phase.WAITING_FOR_SEATS)) {
                s.stage.announce("Starting without " + String.join(", ", s.attendance.missing())
                        + ": not in the room after " + JOIN_TIMEOUT.toSeconds() + " s.");
                life.begin();
            }
        });
    }

    /** Picks up from a journal written before a restart: same history, the turn count goes on. */
    private void resumeFrom(Resumption r) {
        s.resumed = true;
        // What the rooms had not shown yet when the process died goes out first, before anything new.
        s.stage.redeliver();
        s.stage.continueAfter(r.lastSeq());
        s.startedAt = r.startedAt() != null ? r.startedAt() : s.clock.now();
        r.history().forEach(e -> {
            s.history.add(e.message());
            s.ledger.restored(e.seq(), e.message(), e.refs());
        });
        s.turns = r.turns();
        s.lastTurn = r.lastTurn();
        r.usage().forEach((id, u) -> s.seats.get(id).usage = u);
        steering.restore(r.steering());
        s.pauseAcrossRestart = r.pause();
        s.stage.record(seq -> new JournalEvent.Restart(seq, s.clock.now()));
        // The daemon died while these replies streamed: the paragraphs the rooms saw become their messages.
        r.unfinished().forEach((id, drafts) -> {
            drafts.forEach(d -> s.ledger.draftPosted(r.parcelOf(d.seq())));
            turns.recordShown(s.seats.get(id),
                    String.join("\n\n", drafts.stream().map(JournalEvent.Draft::text).toList()));
        });
    }

    private RoomListener listenerFor(Room room) {
        return new RoomListener() {
            @Override
            public void onHuman(Inbound message) {
                s.loop.execute(() -> human(room, message));
            }

            @Override
            public void onSeatPresence(SeatId seat, boolean isPresent) {
                s.loop.execute(() -> presence(room, seat, isPresent));
            }

            @Override
            public void onRoomProblem(String problem) {
                s.loop.execute(() -> {
                    log.warn("{}: {}", room.name(), problem);
                    s.stage.announce(room.name() + ": " + problem);
                });
            }
        };
    }

    private void presence(Room room, SeatId seat, boolean isPresent) {
        if (!s.attendance.update(room, seat, isPresent)) {
            return;
        }
        boolean all = s.attendance.everyoneIn();
        Seat guest = s.seats.get(seat);
        if (guest.joining && s.attendance.isIn(seat)) {
            guest.joining = false;
            s.stage.announce(guest.name() + " has joined.");
            turns.rechoose();
            return;
        }
        if (guest.joining) {
            return;
        }
        if (s.is(EpisodeState.Phase.WAITING_FOR_SEATS) && all) {
            life.begin();
        } else if (s.is(EpisodeState.Phase.RUNNING) && !isPresent) {
            s.pausedForAbsence = true;
            life.pause(EpisodeState.SYSTEM, JournalEvent.Pause.WHILE_AWAY + s.seats.get(seat).name() + " is away from " + room.name());
        } else if (s.is(EpisodeState.Phase.PAUSED) && s.pausedForAbsence && all) {
            s.pausedForAbsence = false;
            life.resume(EpisodeState.SYSTEM);
        }
    }

    // ---- humans -----------------------------------------------------------------------------------------

    private void human(Room origin, Inbound in) {
        life.answering(origin);
        try {
            Optional<String> answer = commands.handle(in.sender(), in.operator(), in.text(), moderation);
            if (answer.isPresent()) {
                s.stage.answer(seq -> new JournalEvent.Command(seq, s.clock.now(), in.sender(), origin.name(),
                        in.text(), in.operator(), answer.get()), origin, answer.get());
                return;
            }
        } finally {
            life.answered();
        }
        if (in.direct() || s.is(EpisodeState.Phase.STOPPED)) {
            return;
        }
        String text = in.action() ? "/me " + in.text() : in.text();
        Message message = new Message(Speaker.human(in.sender()), text, s.clock.now());
        long said = s.stage.relay(seq -> new JournalEvent.Said(seq, message.at(), in.sender(),
                JournalEvent.Said.HUMAN, null, text, null, null, null, null, null, null, null, origin.name()),
                origin, in.sender(), text);
        Optional<Verdict> kept = s.filter.keptFromModels(new Candidate(in.sender(), text, Set.of()));
        if (kept.isPresent()) {
            s.stage.record(seq -> new JournalEvent.Withheld(seq, s.clock.now(), null, in.sender(), null,
                    kept.get().rule(), kept.get().detail(), JournalEvent.Withheld.KEPT_FROM_MODELS));
        } else {
            s.history.add(message);
        }
        s.ledger.heard(said, message);
        s.health.observe(message);
        // Someone stepped in before the next seat began: let the policy look again (they may have named a seat).
        turns.rechoose();
    }
}
