package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalFeed;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The meters of what no journal event holds: names, labels and values, as Prometheus reads them. */
class MetersTest {
    private static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");

    @Test
    void modelFiguresHaveHistogramsAndCountersBySeatAndModel() {
        try (Meters meters = new Meters()) {
            meters.modelFirstToken("salon", "ada", "gpt-x", Duration.ofMillis(1200));
            meters.modelFirstToken("salon", "ada", "gpt-x", Duration.ofMillis(800));
            meters.modelFirstToken("salon", "basil", "claude-y", Duration.ofSeconds(90));
            meters.modelRetry("salon", "ada", "gpt-x", "rate_limited");
            meters.modelRetry("salon", "ada", "gpt-x", "rate_limited");
            meters.modelRetry("salon", "ada", "gpt-x", "transient");
            meters.modelCost("salon", "ada", "gpt-x", 0.25);
            meters.modelCost("salon", "ada", "gpt-x", 0.5);
            meters.modelCost("salon", "ada", "gpt-x", 0);
            String text = meters.registry().scrape();

            String ada = "conversation=\"salon\",model=\"gpt-x\",seat=\"ada\"";
            assertThat(text).contains("# TYPE parley_model_first_token_seconds histogram")
                    .contains("parley_model_first_token_seconds_count{" + ada + "} 2")
                    .contains("parley_model_first_token_seconds_sum{" + ada + "} 2.0")
                    .contains("parley_model_first_token_seconds_count{conversation=\"salon\",model=\"claude-y\","
                            + "seat=\"basil\"} 1")
                    .contains("parley_model_retries_total{conversation=\"salon\",kind=\"rate_limited\",model=\"gpt-x\","
                            + "seat=\"ada\"} 2.0")
                    .contains("parley_model_retries_total{conversation=\"salon\",kind=\"transient\",model=\"gpt-x\","
                            + "seat=\"ada\"} 1.0")
                    .contains("parley_model_cost_dollars_total{" + ada + "} 0.75");
            // Buckets reach past a minute: a slow model's first token is not lumped into +Inf.
            assertThat(bucketCount(text, "parley_model_first_token_seconds_bucket{conversation=\"salon\","
                    + "model=\"claude-y\",seat=\"basil\",le=\"120.0\"}")).isEqualTo(1.0);
            assertThat(bucketCount(text, "parley_model_first_token_seconds_bucket{" + ada + ",le=\"1.0\"}"))
                    .isEqualTo(1.0);
        }
    }

    @Test
    void ircConnectionStateIsAGaugePerNickAndReconnectsACounter() {
        try (Meters meters = new Meters()) {
            meters.ircConnection("libera", "parley", true);
            meters.ircConnection("libera", "Ada", true);
            meters.ircConnection("libera", "Ada", false);
            meters.ircReconnect("libera", "Ada");
            meters.ircReconnect("libera", "Ada");
            String text = meters.registry().scrape();
            assertThat(text).contains("parley_irc_connected{network=\"libera\",nick=\"parley\"} 1.0")
                    .contains("parley_irc_connected{network=\"libera\",nick=\"Ada\"} 0.0")
                    .contains("parley_irc_reconnects_total{network=\"libera\",nick=\"Ada\"} 2.0")
                    .doesNotContain("parley_irc_reconnects_total{network=\"libera\",nick=\"parley\"}");
            meters.ircConnection("libera", "Ada", true);
            assertThat(meters.registry().scrape()).contains("parley_irc_connected{network=\"libera\",nick=\"Ada\"} 1.0");
        }
    }

    @Test
    void matrixSyncLagAndSendRetriesByServer() {
        try (Meters meters = new Meters()) {
            meters.matrixSyncLag("local", Duration.ofMillis(40));
            meters.matrixSyncLag("local", Duration.ofMillis(-30)); // a homeserver clock ahead of ours
            meters.matrixSendRetry("local");
            String text = meters.registry().scrape();
            assertThat(text).contains("parley_matrix_sync_lag_seconds_count{server=\"local\"} 2")
                    .contains("parley_matrix_sync_lag_seconds_sum{server=\"local\"} 0.04")
                    .contains("parley_matrix_send_retries_total{server=\"local\"} 1.0");
        }
    }

    @Test
    void journalFailuresAreCountedByKindWithTheSeatsModel() {
        try (Meters meters = new Meters(); JournalMetrics journal = new JournalMetrics(meters.registry(),
                new JournalFeed(), Runnable::run)) {
            journal.count("salon", new JournalEvent.Start(1, T0, "salon", List.of(
                    new JournalEvent.SeatInfo("ada", "Ada", "openai", "gpt-x")), List.of("#salon")), 1_000_000);
            journal.count("salon", new JournalEvent.Failure(2, T0, "ada", "RATE_LIMITED", "429 (after 3 tries)",
                    "skipped"), 2_000_000);
            String text = meters.registry().scrape();
            assertThat(text).contains("parley_model_failures_total{conversation=\"salon\",kind=\"rate_limited\","
                    + "model=\"gpt-x\",seat=\"ada\"} 1.0")
                    .contains("parley_journal_append_seconds_count 2")
                    .contains("parley_journal_append_seconds_sum 0.003");
        }
    }

    private static double bucketCount(String text, String series) {
        return text.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l ->
                Double.parseDouble(l.substring(series.length() + 1).trim().split(" ")[0])).findFirst()
                .orElseThrow(() -> new AssertionError("no " + series + " in\n" + text));
    }
}
