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

    @Test
    void aWithheldMessageNeverShowsItsText() {
        EventHtml html = new EventHtml(List.of(new JournalEvent.SeatInfo("ada", "Ada", "replay", "x")), Set.of(),
                PSEUDONYMS, ZoneId.of("UTC"));
        assertThat(html.item(new JournalEvent.Withheld(7, T, "ada", "Ada", "an awful slur", "words.txt:1",
                "listed word", "retried"))).doesNotContain("slur").doesNotContain("words.txt");
        assertThat(html.item(new JournalEvent.Notice(8, T, "A message from Ada was withheld by the filter.")))
                .contains("withheld by the filter");
    }

    private static final Pseudonyms PSEUDONYMS = Pseudonyms.OFF;
}
