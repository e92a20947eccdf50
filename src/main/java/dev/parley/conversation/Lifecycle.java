package dev.parley.conversation;

import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalException;
import dev.parley.conversation.EpisodeState.Phase;
import dev.parley.room.Room;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the episode stands and how it moves: waiting for seats or for {@code !start}, running, paused, ended, or
 * suspended when its journal cannot be written. {@code !pause} takes effect at once: a reply being generated or
 * typed is <em>held</em> and posted first thing after {@code !resume}, so nothing is lost and nothing said twice.
 */
final class Lifecycle {
    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

    private final EpisodeState s;
    private final Conversation.Archivist archivist;
    private final CompletableFuture<String> stopped;
    private Turns turns;
    /** While a command is being answered: what it caused, to be shown after its answer. Null otherwise. */
    private List<Runnable> afterAnswer;

    Lifecycle(EpisodeState state, Conversation.Archivist archivist, CompletableFuture<String> stopped) {
        this.s = state;
        this.archivist = archivist;
        this.stopped = stopped;
    }

    /** The turns this lifecycle starts, holds and ends; set once, right after both are made. */
    void drive(Turns driven) {
        this.turns = driven;
    }

    boolean isRunning() {
        return s.is(Phase.RUNNING);
    }

    boolean isPaused() {
        return s.is(Phase.PAUSED);
    }

    boolean isEnded() {
        return s.is(Phase.STOPPED);
    }

    boolean isWaitingForStart() {
        return s.is(Phase.WAITING_FOR_START);
    }

    String stateName() {
        return s.phase.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** Every seat is in (or the wait is over): run, unless an operator is to {@code !start} it. */
    void begin() {
        if (!s.is(Phase.WAITING_FOR_SEATS)) {
            return;
        }
        if (!s.config.autoStart() && !s.resumed) {
            s.phase = Phase.WAITING_FOR_START;
            s.stage.announce("Ready: " + s.title() + ". An operator starts it with " + s.prefix()
                    + "start [opening line].");
            return;
        }
        if (s.pauseAcrossRestart.isPresent()) {
            pickUpPaused(s.pauseAcrossRestart.get());
            return;
        }
        run();
    }

    private void run() {
        s.phase = Phase.RUNNING;
        s.stage.announce(s.resumed ? "Picking up " + which() + s.title() + " at turn " + s.turns + "."
                : "Starting " + which() + s.title() + ".");
        armTimeLimit();
        turns.nextTurn();
    }

    /** An operator's (or the health monitor's) pause outlives a restart: nothing is said until it is lifted. */
    private void pickUpPaused(JournalEvent.Pause pause) {
        s.phase = Phase.PAUSED;
        s.stage.announce("Picking up " + which() + s.title() + " at turn " + s.turns + ", still paused " + pause.reason()
                + "; " + s.prefix() + "resume goes on.");
        armTimeLimit();
    }

    private String which() {
        return s.episode > 0 ? "episode " + s.episode + ": " : "";
    }

    private void armTimeLimit() {
        Duration limit = s.stopRules.maxDuration();
        if (!limit.isZero()) {
            Duration left = limit.minus(Duration.between(s.startedAt, s.clock.now()));
            s.loop.schedule(left.isNegative() ? Duration.ZERO : left,
                    () -> end("reached the time limit of " + limit.toMinutes() + " min"));
        }
    }

    void startWith(Optional<String> opening) {
        opening.ifPresent(o -> s.openingLine = Optional.of(o));
        run();
    }

    /** Pauses at once; {@code why} completes "Paused ...": "by kate", "while Basil is away from #parley". */
    void pause(String by, String why) {
        if (!s.is(Phase.RUNNING)) {
            return;
        }
        if (!EpisodeState.SYSTEM.equals(by)) {
            s.pausedForAbsence = false;
        }
        s.phase = Phase.PAUSED;
        turns.inProgress().cancelTimers();
        s.stage.record(seq -> new JournalEvent.Pause(seq, s.clock.now(), by, why));
        s.stage.announceExcept(s.commandOrigin, "Paused " + why + ".");
    }

    void resume(String by) {
        if (!s.is(Phase.PAUSED)) {
            return;
        }
        s.pausedForAbsence = false;
        s.phase = Phase.RUNNING;
        s.health.reset();
        s.stage.record(seq -> new JournalEvent.Resume(seq, s.clock.now(), by));
        s.stage.announceExcept(s.commandOrigin, "Resumed" + (EpisodeState.SYSTEM.equals(by) ? "" : " by " + by)
                + ".");
        afterTheAnswer(() -> {
            if (turns.inProgress().pending != null) {
                turns.postPending();
            } else {
                turns.nextTurn();
            }
        });
    }

    /** A command from {@code origin} is being answered: what it causes waits for the answer ({@link #answered}). */
    void answering(Room origin) {
        s.commandOrigin = origin;
        afterAnswer = new ArrayList<>();
    }

    /** The command's answer is out (or there was none): what it caused happens now. */
    void answered() {
        s.commandOrigin = null;
        List<Runnable> caused = afterAnswer;
        afterAnswer = null;
        caused.forEach(Runnable::run);
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

    void limitTurns(int limit) {
        s.stopRules.setMaxTurns(limit);
        if (!s.is(Phase.STOPPED) && s.turns >= limit) {
            end("reached the limit of " + limit + " turns");
        }
    }

    String writeTranscript() {
        s.stage.flush();
        return archivist.writeTranscript(s.stage.events());
    }

    String statusLine() {
        Seat generating = turns.inProgress().generating;
        String where = switch (s.phase) {
            case WAITING_FOR_SEATS -> "waiting for " + String.join(", ", s.attendance.missing());
            case WAITING_FOR_START -> "waiting for " + s.prefix() + "start";
            case RUNNING -> generating != null ? generating.name() + " is thinking" : "running";
            case PAUSED -> "paused";
            case STOPPED -> "ended";
        };
        String limit = s.stopRules.maxTurns() > 0 ? " of " + s.stopRules.maxTurns() : "";
        String muted = s.seats.values().stream().filter(x -> x.muted).map(Seat::name)
                .collect(Collectors.joining(", "));
        boolean priced = s.seats.values().stream().anyMatch(x -> x.config.model().price().isPresent());
        return (s.episode > 0 ? "Episode " + s.episode + ", " : "") + s.title() + ": " + where + ", turn " + s.turns
                + limit + ", pace " + s.pacer.describe()
                + ", " + s.totalUsage().total() + " tokens"
                + (priced ? String.format(Locale.ROOT, ", $%.4f", s.cost()) : "")
                + (muted.isEmpty() ? "" : ", muted: " + muted)
                + (s.filter.isOn() ? "" : ", filter off")
                + s.stage.rooms().stream().map(Room::status).filter(r -> !r.isEmpty()).map(r -> "; " + r)
                        .collect(Collectors.joining());
    }

    /**
     * Ends the conversation: stop journalled with its reason, rooms told, transcript written. Nothing more happens
     * from here on; what it says in the rooms waits for the answer to the command that ended it, if one did.
     */
    void end(String reason) {
        if (s.is(Phase.STOPPED)) {
            return;
        }
        halt();
        afterTheAnswer(() -> finish(reason));
    }

    /** The rest of {@link #end}: keep what was shown, journal and say the stop, write the transcript. */
    private void finish(String reason) {
        try {
            endRecorded(reason);
            s.stage.flush(); // the transcript is written from the journal: all of it must be there
        } catch (JournalException e) {
            suspend(e);
            return;
        }
        String where;
        try {
            where = writeTranscript();
        } catch (RuntimeException e) {
            log.error("could not write the transcript of {}", s.config.id(), e);
            where = "(transcript not written: " + e.getMessage() + ")";
        }
        log.info("{} ended: {}; transcript {}", s.config.id(), reason, where);
        stopped.complete(reason);
    }

    /** Nothing more happens: no model call, no timer. */
    private void halt() {
        s.phase = Phase.STOPPED;
        turns.inProgress().halt();
    }

    /**
     * Journals the end. Each step is best-effort: whatever fails (a broken room, a bug), the conversation must
     * end; only a journal that cannot be written stops it short, as a suspension.
     */
    private void endRecorded(String reason) {
        bestEffort("keep what was shown", turns::keepWhatWasShown);
        turns.forget(false);
        bestEffort("journal the stop", () -> s.stage.record(seq -> new JournalEvent.Stop(seq, s.clock.now(),
                reason)));
        bestEffort("tell the rooms", () -> s.stage.announce("Conversation ended: " + reason + "."));
    }

    /**
     * The journal cannot be written (a full disk, a read-only mount, an I/O error): nothing more may be shown,
     * since nothing more can be journalled. The rooms get one notice, the only one not journalled; no transcript
     * is written (the journal has no end); {@link Conversation#stopped} fails with the reason. A later start resumes.
     */
    private void suspend(JournalException failure) {
        halt();
        turns.forget(true);
        Throwable cause = failure;
        while (cause.getCause() != null && !(cause instanceof java.io.IOException)) {
            cause = cause.getCause();
        }
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        log.info("{}: suspended, its journal cannot be written: {}", s.config.id(), failure.getMessage());
        for (Room room : s.stage.rooms()) {
            try {
                room.notice("This conversation is suspended: parley cannot write its archive (" + why
                        + "). Nothing more is said until parley is started again with room to write.");
            } catch (RuntimeException e) {
                log.debug("{}: suspension notice not given", room.name(), e);
            }
        }
        stopped.completeExceptionally(new JournalException(s.config.id() + " is suspended, its archive cannot be "
                + "written: " + failure.getMessage(), failure));
    }

    /**
     * A task on the loop threw: a bug, or a journal that cannot be written. Going on could lose or repeat things.
     * Returns whether the failure was expected (the journal): the user is told, no stack trace needed.
     */
    boolean brokeDown(Throwable failure) {
        if (failure instanceof JournalException j) {
            if (!s.is(Phase.STOPPED)) {
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
            log.error("{}: could not {} while ending", s.config.id(), what, e);
        }
    }
}
