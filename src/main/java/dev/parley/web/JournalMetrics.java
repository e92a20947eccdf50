package dev.parley.web;

import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalFeed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Metrics counted from journal events as the feed delivers them, so the engine never calls a metrics library and
 * every counter can be checked against the journal. Labels are conversation ids, seat ids, model ids and small
 * fixed sets; never a human's name or id (those are unbounded, and personal). Counts start at zero with the
 * process, as Prometheus counters do.
 */
final class JournalMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final JournalFeed feed;
    private final Executor executor;
    /** Seat id to model id, per conversation, from each episode's start event. */
    private final Map<String, Map<String, String>> models = new HashMap<>();
    private volatile JournalFeed.Subscription subscription;
    private final Counter lost;

    JournalMetrics(MeterRegistry registry, JournalFeed feed, Executor executor) {
        this.registry = registry;
        this.feed = feed;
        this.executor = executor;
        this.lost = Counter.builder("parley.metrics.events.lost").description(
                "Journal events metrics missed because counting fell a whole buffer behind").register(registry);
        subscribe();
    }

    private void subscribe() {
        subscription = feed.subscribe(id -> true, 100_000, () -> executor.execute(this::drain));
    }

    private synchronized void drain() {
        JournalFeed.Subscription s = subscription;
        if (s.dropped()) {
            lost.increment();
            subscribe();
            return;
        }
        for (JournalFeed.Published p : s.drain()) {
            count(p.episode().conversation(), p.event(), p.appendNanos());
        }
    }

    void count(String conversation, JournalEvent event, long appendNanos) {
        Timer.builder("parley.journal.append").description("Time to append one event to a journal, fsync included")
                .publishPercentileHistogram()
                .register(registry).record(appendNanos, TimeUnit.NANOSECONDS);
        if (event instanceof JournalEvent.Start start) {
            Map<String, String> seats = new HashMap<>();
            if (start.seats() != null) {
                start.seats().forEach(seat -> seats.put(seat.id(), seat.model() == null ? "" : seat.model()));
            }
            models.put(conversation, seats);
            counter("parley.episodes.started", "Episodes started", "conversation", conversation).increment();
        } else if (event instanceof JournalEvent.Said said) {
            counter("parley.messages", "Messages said, by seats (model) and people (human)",
                    "conversation", conversation, "kind", said.isHuman() ? "human" : "model").increment();
            if (said.isModel() && said.seat() != null) {
                modelTurn(conversation, said);
            }
        } else if (event instanceof JournalEvent.Draft) {
            counter("parley.drafts", "Paragraphs shown while a reply was still streaming",
                    "conversation", conversation).increment();
        } else if (event instanceof JournalEvent.Notice) {
            counter("parley.notices", "Notices the control identity posted", "conversation", conversation).increment();
        } else if (event instanceof JournalEvent.Command c) {
            counter("parley.commands", "Commands people typed", "conversation", conversation,
                    "allowed", String.valueOf(c.authorized())).increment();
        } else if (event instanceof JournalEvent.Pause p) {
            counter("parley.pauses", "Pauses, by an operator or by parley itself", "conversation", conversation,
                    "by", "parley".equals(p.by()) ? "parley" : "operator").increment();
        } else if (event instanceof JournalEvent.Resume) {
            counter("parley.resumes", "Resumes", "conversation", conversation).increment();
        } else if (event instanceof JournalEvent.Failure f) {
            String seat = String.valueOf(f.seat());
            counter("parley.model.failures", "Model calls that failed after their retries", "conversation",
                    conversation, "seat", seat, "model", models.getOrDefault(conversation, Map.of())
                            .getOrDefault(seat, ""), "kind", kind(f.kind())).increment();
        } else if (event instanceof JournalEvent.Withheld w) {
            // By the kind of check, not the rule: a rule is a file:line, too many labels for a time series.
            String check = w.rule() == null ? "lists" : w.rule().startsWith("moderation-api") ? "api"
                    : w.rule().startsWith("max-") ? "limits" : "lists";
            counter("parley.withheld", "Messages the moderation gate withheld, by check and what followed",
                    "conversation", conversation, "seat", w.seat() == null ? "human" : w.seat(), "check", check,
                    "action", String.valueOf(w.action())).increment();
        } else if (event instanceof JournalEvent.Restart) {
            counter("parley.restarts", "Episodes picked up again after parley restarted", "conversation",
                    conversation).increment();
        } else if (event instanceof JournalEvent.Stop s) {
            String rule = stopRule(s.reason());
            counter("parley.episodes.ended", "Episodes ended, by what ended them", "conversation", conversation,
                    "reason", rule).increment();
            if (rule.equals("health")) {
                counter("parley.health.stops", "Episodes the health monitor stopped, by its rule", "conversation",
                        conversation, "rule", healthRule(s.reason())).increment();
            }
        }
    }

    private void modelTurn(String conversation, JournalEvent.Said said) {
        String model = said.model() != null ? said.model()
                : models.getOrDefault(conversation, Map.of()).getOrDefault(said.seat(), "");
        String[] tags = {"conversation", conversation, "seat", said.seat(), "model", model};
        counter("parley.turns", "Turns taken by seats", tags).increment();
        if (said.latencyMs() != null) {
            Timer.builder("parley.model.reply").description("Model reply time, request to last token")
                    .tags(tags).serviceLevelObjectives(Meters.MODEL_BUCKETS).register(registry)
                    .record(said.latencyMs(), TimeUnit.MILLISECONDS);
        }
        tokens(tags, "input", said.inputTokens());
        tokens(tags, "output", said.outputTokens());
        tokens(tags, "cached", said.cachedTokens());
        if (said.text() != null) {
            DistributionSummary.builder("parley.message.chars").description("Length of seats' messages")
                    .baseUnit("chars").tags(tags).register(registry).record(said.text().length());
        }
    }

    private void tokens(String[] tags, String type, Long n) {
        if (n != null && n > 0) {
            Counter.builder("parley.model.tokens").description("Tokens the providers reported").tags(tags)
                    .tag("type", type).register(registry).increment(n);
        }
    }

    private Counter counter(String name, String description, String... tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    /** A failure kind as a label: the journal's own words, bounded to a short plain token. */
    private static String kind(String kind) {
        if (kind == null) {
            return "unknown";
        }
        String k = kind.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_");
        return k.length() > 32 ? k.substring(0, 32) : k;
    }

    /** What ended an episode, from the stop reason the engine wrote, as one of a fixed set. */
    static String stopRule(String reason) {
        String r = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        if (r.contains("health monitor")) {
            return "health";
        } else if (r.startsWith("reached the limit of")) {
            return "max_turns";
        } else if (r.contains("time limit")) {
            return "max_duration";
        } else if (r.contains("end token")) {
            return "end_token";
        } else if (r.contains("failures in a row") || r.contains("every model failed")) {
            return "failures";
        } else if (r.contains("tokens, the limit")) {
            return "max_tokens";
        } else if (r.contains("cost $")) {
            return "max_cost";
        } else if (r.startsWith("stopped by")) {
            return "operator";
        } else if (r.contains("shut down")) {
            return "shutdown";
        }
        return "other";
    }

    static String healthRule(String reason) {
        String r = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        if (r.contains("same thing")) {
            return "repetition";
        } else if (r.contains("added nothing new")) {
            return "no_new_words";
        }
        return "other";
    }

    @Override
    public void close() {
        subscription.close();
    }
}
