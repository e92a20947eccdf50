package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.archive.JournalEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How steering events read on an episode's page. */
class EventHtmlTest {
    static final Instant T = Instant.parse("2026-03-02T20:00:00Z");

    @Test
    void aRetractedMessageIsNotShownAndTheRetractionNamesWhatALivePageRemoves() {
        EventHtml html = new EventHtml(List.of(new JournalEvent.SeatInfo("ada", "Ada", "replay", "x")), Set.of(),
                PSEUDONYMS, ZoneId.of("UTC"));
        JournalEvent.Said said = new JournalEvent.Said(5, T, "Ada", JournalEvent.Said.MODEL, "ada", "Oops, a slur.",
                1, "replay", "x", null, null, null, null, null);

        assertThat(html.item(said)).contains("id=\"m-5\"").contains("Oops");
        String retract = html.item(new JournalEvent.Retract(6, T, "kate", List.of(5L)));
        assertThat(retract).contains("data-retracts=\"m-5\"").contains("A message was retracted by")
                .contains("kate").doesNotContain("Oops");
        assertThat(html.item(said)).as("the same message read again, as on a later page").isEmpty();
    }

    private static final Pseudonyms PSEUDONYMS = Pseudonyms.OFF;
}
