package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.archive.EpisodeId;
import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalFeed;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedStatusTest {
    private static final EpisodeId EPISODE = new EpisodeId("tides", "tides-1");

    @Test
    void aConversationWaitsRunsPausesAndEndsAsItsJournalSays() {
        LiveStatus waiting = new LiveStatus("tides", "tides", LiveStatus.State.WAITING, 0, null,
                List.of("Ada", "Basil"), 0, 12, List.of("terminal"), null);
        try (FeedStatus status = new FeedStatus(List.of(waiting), Path.of("no-such-dir"), new JournalFeed(),
                () -> true)) {
            assertThat(status.conversations()).singleElement().satisfies(s -> {
                assertThat(s.state()).isEqualTo(LiveStatus.State.WAITING);
                assertThat(s.cast()).containsExactly("Ada", "Basil");
                assertThat(s.maxTurns()).isEqualTo(12);
            });
            status.apply(EPISODE, new JournalEvent.Start(1, Archives.T0, "tides", Archives.SEATS, List.of("terminal")));
            assertThat(status.conversations().get(0).state()).isEqualTo(LiveStatus.State.WAITING);
            status.apply(EPISODE, new JournalEvent.Notice(2, Archives.T0, "Starting Ada \u2194 Basil."));
            assertThat(status.conversations().get(0).state()).isEqualTo(LiveStatus.State.RUNNING);
            status.apply(EPISODE, JournalEvent.Said.model(3, Archives.T0, "Ada", "ada", "Hi", 1, "replay", "m"));
            status.apply(EPISODE, new JournalEvent.Pause(4, Archives.T0, "kate", "by kate"));
            LiveStatus paused = status.conversations().get(0);
            assertThat(paused.state()).isEqualTo(LiveStatus.State.PAUSED);
            assertThat(paused.turn()).isEqualTo(1);
            assertThat(paused.last().text()).isEqualTo("Hi");
            assertThat(paused.episode()).isEqualTo(EPISODE);
            status.apply(EPISODE, new JournalEvent.Resume(5, Archives.T0, "kate"));
            assertThat(status.conversations().get(0).state()).isEqualTo(LiveStatus.State.RUNNING);
            status.apply(EPISODE, new JournalEvent.Stop(6, Archives.T0, "done"));
            assertThat(status.conversations().get(0).state()).isEqualTo(LiveStatus.State.ENDED);
        }
    }
}
