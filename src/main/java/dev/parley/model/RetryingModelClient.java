package dev.parley.model;

import dev.parley.config.ModelConfig;
import dev.parley.config.ReplyConfig;
import dev.parley.core.Backoff;
import dev.parley.core.Cancellable;
import dev.parley.core.Scheduler;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Retries a provider's passing failures, waiting on the {@link Scheduler} (never sleeping):
 * <ul>
 * <li>RATE_LIMITED and TRANSIENT are tried again, up to {@code retry.maxAttempts} attempts in all. PERMANENT
 *     never is, and neither is a TIMEOUT: the timeouts bound how long a room waits for a seat, and retrying a silent
 *     model would multiply that wait; the engine tells the room and moves on.</li>
 * <li>The wait is the server's Retry-After when it gave one, else exponential backoff from {@code baseDelay}
 *     (doubling per attempt, capped at {@code maxDelay}) with "equal jitter": half fixed, half random, so that
 *     seats that failed together do not retry together. A Retry-After longer than {@code maxDelay} is not waited
 *     for: the error goes to the engine at once, with {@code retryAfter} set, so a room is never stalled for an hour.</li>
 * <li>A stream cut mid-reply (an error carrying partial text) follows the {@code streamCut} policy: RETRY tries
 *     once more from the start (only once per call), KEEP delivers the partial text as a
 *     {@code ModelReply(partial=true)}. A reply that timed out mid-way is kept under KEEP and reported as
 *     TIMEOUT under RETRY: a model that was too slow once will likely be too slow again.</li>
 * </ul>
 * Before each retry the listener hears {@link ReplyListener#onRetry}; cancel stops the call and any pending retry.
 * What failed attempts used is added to the usage of the call's end, so every attempt that was paid for is counted.
 */
public final class RetryingModelClient implements ModelClient {
    private final ModelClient inner;
    private final Scheduler scheduler;
    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final ReplyConfig.StreamCut streamCut;
    private final DoubleSupplier random;

    public RetryingModelClient(ModelClient inner, Scheduler scheduler, ModelConfig.Retry retry,
                               ReplyConfig.StreamCut streamCut) {
        this(inner, scheduler, retry, streamCut, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** {@code random} yields values in [0, 1) for the jitter; tests pass a fixed one. */
    public RetryingModelClient(ModelClient inner, Scheduler scheduler, ModelConfig.Retry retry,
                               ReplyConfig.StreamCut streamCut, DoubleSupplier random) {
        this.inner = inner;
        this.scheduler = scheduler;
        this.maxAttempts = Math.max(1, retry.maxAttempts());
        this.baseDelay = retry.baseDelay() == null ? Duration.ZERO : retry.baseDelay();
        this.maxDelay = retry.maxDelay() == null ? baseDelay : retry.maxDelay();
        this.streamCut = streamCut == null ? ReplyConfig.StreamCut.RETRY : streamCut;
        this.random = random;
    }

    @Override
    public Cancellable start(ModelRequest request, ReplyListener listener) {
        Call call = new Call(request, listener);
        call.attempt();
        return call;
    }

    @Override
    public String describe() {
        return inner.describe();
    }

    @Override
    public void close() {
        inner.close();
    }

    /** The wait before attempt {@code failed + 1}, with jitter; {@code failed} counts from 1. */
    Duration backoff(int failed) {
        if (baseDelay.isZero() || baseDelay.isNegative()) {
            return Duration.ZERO;
        }
        Duration cap = maxDelay.compareTo(baseDelay) < 0 ? baseDelay : maxDelay;
        return new Backoff(baseDelay, cap).jittered(Math.max(0, failed - 1), random.getAsDouble());
    }

    private final class Call implements Cancellable {
        private final ModelRequest request;
        private final CallGuard guard;
        private volatile int attempts;
        private volatile boolean cutRetried;
        private volatile Cancellable current = Cancellable.NONE;
        private volatile Cancellable timer = Cancellable.NONE;
        /** What the attempts that failed and were retried used. */
        private volatile Usage spent = Usage.NONE;

        Call(ModelRequest request, ReplyListener listener) {
            this.request = request;
            this.guard = new CallGuard(listener);
        }

        void attempt() {
            if (guard.isClosed()) {
                return;
            }
            int n = ++attempts;
            current = inner.start(request, new ReplyListener() {
                @Override
                public void onDelta(String text) {
                    if (n == attempts) {
                        guard.delta(text);
                    }
                }

                @Override
                public void onReply(ModelReply reply) {
                    if (n == attempts) {
                        guard.reply(new ModelReply(reply.text(), spent.plus(reply.usage()), reply.finishReason(),
                                reply.partial()));
                    }
                }

                @Override
                public void onError(ModelError error) {
                    if (n == attempts) {
                        failed(error);
                    }
                }
            });
            if (guard.isClosed()) {
                current.cancel();
            }
        }

        private void failed(ModelError failure) {
            if (guard.isClosed()) {
                return;
            }
            ModelError e = failure.withUsage(spent.plus(failure.usage()));
            if (e.kind() == ModelError.Kind.PERMANENT
                    || e.kind() == ModelError.Kind.TIMEOUT && !e.hasPartialText()) {
                guard.error(e);
                return;
            }
            if (e.hasPartialText()) {
                midReply(e);
                return;
            }
            retryOrGiveUp(e);
        }

        private void midReply(ModelError e) {
            if (streamCut == ReplyConfig.StreamCut.KEEP) {
                guard.reply(new ModelReply(e.partialText(), e.usage(), "", true));
            } else if (e.kind() == ModelError.Kind.TIMEOUT || cutRetried) {
                guard.error(e);
            } else {
                cutRetried = true;
                retryOrGiveUp(e);
            }
        }

        private void retryOrGiveUp(ModelError e) {
            if (attempts >= maxAttempts) {
                guard.error(attempts > 1 ? e.withMessage(e.message() + " (after " + attempts + " tries)") : e);
                return;
            }
            Duration delay;
            if (e.retryAfter() != null) {
                if (e.retryAfter().compareTo(maxDelay) > 0) {
                    guard.error(e.withMessage(e.message() + "; server asks to wait "
                            + TimeoutModelClient.seconds(e.retryAfter())));
                    return;
                }
                delay = e.retryAfter();
            } else {
                delay = backoff(attempts);
            }
            spent = e.usage();
            guard.retry(e, delay);
            timer = scheduler.schedule(delay, this::attempt);
            if (guard.isClosed()) {
                timer.cancel();
            }
        }

        @Override
        public void cancel() {
            guard.close();
            timer.cancel();
            current.cancel();
        }
    }
}
