package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.archive.EpisodeId;
import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalEvent.Said;
import dev.parley.archive.JournalFeed;
import dev.parley.archive.JsonlJournal;
import dev.parley.archive.PublishingJournal;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebServerTest {
    @TempDir
    Path dir;
    private final JournalFeed feed = new JournalFeed();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private WebServer web;
    private List<LiveStatus> status = new ArrayList<>();

    private WebServer start(boolean pseudonyms) {
        WebOptions options = new WebOptions(dir, ZoneId.of("UTC"), pseudonyms, Set.of("secret"), Set.of("open"));
        StatusSource source = new StatusSource() {
            @Override
            public List<LiveStatus> conversations() {
                return List.copyOf(status);
            }

            @Override
            public boolean ready() {
                return !status.isEmpty();
            }
        };
        web = WebServer.start(options, "127.0.0.1", 0, feed, source, "1.2.3");
        return web;
    }

    @AfterEach
    void stop() {
        if (web != null) {
            web.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(web.uri().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private Document page(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return Jsoup.parse(r.body());
    }

    /** The status line for a request sent byte for byte, so no client library tidies the path first. */
    private String rawStatus(String rawPath) throws Exception {
        try (Socket s = new Socket("127.0.0.1", web.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + rawPath + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1))
                    .readLine();
        }
    }

    @Test
    void theIndexListsFinishedEpisodesNewestFirstWithTheirStopReason() throws Exception {
        Archives.finished(dir, "tides", "tides-20261120-090000", "Hello", "Hi");
        Archives.finished(dir, "tides", "tides-20261121-090000", "Again", "Yes", "Third");
        start(false);
        Document index = page("/");
        assertThat(index.select("ol.episodes > li a").eachAttr("href")).containsExactly(
                "c/tides/tides-20261121-090000/index.html", "c/tides/tides-20261120-090000/index.html");
        assertThat(index.select("ol.episodes > li .meta").first().text())
                .contains("episode 2", "3 messages", "ended: reached the limit of 3 turns");
        assertThat(index.select("meta[name=robots]").attr("content")).isEqualTo("noindex, nofollow");
    }

    @Test
    void anEpisodePageShowsEachMessageWithItsSpeakerColourPermalinkAndTheEventsBetween() throws Exception {
        Archives.finished(dir, "tides", "tides-1", "**Hello** there", "Hi Ada", "alice: hi both");
        start(false);
        Document p = page("/c/tides/tides-1/");
        assertThat(p.select("h1").text()).isEqualTo("Ada \u2194 Basil");
        assertThat(p.select("li.msg.s0 .name").eachText()).containsExactly("Ada");
        assertThat(p.select("li.msg.s1 .name").eachText()).containsExactly("Basil");
        assertThat(p.select("li.msg.human .name").eachText()).containsExactly("alice");
        assertThat(p.select("#m-2 .body strong").text()).isEqualTo("Hello");
        assertThat(p.select("#m-2 a.permalink").attr("href")).isEqualTo("index.html#m-2");
        assertThat(p.select("li.event.pause").text()).contains("Paused by alice.");
        assertThat(p.select("li.event.notice")).as("the notice that says the same").isEmpty();
        assertThat(p.select("li.event.command").text()).contains("alice: !resume", "Resumed.");
        assertThat(p.select("li.event.stop").text()).contains("Ended: reached the limit of 2 turns.");
        assertThat(p.select("#state").attr("data-state")).isEqualTo("ended");
        assertThat(p.select("script")).isEmpty();
        assertThat(get("/c/tides/tides-1").statusCode()).isEqualTo(302);
    }

    @Test
    void downloadsAreTheTranscriptAndTheJournalAsWritten() throws Exception {
        Path journal = Archives.finished(dir, "tides", "tides-1", "Hello", "Hi");
        Files.writeString(journal.resolveSibling("tides-1.md"), "# Ada \u2194 Basil\n");
        start(false);
        HttpResponse<String> md = get("/c/tides/tides-1/transcript.md");
        assertThat(md.body()).isEqualTo("# Ada \u2194 Basil\n");
        assertThat(md.headers().firstValue("content-disposition")).hasValue("attachment; filename=\"tides-1.md\"");
        assertThat(get("/c/tides/tides-1/journal.jsonl").body()).isEqualTo(Files.readString(journal));
    }

    @Test
    void unknownThingsAndPathTricksAre404AndReadNothingOutside() throws Exception {
        Archives.finished(dir, "tides", "tides-1", "Hello");
        Files.writeString(dir.resolve("outside.jsonl"), "secret");
        Files.createDirectories(dir.resolve("tides").resolve("sub"));
        start(false);
        for (String path : List.of("/c/tides/nope/", "/c/nope/tides-1/", "/c/tides/tides-1/page-2.html",
                "/c/tides/tides-1/page-0.html", "/c/tides/tides-1/nope.html", "/page-2.html", "/c/tides/",
                "/c/tides/tides-1/../../outside/", "/c/tides/..%2F..%2Foutside/", "/c/tides/%2e%2e/journal.jsonl",
                "/c/..%2f/tides-1/", "/c/tides/tides-1/%2e%2e%2f%2e%2e%2foutside.jsonl", "/c//tides-1/",
                "/c/tides/tides-1/..", "/c/tides/tides-1\\..\\..\\outside/", "/c/tides/.hidden/",
                "//etc/passwd", "/c/tides/tides-1/journal.jsonl/", "/c/%74ides/tides-1/")) {
            assertThat(rawStatus(path)).as(path).startsWith("HTTP/1.1 404");
        }
        assertThat(rawStatus("http://x/etc/passwd")).startsWith("HTTP/1.1 404");
        assertThat(http.send(HttpRequest.newBuilder(web.uri().resolve("/")).POST(HttpRequest.BodyPublishers
                .ofString("x")).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
        assertThat(get("/c/tides/nope/").body()).contains("Not found").doesNotContain("tides");
    }

    @Test
    void aPrivateConversationIsNowhereOnTheWebAndAnIndexableOneHasNoNoindex() throws Exception {
        Archives.finished(dir, "secret", "secret-1", "Hush");
        Archives.finished(dir, "marked", "marked-1", "Hush too");
        Files.writeString(dir.resolve("marked").resolve(Visibility.MARKER), "");
        Archives.finished(dir, "open", "open-1", "Hello world");
        status.add(new LiveStatus("secret", "Ada \u2194 Basil", LiveStatus.State.RUNNING, 1,
                new EpisodeId("secret", "secret-1"), List.of("Ada"), 1, 0, List.of(), null));
        start(false);
        assertThat(get("/").body()).doesNotContain("secret").doesNotContain("marked").contains("open-1");
        assertThat(get("/c/secret/secret-1/").statusCode()).isEqualTo(404);
        assertThat(get("/c/secret/secret-1/journal.jsonl").statusCode()).isEqualTo(404);
        assertThat(get("/c/secret/secret-1/events").statusCode()).isEqualTo(404);
        assertThat(get("/c/marked/marked-1/").statusCode()).isEqualTo(404);
        assertThat(get("/search?q=hush").body()).doesNotContain("secret-1").doesNotContain("marked-1");
        assertThat(page("/c/open/open-1/").select("meta[name=robots]")).isEmpty();
    }

    @Test
    void pseudonymsReplaceHumansNamesEverywhereAndTheRawJournalIsNotOffered() throws Exception {
        Archives.finished(dir, "tides", "tides-1", "Hello alice", "alice: I am alice");
        start(true);
        String page = get("/c/tides/tides-1/").body();
        String guest = new WebOptions(dir, ZoneId.of("UTC"), true, Set.of(), Set.of()).pseudonymsFor().of("alice");
        assertThat(guest).matches("Guest [0-9a-f]{6}");
        assertThat(page).doesNotContainIgnoringCase("alice").contains(guest);
        assertThat(get("/c/tides/tides-1/transcript.md").body()).doesNotContainIgnoringCase("alice").contains(guest);
        assertThat(get("/c/tides/tides-1/journal.jsonl").statusCode()).isEqualTo(404);
        assertThat(get("/search?speaker=" + guest.replace(' ', '+')).body()).contains("tides-1");
    }

    @Test
    void aLongEpisodeIsPaginatedAndPermalinksNameTheirPage() throws Exception {
        String[] texts = new String[450];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = "message number " + i;
        }
        Archives.finished(dir, "long", "long-1", texts);
        start(false);
        Document first = page("/c/long/long-1/");
        assertThat(first.select("li.msg")).hasSize(199);
        assertThat(first.select("nav.pages").first().text()).contains("page 1 of 3");
        Document third = page("/c/long/long-1/page-3.html");
        assertThat(third.select("#m-420 a.permalink").attr("href")).isEqualTo("page-3.html#m-420");
        assertThat(third.select("li.event.stop")).hasSize(1);
    }

    @Test
    void searchFindsWordsAndSpeakersAndLinksToTheMessage() throws Exception {
        Archives.finished(dir, "tides", "tides-1", "The moon pulls the tides", "Indeed it does");
        Archives.finished(dir, "tides", "tides-2", "Nothing about that here", "alice: the moon again");
        start(false);
        Document moon = page("/search?q=Moon");
        assertThat(moon.select("ol.episodes > li > a").eachText()).hasSize(2);
        assertThat(moon.select("ul.matches a").eachAttr("href")).contains("c/tides/tides-1/index.html#m-2");
        Document byAlice = page("/search?q=moon&speaker=alice");
        assertThat(byAlice.select("ul.matches li").eachText()).containsExactly("alice: the moon again");
        assertThat(page("/search?q=tidal").select("ol.episodes > li")).isEmpty();
    }

    @Test
    void healthReadinessAndVersion() throws Exception {
        start(false);
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(get("/readyz").statusCode()).isEqualTo(503);
        status.add(new LiveStatus("x", null, LiveStatus.State.WAITING, 0, null, List.of(), 0, 0, List.of(), null));
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        assertThat(get("/version").body()).isEqualTo("parley 1.2.3\n");
        HttpResponse<String> head = http.send(HttpRequest.newBuilder(web.uri().resolve("/"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void theIndexShowsWhatRunsNow() throws Exception {
        status.add(new LiveStatus("tides", "Ada \u2194 Basil", LiveStatus.State.PAUSED, 3,
                new EpisodeId("tides", "tides-3"), List.of("Ada", "Basil"), 7, 40, List.of("#parley (local)"),
                new LiveStatus.LastMessage("Ada", false, "<script>window.pwned=1</script>", Archives.T0)));
        start(false);
        Document index = page("/");
        assertThat(index.select("section.now li.conversation").text()).contains("paused", "episode 3",
                "turn 7 of 40", "cast: Ada, Basil", "#parley (local)", "<script>window.pwned=1</script>");
        assertThat(index.select("section.now script")).isEmpty();
    }

    @Test
    void metricsCountJournalEventsInPrometheusText() throws Exception {
        start(false);
        try (JsonlJournal j = Archives.running(dir, "tides", "tides-1")) {
            PublishingJournal pj = new PublishingJournal(j, new EpisodeId("tides", "tides-1"), feed);
            pj.append(Said.model(2, Archives.T0, "Ada", "ada", "Hi", 1, "replay", "m-ada").withUsage(250, 10, 5, 0));
            pj.append(Said.human(3, Archives.T0, "alice", "hello", "#parley"));
            pj.append(new JournalEvent.Pause(4, Archives.T0, "alice", "by alice"));
            pj.append(new JournalEvent.Stop(5, Archives.T0, "the health monitor stopped it: 6 messages in a row "
                    + "added nothing new"));
            pj.append(new JournalEvent.Withheld(6, Archives.T0, "ada", "Ada", "a grawlix", "words.txt:3",
                    "listed word", "retried"));
        }
        web.settleMetrics();
        String text = get("/metrics").body();
        assertThat(text).contains("parley_messages_total{conversation=\"tides\",kind=\"model\"} 1.0")
                .contains("parley_messages_total{conversation=\"tides\",kind=\"human\"} 1.0")
                .contains("parley_turns_total{conversation=\"tides\",model=\"m-ada\",seat=\"ada\"} 1.0")
                .contains("parley_model_tokens_total{conversation=\"tides\",model=\"m-ada\",seat=\"ada\",type=\"input\"} 10.0")
                .contains("parley_model_reply_seconds_count{conversation=\"tides\",model=\"m-ada\",seat=\"ada\"} 1")
                .contains("parley_pauses_total{by=\"operator\",conversation=\"tides\"} 1.0")
                .contains("parley_health_stops_total{conversation=\"tides\",rule=\"no_new_words\"} 1.0")
                .contains("parley_withheld_total{action=\"retried\",check=\"lists\",conversation=\"tides\","
                        + "seat=\"ada\"} 1.0")
                .contains("parley_journal_append_seconds_count 5")
                .contains("parley_conversations{state=\"running\"}")
                .doesNotContain("alice");
    }

    @Test
    void aLivePageGetsNewEventsOverServerSentEventsAndTheEnd() throws Exception {
        EpisodeId id = new EpisodeId("tides", "tides-1");
        status.add(new LiveStatus("tides", null, LiveStatus.State.RUNNING, 1, id, List.of(), 0, 0, List.of(), null));
        try (JsonlJournal j = Archives.running(dir, "tides", "tides-1")) {
            PublishingJournal pj = new PublishingJournal(j, id, feed);
            pj.append(Said.model(2, Archives.T0, "Ada", "ada", "before", 1, "replay", "m-ada"));
            start(false);
            Document p = page("/c/tides/tides-1/");
            assertThat(p.select("article").attr("data-events")).isEqualTo("events");
            assertThat(p.select("script").attr("src")).isEqualTo("../../../live.js");
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            var response = http.sendAsync(HttpRequest.newBuilder(web.uri().resolve("/c/tides/tides-1/events?after=2"))
                    .build(), HttpResponse.BodyHandlers.ofLines());
            response.thenAccept(r -> r.body().forEach(lines::add));
            assertThat(next(lines, "event: state")).isNotNull();
            assertThat(next(lines, "data: {")).contains("\"running\"");
            long t0 = System.nanoTime();
            pj.append(Said.model(3, Archives.T0, "Basil", "basil", "<img src=x onerror=alert(1)> live!", 2, "replay",
                    "m-basil"));
            String item = next(lines, "data: <li");
            long micros = (System.nanoTime() - t0) / 1000;
            assertThat(item).contains("id=\"m-3\"").contains("live!").doesNotContain("<img");
            assertThat(micros).as("publish to SSE line, us").isLessThan(200_000);
            pj.append(new JournalEvent.Pause(4, Archives.T0, "alice", "by alice"));
            assertThat(next(lines, "data: {\"state\":\"paused\"")).isNotNull();
            pj.append(new JournalEvent.Stop(5, Archives.T0, "stopped by alice"));
            assertThat(next(lines, "data: {\"state\":\"ended\"")).contains("stopped by alice");
            assertThat(response.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aStreamThatFallsBehindIsLetGoWithoutHoldingThePublisher() throws Exception {
        EpisodeId id = new EpisodeId("tides", "tides-1");
        status.add(new LiveStatus("tides", null, LiveStatus.State.RUNNING, 1, id, List.of(), 0, 0, List.of(), null));
        try (JsonlJournal j = Archives.running(dir, "tides", "tides-1")) {
            start(false);
            // A browser that connects and then never reads.
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(4096);
                s.connect(new java.net.InetSocketAddress("127.0.0.1", web.port()));
                s.getOutputStream().write("GET /c/tides/tides-1/events HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                await().atMost(Duration.ofSeconds(10)).until(() -> feed.subscribers() == 2);
                String big = "word ".repeat(2000);
                long start = System.nanoTime();
                for (int seq = 2; seq < 1500; seq++) {
                    feed.publish(new JournalFeed.Published(id, Said.model(seq, Archives.T0, "Ada", "ada", big, seq,
                            "replay", "m"), 0));
                }
                // Handing 15 MB to a browser that reads nothing takes the publisher no longer than handing it to none.
                assertThat(System.nanoTime() - start).as("publishing 1,500 events, ns").isLessThan(1_000_000_000L);
                // Only the metrics' own subscription is left, and the drop is counted.
                await().atMost(Duration.ofSeconds(10)).until(() -> feed.subscribers() == 1
                        && get("/metrics").body().contains("parley_web_live_viewers 0.0"));
                assertThat(get("/metrics").body()).contains("parley_web_live_dropped_total 1.0");
            }
        }
    }

    private static String next(BlockingQueue<String> lines, String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
        }
        return null;
    }
}
