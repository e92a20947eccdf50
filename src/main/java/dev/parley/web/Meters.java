package dev.parley.web;

import dev.parley.core.Telemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The registry behind {@code /metrics}, and {@link Telemetry} over it: what the model clients, IRC connections and
 * Matrix rooms report goes straight into Micrometer meters here (the journal-derived ones are {@link
 * JournalMetrics}). Made before the rooms and models, so they can report from their first moment; the web server
 * serves it once it starts. Like every counter here, these start at zero with the process.
 */
public final class Meters implements Telemetry, AutoCloseable {
    /**
     * The buckets of model times, first token and whole reply alike: a dozen that reach the minutes a slow model
     * takes (Micrometer's default has some 70 per series, and stops at 30 s).
     */
    static final Duration[] MODEL_BUCKETS = seconds(0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300);
    /** The buckets of Matrix sync lag: a homeserver on the same host delivers in milliseconds, federation in seconds. */
    static final Duration[] LAG_BUCKETS = seconds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** One value per (network, nick): 1 while welcomed by the server, 0 otherwise. */
    private final Map<Tags, AtomicInteger> irc = new ConcurrentHashMap<>();

    PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void modelFirstToken(String conversation, String seat, String model, Duration wait) {
        Timer.builder("parley.model.first.token")
                .description("Model time to first text, from the request (retries included)")
                .tags(modelTags(conversation, seat, model)).serviceLevelObjectives(MODEL_BUCKETS)
                .register(registry).record(positive(wait));
    }

    @Override
    public void modelRetry(String conversation, String seat, String model, String kind) {
        Counter.builder("parley.model.retries").description("Model calls tried again, by the failure that caused it")
                .tags(modelTags(conversation, seat, model)).tag("kind", label(kind)).register(registry).increment();
    }

    @Override
    public void modelCost(String conversation, String seat, String model, double dollars) {
        if (dollars > 0) {
            Counter.builder("parley.model.cost.dollars")
                    .description("What model calls cost at the configured price (US dollars; failed calls included)")
                    .tags(modelTags(conversation, seat, model)).register(registry).increment(dollars);
        }
    }

    @Override
    public void ircConnection(String network, String nick, boolean up) {
        Tags tags = Tags.of("network", label(network), "nick", label(nick));
        irc.computeIfAbsent(tags, t -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder("parley.irc.connected", value, AtomicInteger::get)
                    .description("1 while the IRC connection of a nick is welcomed by its server, else 0")
                    .tags(t).register(registry);
            return value;
        }).set(up ? 1 : 0);
    }

    @Override
    public void ircReconnect(String network, String nick) {
        Counter.builder("parley.irc.reconnects").description("IRC connections made again after they were lost")
                .tags("network", label(network), "nick", label(nick)).register(registry).increment();
    }

    @Override
    public void matrixSyncLag(String server, Duration lag) {
        Timer.builder("parley.matrix.sync.lag")
                .description("Time from the homeserver receiving a room message (origin_server_ts) to our /sync")
                .tag("server", label(server)).serviceLevelObjectives(LAG_BUCKETS).register(registry)
                .record(positive(lag));
    }

    @Override
    public void matrixSendRetry(String server) {
        Counter.builder("parley.matrix.send.retries")
                .description("Matrix sends tried again (network error, 5xx, rate limit)")
                .tag("server", label(server)).register(registry).increment();
    }

    private static Duration[] seconds(double... s) {
        Duration[] d = new Duration[s.length];
        for (int i = 0; i < s.length; i++) {
            d[i] = Duration.ofNanos(Math.round(s[i] * 1e9));
        }
        return d;
    }

    private static Tags modelTags(String conversation, String seat, String model) {
        return Tags.of("conversation", label(conversation), "seat", label(seat), "model", label(model));
    }

    private static String label(String value) {
        return value == null ? "" : value;
    }

    /** A clock step (or a homeserver's clock ahead of ours) must not make a negative time. */
    private static Duration positive(Duration d) {
        return d == null || d.isNegative() ? Duration.ZERO : d;
    }

    @Override
    public void close() {
        registry.close();
    }
}
