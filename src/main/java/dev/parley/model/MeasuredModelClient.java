package dev.parley.model;

import dev.parley.config.ModelConfig;
import dev.parley.core.Cancellable;
import dev.parley.core.Scheduler;
import dev.parley.core.Telemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reports what a seat's calls show and no journal event holds, to {@link Telemetry}: the time to the first text
 * of each reply, each retry and its cause, and what each call cost at the configured price. The outermost
 * decorator, so the first token is timed as the room waits for it (from the request, retries included) and a cost
 * is that of every attempt the call paid for. It passes everything on unchanged.
 */
public final class MeasuredModelClient implements ModelClient {
    private final ModelClient inner;
    private final Scheduler scheduler;
    private final Telemetry telemetry;
    private final String conversation;
    private final String seat;
    private final String model;
    private final Optional<ModelConfig.Price> price;

    public MeasuredModelClient(ModelClient inner, Scheduler scheduler, Telemetry telemetry, String conversation,
                               String seat, String model, Optional<ModelConfig.Price> price) {
        this.inner = inner;
        this.scheduler = scheduler;
        this.telemetry = telemetry;
        this.conversation = conversation;
        this.seat = seat;
        this.model = model == null ? "" : model;
        this.price = price;
    }

    @Override
    public Cancellable start(ModelRequest request, ReplyListener listener) {
        Instant began = scheduler.now();
        AtomicBoolean firstSeen = new AtomicBoolean();
        return inner.start(request, new ReplyListener() {
            @Override
            public void onDelta(String text) {
                if (!text.isEmpty() && firstSeen.compareAndSet(false, true)) {
                    telemetry.modelFirstToken(conversation, seat, model, Duration.between(began, scheduler.now()));
                }
                listener.onDelta(text);
            }

            @Override
            public void onRetry(ModelError cause, Duration delay) {
                telemetry.modelRetry(conversation, seat, model, kind(cause.kind()));
                listener.onRetry(cause, delay);
            }

            @Override
            public void onReply(ModelReply reply) {
                cost(reply.usage());
                listener.onReply(reply);
            }

            @Override
            public void onError(ModelError error) {
                cost(error.usage());
                listener.onError(error);
            }
        });
    }

    private void cost(Usage usage) {
        double dollars = usage == null || price.isEmpty() ? 0 : usage.cost(price.get());
        if (dollars > 0) {
            telemetry.modelCost(conversation, seat, model, dollars);
        }
    }

    /** An error kind as a label: rate_limited, transient, timeout, permanent. */
    static String kind(ModelError.Kind kind) {
        return kind == null ? "unknown" : kind.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String describe() {
        return inner.describe();
    }

    @Override
    public void close() {
        inner.close();
    }
}
