package dev.parley.host;

import static dev.parley.host.HostTest.NOON;
import static dev.parley.host.HostTest.next;
import static dev.parley.host.HostTest.show;
import static dev.parley.host.HostTest.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.HostStatus;
import dev.parley.archive.JournalFeed;
import dev.parley.testsupport.ScriptedModel;
import dev.parley.web.LiveStatus;
import dev.parley.web.StatusSource;
import dev.parley.web.WebOptions;
import dev.parley.web.WebServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status a host publishes of each series, in virtual time, and the same on the web view's index: scheduled
 * with its start time, running, waiting for !start, ended when the last episode was played. Between episodes the
 * journals alone would say "ended"; the host's word wins.
 */
class SeriesStatusTest {
    @TempDir
    Path dir;

    /** What journal events alone say between episodes: the last one ended. */
    private static final StatusSource JOURNALS_SAY_ENDED = new StatusSource() {
        @Override
        public List<LiveStatus> conversations() {
            return List.of(new LiveStatus("show", "Ada \u2194 Basil", LiveStatus.State.ENDED, 1, null,
                    List.of("Ada", "Basil"), 2, 2, List.of("#show (net)"), null));
        }

        @Override
        public boolean ready() {
            return true;
        }
    };

    @Test
    void aSeriesWithACoolDownIsScheduledThenRunsThenIsDoneAndTheWebSaysSo() throws Exception {
        Studio s = new Studio(dir, NOON, show(next(Duration.ofMinutes(5), 2)));
        holdAdasFirstReply(s);
        s.start();
        try (WebServer web = WebServer.start(new WebOptions(dir, ZoneId.of("UTC"), false, Set.of(), Set.of()),
                "127.0.0.1", 0, new JournalFeed(), new HostStatus(s.host::statuses, JOURNALS_SAY_ENDED), "t")) {
            assertThat(s.host.statuses()).containsExactly(
                    new SeriesStatus("show", SeriesStatus.Phase.RUNNING, null, 1));
            assertThat(badge(web).text()).isEqualTo("running");

            s.run(Duration.ofSeconds(30));
            s.madeFor("ada").get(0).model().complete("Ada 1");
            s.settle();
            SeriesStatus scheduled = s.host.statuses().get(0);
            assertThat(scheduled).isEqualTo(new SeriesStatus("show", SeriesStatus.Phase.SCHEDULED,
                    NOON.plusSeconds(30).plus(Duration.ofMinutes(5)), 1));
            assertThat(badge(web).text()).isEqualTo("scheduled");
            Element next = badge(web).parent().selectFirst(".next time");
            assertThat(next).isNotNull();
            assertThat(Instant.parse(next.attr("datetime"))).isEqualTo(scheduled.nextStart());
            assertThat(next.parent().text()).startsWith("next episode 2026-03-02");

            s.run(Duration.between(s.clock.now(), scheduled.nextStart()));
            assertThat(s.host.statuses()).containsExactly(
                    new SeriesStatus("show", SeriesStatus.Phase.RUNNING, null, 2));
            assertThat(badge(web).text()).isEqualTo("running");

            s.madeFor("ada").get(1).model().complete("Ada 1");
            s.run(Duration.ofMinutes(1));
            s.finished.get(5, TimeUnit.SECONDS);
            assertThat(s.host.statuses()).containsExactly(new SeriesStatus("show", SeriesStatus.Phase.DONE, null, 2));
            assertThat(badge(web).text()).isEqualTo("ended");
            assertThat(badge(web).parent().select(".next")).isEmpty();
        }
    }

    @Test
    void betweenEpisodesASeriesThatWaitsForStartSaysSoAndNotEnded() throws Exception {
        Studio s = new Studio(dir, NOON, show(waiting()));
        holdAdasFirstReply(s);
        s.start();
        assertThat(s.host.statuses()).containsExactly(new SeriesStatus("show", SeriesStatus.Phase.RUNNING, null, 1));
        s.madeFor("ada").get(0).model().complete("Ada 1");
        s.run(Duration.ofMinutes(1));
        assertThat(s.journals("show")).hasSize(1);
        assertThat(s.host.statuses()).containsExactly(new SeriesStatus("show", SeriesStatus.Phase.WAITING, null, 1));
        List<LiveStatus> web = new HostStatus(s.host::statuses, JOURNALS_SAY_ENDED).conversations();
        assertThat(web).extracting(LiveStatus::state).containsExactly(LiveStatus.State.WAITING);
        // What only the journals know stays: the cast, the turn, the rooms.
        assertThat(web.get(0).cast()).containsExactly("Ada", "Basil");
        assertThat(web.get(0).rooms()).containsExactly("#show (net)");

        s.say(HostTest.ROOM, "!start");
        assertThat(new HostStatus(s.host::statuses, JOURNALS_SAY_ENDED).conversations())
                .extracting(LiveStatus::state).containsExactly(LiveStatus.State.RUNNING);
    }

    @Test
    void aPauseOnlyTheJournalKnowsShowsWhileTheHostSaysRunning() {
        assertThat(HostStatus.state(SeriesStatus.Phase.RUNNING, LiveStatus.State.PAUSED))
                .isEqualTo(LiveStatus.State.PAUSED);
        assertThat(HostStatus.state(SeriesStatus.Phase.RUNNING, LiveStatus.State.WAITING))
                .isEqualTo(LiveStatus.State.RUNNING);
        assertThat(HostStatus.state(SeriesStatus.Phase.WAITING, LiveStatus.State.PAUSED))
                .isEqualTo(LiveStatus.State.WAITING);
        assertThat(HostStatus.state(SeriesStatus.Phase.LEFT, LiveStatus.State.RUNNING))
                .isEqualTo(LiveStatus.State.ENDED);
    }

    /** Each episode's first reply of Ada's waits for the test, so a running episode can be looked at. */
    private static void holdAdasFirstReply(Studio s) {
        s.scripts.put("ada", seat -> new ScriptedModel().thenHold().otherwise(r -> "Ada again"));
    }

    private static Element badge(WebServer web) throws Exception {
        String html = HttpClient.newHttpClient().send(HttpRequest.newBuilder(web.uri()).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Element badge = Jsoup.parse(html).selectFirst("section.now li.conversation .badge");
        assertThat(badge).as(html).isNotNull();
        return badge;
    }
}
