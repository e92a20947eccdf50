package dev.parley.conversation;

import dev.parley.archive.JournalEvent;
import dev.parley.config.HealthConfig;
import dev.parley.config.ModelConfig;
import dev.parley.config.ReplyConfig;
import dev.parley.core.Message;
import dev.parley.core.SeatId;
import dev.parley.model.ModelError;
import dev.parley.model.ModelReply;
import dev.parley.model.ModelRequest;
import dev.parley.model.ReplyListener;
import dev.parley.model.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The turns: choosing who speaks next, asking its model, showing complete paragraphs as they stream, cleaning the
 * reply (impersonation guard), typing time, journalling and posting it, then stop rules and health. Failures and
 * empty replies skip a turn (or pause, as configured). The turn in progress lives in one {@link TurnInProgress}.
 */
final class Turns {
    private static final Logger log = LoggerFactory.getLogger(Turns.class);

    private final EpisodeState s;
    private final TurnInProgress t = new TurnInProgress();
    private final Lifecycle life;
    private final ReplyGate gate;

    Turns(EpisodeState state, Lifecycle life) {
        this.s = state;
        this.life = life;
        this.gate = new ReplyGate(state, this);
    }

    TurnInProgress inProgress() {
        return t;
    }

    ReplyGate gate() {
        return gate;
    }

    /** Schedules the next turn, unless one is already on its way or the conversation is not running. */
    void nextTurn() {
        if (!s.is(EpisodeState.Phase.RUNNING) || t.busy()) {
            return;
        }
        Optional<SeatId> next = s.requestedNext.filter(id -> !s.seats.get(id).muted)
                .or(() -> s.policy.next(new TurnPolicy.Situation(List.copyOf(s.seats.keySet()), s.eligible(),
                        s.lastTurn, s.history.isEmpty() ? Optional.empty()
                        : Optional.of(s.history.get(s.history.size() - 1)), s.turns)));
        if (next.isEmpty()) {
            return;
        }
        Seat seat = s.seats.get(next.get());
        Runnable begin = () -> {
            t.turnTimer = null;
            if (s.is(EpisodeState.Phase.RUNNING) && !seat.muted) {
                s.requestedNext = Optional.empty();
                t.emptyRetried = false;
                t.gateRetried = false;
                ask(seat);
            } else {
                nextTurn();
            }
        };
        // The pause runs while the last message is being forced to disk; the model is asked once it is shown.
        t.turnTimer = s.loop.schedule(s.pacer.beforeTurn(), () -> {
            if (s.stage.showing()) {
                t.turnTimer = s.stage.whenShown(begin);
            } else {
                begin.run();
            }
        });
    }

    /** Drops a turn that is scheduled but not begun, and chooses again (after a human spoke, a !next, a mute). */
    void rechoose() {
        if (t.turnTimer != null) {
            t.turnTimer.cancel();
            t.turnTimer = null;
        }
        nextTurn();
    }

    void ask(Seat seat) {
        String system = seat.systemPrompt;
        if (seat.note != null) {
            // Read once, in this context only: a director's word, not part of the room.
            system = (system.isBlank() ? "" : system.strip() + "\n\n") + "A note from the director, for you only "
                    + "(do not mention it): " + seat.note;
            seat.note = null;
        }
        ModelRequest request = s.contextBuilder.build(
                new ContextBuilder.Self(seat.id(), seat.name(), system, seat.config.contextBudgetTokens()),
                s.seats.values().stream().map(Seat::name).toList(), s.history, s.openingLine);
        int epoch = t.beginCall(seat);
        s.typing(seat, true);
        Instant asked = s.clock.now();
        t.calling(seat.model.start(request, new ReplyListener() {
            @Override
            public void onDelta(String text) {
                // A remote check cannot run per paragraph on the loop: such a reply is checked whole, then shown.
                if (s.config.replies().streamParagraphs() && !s.filter.remote()) {
                    onTurn(epoch, () -> streaming(seat, text));
                }
            }

            @Override
            public void onRetry(ModelError cause, Duration delay) {
                onTurn(epoch, () -> retrying(seat, cause, asked));
            }

            @Override
            public void onReply(ModelReply reply) {
                onTurn(epoch, () -> replied(seat, reply, Duration.between(asked, s.clock.now())));
            }

            @Override
            public void onError(ModelError error) {
                onTurn(epoch, () -> failed(seat, error, Duration.between(asked, s.clock.now())));
            }
        }));
    }

    /** Runs a model callback on the loop, unless the call it belongs to was cancelled or replaced meanwhile. */
    void onTurn(int epoch, Runnable callback) {
        s.loop.execute(() -> {
            if (t.isCurrent(epoch)) {
                callback.run();
            }
        });
    }

    /**
     * A piece of a reply as it streams: complete paragraphs are shown at once (journalled first, as drafts).
     * Once a model starts speaking for someone else nothing more of it is shown; the call is still read to its
     * end, where the provider reports what it used (the reply is cut at the same place then, by ReplyGuard).
     * The stop sequences sent with the request usually end such a stream at once.
     */
    private void streaming(Seat seat, String delta) {
        if (t.impersonating) {
            return;
        }
        t.streamed.append(delta);
        String sofar = t.streamed.toString();
        List<String> others = s.otherNames(seat);
        if (ReplyGuard.firstImpersonation(sofar, others) > 0) {
            t.impersonating = true;
            return;
        }
        if (!s.is(EpisodeState.Phase.RUNNING)) {
            return;
        }
        String cleaned = ReplyGuard.clean(sofar, seat.name(), others);
        String before = t.paragraphs.shown(cleaned);
        Optional<String> ready = t.paragraphs.completed(cleaned);
        if (ready.isPresent() && gate.stopsStream(seat, before, ready.get())) {
            return;
        }
        ready.ifPresent(paragraph -> postDraft(seat, paragraph));
    }

    /** Shows one complete paragraph of a reply still streaming, journalled first as a draft. */
    void postDraft(Seat seat, String paragraph) {
        Stage.Recorded draft = s.stage.post(seq -> new JournalEvent.Draft(seq, s.clock.now(), seat.id().value(),
                paragraph), seat.id(), paragraph);
        s.ledger.draftPosted(draft.parcel());
    }

    /**
     * The provider starts the reply over (a cut stream, a retried timeout): the text so far is void. If some of it
     * was already shown, it cannot be unsaid: that part becomes the turn, rather than saying it twice.
     */
    private void retrying(Seat seat, ModelError cause, Instant asked) {
        log.info("{}: {}; the model call is retried", seat.name(), cause.message());
        if (!t.paragraphs.anyPosted()) {
            t.streamed.setLength(0);
            t.impersonating = false;
            return;
        }
        t.dropModelCall();
        replied(seat, new ModelReply(shownSoFar(seat), cause.usage(), "cut", true),
                Duration.between(asked, s.clock.now()));
    }

    String shownSoFar(Seat seat) {
        return t.shownSoFar(seat, s.otherNames(seat));
    }

    /** A finished reply goes through the gate (what the rooms have not seen of it) before anything else. */
    private void replied(Seat seat, ModelReply reply, Duration latency) {
        String text = ReplyGuard.clean(reply.text(), seat.name(), s.otherNames(seat));
        String unshown = t.paragraphs.anyPosted() ? t.paragraphs.rest(text) : text;
        gate.judge(seat, unshown, verdict -> {
            if (verdict.passes()) {
                accepted(seat, reply, latency);
            } else {
                gate.withhold(seat, reply.usage(), unshown,
                        t.paragraphs.anyPosted() ? t.paragraphs.shown(text) : null, verdict);
            }
        });
    }

    private void accepted(Seat seat, ModelReply reply, Duration latency) {
        t.callEnded();
        String text = ReplyGuard.clean(reply.text(), seat.name(), s.otherNames(seat));
        seat.usage = seat.usage.plus(reply.usage());
        if (text.isBlank() && !t.paragraphs.anyPosted()
                && s.config.replies().emptyReply() == ReplyConfig.EmptyReply.RETRY_THEN_SKIP) {
            if (!t.emptyRetried && s.is(EpisodeState.Phase.RUNNING)) {
                t.emptyRetried = true;
                ask(seat);
                return;
            }
            s.typing(seat, false);
            skipTurn(seat, "EMPTY", "empty reply", seat.name() + " gave an empty reply; skipping its turn.");
            return;
        }
        boolean partlyShown = t.paragraphs.anyPosted();
        String unshown = partlyShown ? t.paragraphs.rest(text) : text;
        t.pending = new TurnInProgress.Pending(seat, text, unshown, partlyShown, reply, latency);
        if (s.is(EpisodeState.Phase.RUNNING)) {
            t.postTimer = s.loop.schedule(s.pacer.typing(unshown), this::postPending);
        }
    }

    void postPending() {
        t.postTimer = null;
        if (!s.is(EpisodeState.Phase.RUNNING) || t.pending == null) {
            return;
        }
        TurnInProgress.Pending p = t.pending;
        t.pending = null;
        Seat seat = p.seat();
        Message message = new Message(seat.speaker, p.text(), s.clock.now());
        ModelConfig mc = seat.config.model();
        Usage u = p.reply().usage();
        int turn = ++s.turns;
        s.typing(seat, false);
        String shown = p.partlyShown() && p.unshown().isBlank() ? null : p.unshown();
        Stage.Recorded said = s.stage.post(seq -> new JournalEvent.Said(seq, message.at(), seat.name(),
                JournalEvent.Said.MODEL, seat.id().value(), p.text(), turn, mc.provider(), mc.model(),
                p.latency().toMillis(), u.inputTokens(), u.outputTokens(), u.cachedInputTokens(), null),
                seat.id(), shown);
        s.history.add(message);
        s.ledger.said(said.event(), message, said.parcel());
        seat.keepModel();
        s.lastTurn = Optional.of(seat.id());
        s.consecutiveFailures = 0;
        afterMessage(message);
    }

    void afterMessage(Message message) {
        Optional<HealthVerdict> unhealthy = s.health.observe(message);
        if (unhealthy.isPresent()) {
            HealthVerdict v = unhealthy.get();
            HealthConfig.Action action = s.config.health().action();
            s.stage.record(seq -> new JournalEvent.Health(seq, s.clock.now(), v.rule(), v.sentence(), v.figures(),
                    action.name().toLowerCase(Locale.ROOT)));
            switch (action) {
                case STOP -> {
                    life.end("the health monitor stopped it: " + v.sentence());
                    return;
                }
                case PAUSE -> {
                    s.health.reset();
                    life.pause(EpisodeState.SYSTEM, "by the health monitor: " + v.sentence());
                    return;
                }
                case NOTICE -> {
                    s.health.reset();
                    s.stage.announce("Health monitor: " + v.sentence() + ".");
                }
            }
        }
        Optional<String> stop = s.stopRules.check(s.progress(message.text()));
        if (stop.isPresent()) {
            life.end(stop.get());
        } else {
            nextTurn();
        }
    }

    private void failed(Seat seat, ModelError error, Duration latency) {
        if (t.impersonating && error.hasPartialText()) {
            // What came before the impersonation was a whole reply; only the part nobody should see failed.
            replied(seat, new ModelReply(error.partialText(), error.usage(), "impersonation", true), latency);
            return;
        }
        t.callEnded();
        s.typing(seat, false);
        seat.usage = seat.usage.plus(error.usage());
        if (t.paragraphs.anyPosted()) {
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
                        + " — seat muted (an operator can " + s.prefix() + "unmute " + seat.id() + ").");
            }
            case TIMEOUT -> skipTurn(seat, error.kind().name(), error.message(),
                    seat.name() + " " + error.message() + "; skipping its turn.");
            default -> skipTurn(seat, error.kind().name(), error.message(),
                    seat.name() + " failed: " + error.message() + "; skipping its turn.");
        }
    }

    /** A turn that produced nothing to post: say so, count it, and go on or pause as configured. */
    private void skipTurn(Seat seat, String kind, String what, String notice) {
        s.consecutiveFailures++;
        s.lastTurn = Optional.of(seat.id());
        String action = seat.muted ? "muted" : "skipped";
        s.stage.record(seq -> new JournalEvent.Failure(seq, s.clock.now(), seat.id().value(), kind, what, action));
        s.stage.announce(notice);
        Optional<String> stop = s.stopRules.check(s.progress(null));
        if (stop.isPresent()) {
            life.end(stop.get());
        } else if (s.config.replies().onFailure() == ReplyConfig.OnFailure.PAUSE && !"EMPTY".equals(kind)) {
            life.pause(EpisodeState.SYSTEM, "because " + seat.name() + " failed");
        } else if (s.seats.values().stream().allMatch(x -> x.broken)) {
            // Nobody can speak and nobody chose this: waiting would keep the rooms (and the daemon) hanging forever.
            life.end("no seat can speak: every model failed for good");
        } else {
            goOnUnlessAllMuted();
        }
    }

    /** The next turn, or one notice when every seat is muted (an operator must unmute one). */
    void goOnUnlessAllMuted() {
        if (s.eligible().isEmpty()) {
            s.stage.announce("Every seat is muted; " + s.prefix() + "unmute one to go on.");
        } else {
            nextTurn();
        }
    }

    /** A reply cut short after some of its paragraphs were shown (a stop, a crash): those are its message. */
    void recordShown(Seat seat, String shown) {
        recordShown(seat, shown, null);
    }

    /** {@code usage}: what the cut call used, journalled with the message; null when unknown. */
    void recordShown(Seat seat, String shown, Usage usage) {
        int turn = ++s.turns;
        s.lastTurn = Optional.of(seat.id());
        ModelConfig mc = seat.config.model();
        Instant now = s.clock.now();
        Long in = usage == null ? null : usage.inputTokens();
        Long out = usage == null ? null : usage.outputTokens();
        Long cached = usage == null ? null : usage.cachedInputTokens();
        long said = s.stage.record(seq -> new JournalEvent.Said(seq, now, seat.name(), JournalEvent.Said.MODEL,
                seat.id().value(), shown, turn, mc.provider(), mc.model(), null, in, out, cached, null));
        Message message = new Message(seat.speaker, shown, now);
        s.history.add(message);
        s.ledger.said(said, message, 0);
    }

    /**
     * Drops the turn in progress: its reply was built on a context an operator just changed. What the rooms
     * already saw of it stays, as its message; the rest is never shown.
     */
    void dropTurn() {
        t.cancelTimers();
        if (t.generating != null) {
            Seat seat = t.generating;
            t.dropModelCall();
            t.callEnded();
            s.typing(seat, false);
            if (t.paragraphs.anyPosted()) {
                recordShown(seat, shownSoFar(seat));
            }
        } else if (t.pending != null) {
            s.typing(t.pending.seat(), false);
            if (t.pending.partlyShown()) {
                recordShown(t.pending.seat(), t.paragraphs.shown(t.pending.text()));
            }
        }
        t.pending = null;
        s.ledger.dropDrafts();
        t.clearStream();
    }

    /** Whether {@code seat} is speaking now: generating, or its reply waits to be posted. */
    boolean isTurnOf(Seat seat) {
        return t.generating == seat || t.pending != null && t.pending.seat() == seat;
    }

    /** At the end: what the rooms saw of the turn in progress stays as its message; the rest is never said. */
    void keepWhatWasShown() {
        if (t.generating != null) {
            s.typing(t.generating, false);
            if (t.paragraphs.anyPosted()) {
                recordShown(t.generating, shownSoFar(t.generating));
            }
        } else if (t.pending != null && t.pending.partlyShown()) {
            // Typed out or held, with some paragraphs already seen: those stay; the rest is never said.
            recordShown(t.pending.seat(), t.paragraphs.shown(t.pending.text()));
        }
    }

    /** Forgets the turn in progress without a word (after the end, or a suspension). */
    void forget(boolean stopTyping) {
        if (stopTyping && t.generating != null) {
            s.typing(t.generating, false);
        }
        t.generating = null;
        t.pending = null;
    }
}
