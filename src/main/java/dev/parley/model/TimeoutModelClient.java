package dev.parley.model;

import dev.parley.core.Cancellable;
import dev.parley.core.Scheduler;
import java.time.Duration;

/**
 * Puts the first-token and whole-reply timeouts around any provider, on the {@link Scheduler} (so tests run them
 * in virtual time): a silent model can never stall a room. On timeout the call is cancelled and reported as
 * {@code TIMEOUT}, with the text streamed so far when the reply timeout cut it short, and with what the call used:
 * the provider's counts so far ({@link Metered}), the output estimated from that text. A zero or absent duration
 * disables that timeout.
 */
public final class TimeoutModelClient implements ModelClient {
    private final ModelClient inner;
    private final Scheduler scheduler;
    private final Duration firstToken;
    private final Duration reply;

    public TimeoutModelClient(ModelClient inner, Scheduler scheduler, Duration firstToken, Duration reply) {
        this.inner = inner;
        this.scheduler = scheduler;
        this.firstToken = firstToken;
        this.reply = reply;
    }

    @Override
    public Cancellable start(ModelRequest request, ReplyListener listener) {
        return new Call(listener).start(request);
    }

    @Override
    public String describe() {
        return inner.describe();
    }

    @Override
    public void close() {
        inner.close();
    }

    /** "120 s", "2.5 s": how long a seat was given, for the room notice. */
    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static boolean enabled(Duration d) {
        return d != null && !d.isZero() && !d.isNegative();
    }

    private final class Call implements ReplyListener, Cancellable {
        private final CallGuard guard;
        private volatile Cancellable innerCall = Cancellable.NONE;
        private volatile Cancellable firstTimer = Cancellable.NONE;
        private volatile Cancellable replyTimer = Cancellable.NONE;

        Call(ReplyListener listener) {
            this.guard = new CallGuard(listener);
        }

        Call start(ModelRequest request) {
            if (enabled(firstToken)) {
                firstTimer = scheduler.schedule(firstToken,
                        () -> timeOut("did not answer in " + seconds(firstToken), true));
            }
            if (enabled(reply)) {
                replyTimer = scheduler.schedule(reply,
                        () -> timeOut("did not finish its reply in " + seconds(reply), false));
            }
            innerCall = inner.start(request, this);
            if (guard.isClosed()) {
                innerCall.cancel(); // timed out or cancelled while starting
            }
            return this;
        }

        /**
         * Reports the timeout, then cancels the provider call. The check and the report hold the guard's lock, so a
         * token arriving at the deadline either wins or loses whole; the cancel happens after the lock is released,
         * because the provider delivers deltas holding its own lock and then takes ours (the other order deadlocks).
         */
        private void timeOut(String message, boolean onlyIfSilent) {
            // Asked before taking our lock: the provider's lock must never be taken inside ours (see above).
            Cancellable call = innerCall;
            Usage reported = call instanceof Metered m ? m.usageSoFar() : null;
            synchronized (guard) {
                if (guard.isClosed() || (onlyIfSilent && guard.hasText())) {
                    return;
                }
                String text = guard.textSoFar();
                ModelError e = ModelError.of(ModelError.Kind.TIMEOUT, message).withPartialText(text);
                guard.error(reported == null ? e : e.withUsage(reported.withOutputAtLeast(text)));
            }
            stopTimers();
            innerCall.cancel();
        }

        private void stopTimers() {
            firstTimer.cancel();
            replyTimer.cancel();
        }

        @Override
        public void onDelta(String text) {
            guard.delta(text);
            if (guard.hasText()) {
                firstTimer.cancel();
            }
        }

        @Override
        public void onRetry(ModelError cause, Duration delay) {
            guard.retry(cause, delay);
        }

        @Override
        public void onReply(ModelReply r) {
            stopTimers();
            guard.reply(r);
        }

        @Override
        public void onError(ModelError e) {
            stopTimers();
            guard.error(e);
        }

        @Override
        public void cancel() {
            guard.close();
            stopTimers();
            innerCall.cancel();
        }
    }
}
