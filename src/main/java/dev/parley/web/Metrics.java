package dev.parley.web;

import dev.parley.archive.JournalFeed;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code /metrics}: the journal-derived counters, live state gauges, the web's own and the JVM's, and what the
 * rooms and models reported to {@link Meters}, as Prometheus text.
 */
final class Metrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry;
    private final ExecutorService counting = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "parley-web-metrics");
        t.setDaemon(true);
        return t;
    });
    private final JournalMetrics journal;

    /** Adds the journal's and the web's meters to {@code meters}, which its owner closes. */
    Metrics(JournalFeed feed, StatusSource status, Meters meters) {
        registry = meters.registry();
        journal = new JournalMetrics(registry, feed, counting);
        for (LiveStatus.State state : LiveStatus.State.values()) {
            Gauge.builder("parley.conversations", status, s -> s.conversations().stream()
                            .filter(c -> c.state() == state).count())
                    .description("Configured conversations by state").tag("state", state.name().toLowerCase())
                    .register(registry);
        }
        Gauge.builder("parley.ready", status, s -> s.ready() ? 1 : 0)
                .description("1 when every room is joined").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    /** The web view's own gauges, once it exists. */
    void watch(LiveView live) {
        Gauge.builder("parley.web.live.viewers", live, LiveView::viewers)
                .description("Browsers following a live episode").register(registry);
        FunctionCounter.builder("parley.web.live.dropped", live, LiveView::dropped)
                .description("Live streams let go because the browser read too slowly").register(registry);
    }

    void serve(Exchange ex) {
        ex.text(200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
    }

    /** For tests: everything counted so far is counted. */
    void settle() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        counting.execute(done::countDown);
        done.await();
    }

    @Override
    public void close() {
        journal.close();
        counting.shutdownNow();
    }
}
