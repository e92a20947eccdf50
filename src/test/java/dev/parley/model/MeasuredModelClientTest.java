package dev.parley.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.config.ModelConfig;
import dev.parley.config.ReplyConfig.StreamCut;
import dev.parley.core.Telemetry;
import dev.parley.core.VirtualScheduler;
import dev.parley.model.ModelError.Kind;
import dev.parley.model.ModelTestKit.Recorder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What a seat's calls report to telemetry: first token as the room waits for it, retries by cause, cost. */
class MeasuredModelClientTest {
    private final VirtualScheduler clock = new VirtualScheduler();
    private final FakeModel fake = new FakeModel();
    private final Recording telemetry = new Recording();
    /** $3 per million input tokens, $15 per million output. */
    private final Optional<ModelConfig.Price> price = Optional.of(new ModelConfig.Price(3, 15));

    /** Measured around retries, as ModelClients builds it. */
    private ModelClient client(Optional<ModelConfig.Price> p) {
        ModelClient retrying = new RetryingModelClient(fake, clock,
                new ModelConfig.Retry(3, Duration.ofSeconds(2), Duration.ofSeconds(30)), StreamCut.RETRY, () -> 0.0);
        return new MeasuredModelClient(retrying, clock, telemetry, "salon", "ada", "gpt-x", p);
    }

    @Test
    void firstTokenIsTimedOnceFromTheRequestAndCostIsCountedAtTheEnd() {
        Recorder r = new Recorder();
        client(price).start(ModelTestKit.twoSeatRequest(), r);
        clock.advance(Duration.ofMillis(1500));
        fake.last().listener.onDelta("");
        clock.advance(Duration.ofMillis(500));
        fake.last().listener.onDelta("Hello");
        clock.advance(Duration.ofSeconds(3));
        fake.last().listener.onDelta(" there");
        fake.last().listener.onReply(new ModelReply("Hello there", new Usage(1000, 200, 0), "stop", false));

        assertThat(telemetry.events).containsExactly(
                "first-token salon ada gpt-x PT2S",
                "cost salon ada gpt-x 0.006000");
        assertThat(r.reply.text()).isEqualTo("Hello there");
        assertThat(r.deltas).containsExactly("Hello", " there");
    }

    @Test
    void eachRetryIsCountedByItsCauseAndTheFirstTokenIncludesTheWait() {
        Recorder r = new Recorder();
        client(price).start(ModelTestKit.twoSeatRequest(), r);
        fake.last().listener.onError(new ModelError(Kind.RATE_LIMITED, "429", 429, Duration.ofSeconds(4)));
        clock.advance(Duration.ofSeconds(4));
        fake.last().listener.onError(ModelError.of(Kind.TRANSIENT, "502"));
        clock.advance(Duration.ofSeconds(2));
        clock.advance(Duration.ofMillis(250));
        fake.last().listener.onDelta("ok");
        fake.last().listener.onReply(new ModelReply("ok", new Usage(0, 0, 0), "stop", false));

        assertThat(fake.calls).hasSize(3);
        assertThat(telemetry.events).containsExactly(
                "retry salon ada gpt-x rate_limited",
                "retry salon ada gpt-x transient",
                "first-token salon ada gpt-x PT6.25S");
        assertThat(r.retries).hasSize(2);
    }

    @Test
    void aFailedCallCostsWhatItUsedAndNoPriceMeansNoCost() {
        client(price).start(ModelTestKit.twoSeatRequest(), new Recorder());
        fake.last().listener.onError(ModelError.of(Kind.PERMANENT, "400").withUsage(new Usage(2_000_000, 0, 0)));
        assertThat(telemetry.events).containsExactly("cost salon ada gpt-x 6.000000");

        telemetry.events.clear();
        Recorder r = new Recorder();
        client(Optional.empty()).start(ModelTestKit.twoSeatRequest(), r);
        fake.last().listener.onDelta("x");
        fake.last().listener.onReply(new ModelReply("x", new Usage(10, 10, 0), "stop", false));
        assertThat(telemetry.events).containsExactly("first-token salon ada gpt-x PT0S");
        assertThat(r.reply.text()).isEqualTo("x");
    }

    @Test
    void theDaemonsFactoryMeasuresOnlyWhenThereIsTelemetry() {
        ModelTestKit.Cfg c = new ModelTestKit.Cfg();
        c.provider = "replay";
        c.replay = new ModelConfig.Replay("classpath:sample.md", "Ada", 0);
        ModelConfig replay = c.build();
        ModelClient plain = ModelClients.create(replay, clock, null, x -> List.of("hi"), StreamCut.RETRY,
                Telemetry.NOOP, "salon", "ada");
        ModelClient measured = ModelClients.create(replay, clock, null, x -> List.of("hi"), StreamCut.RETRY,
                telemetry, "salon", "ada");
        assertThat(plain).isInstanceOf(RetryingModelClient.class);
        assertThat(measured).isInstanceOf(MeasuredModelClient.class);
    }

    /** Telemetry that writes down what it hears, one line each. */
    static final class Recording implements Telemetry {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void modelFirstToken(String conversation, String seat, String model, Duration wait) {
            events.add("first-token " + conversation + " " + seat + " " + model + " " + wait);
        }

        @Override
        public void modelRetry(String conversation, String seat, String model, String kind) {
            events.add("retry " + conversation + " " + seat + " " + model + " " + kind);
        }

        @Override
        public void modelCost(String conversation, String seat, String model, double dollars) {
            events.add("cost " + conversation + " " + seat + " " + model + " "
                    + String.format(java.util.Locale.ROOT, "%.6f", dollars));
        }
    }
}
