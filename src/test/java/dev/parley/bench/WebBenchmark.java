package dev.parley.bench;

import dev.parley.archive.EpisodeId;
import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalFeed;
import dev.parley.archive.JsonlJournal;
import dev.parley.archive.PublishingJournal;
import dev.parley.web.LiveStatus;
import dev.parley.web.StatusSource;
import dev.parley.web.WebOptions;
import dev.parley.web.WebServer;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Web view benchmark, through the real server on loopback:
 * <ol>
 *   <li>page: the server time to render each page of a 1,000-message episode (Markdown bodies), and all of it;</li>
 *   <li>fanout: 100 browsers following one live episode: from the journal append returning to each viewer
 *   reading the event, p50/p99/max, and the heap the viewers cost;</li>
 *   <li>search: 10,000 episodes of 40 messages: the first scan of the archive, the heap it keeps, and queries.</li>
 * </ol>
 * <pre>java -Xmx512m -cp target/parley.jar:target/test-classes dev.parley.bench.WebBenchmark [page|fanout|search|all]</pre>
 */
public final class WebBenchmark {
    private static final String[] WORDS = ("tide pool crab kelp barnacle anemone starfish gull rock shell wave moon "
            + "salt sand urchin limpet mussel heron foam current reef lagoon estuary dune lighthouse keeper lamp fog "
            + "horn beam lens rope harbour boat sail mast anchor chart compass storm calm dawn dusk").split(" ");
    private static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private WebBenchmark() { }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "all";
        System.out.printf("cores: %d, max heap: %d MB, java %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"));
        if (which.equals("page") || which.equals("all")) {
            page();
        }
        if (which.equals("fanout") || which.equals("all")) {
            fanout(100, 200);
        }
        if (which.equals("search") || which.equals("all")) {
            search(10_000, 40);
        }
        if (which.equals("big") || which.equals("all")) {
            big();
        }
    }

    private static void page() throws Exception {
        Path dir = Files.createTempDirectory("parley-bench-page");
        Random random = new Random(1);
        writeEpisode(dir.resolve("bench").resolve("bench-1.jsonl"), 1000, random, true);
        try (WebServer web = start(dir, new JournalFeed(), StatusSource.NONE)) {
            URI base = web.uri().resolve("c/bench/bench-1/");
            int pages = 6; // 1,003 events at 200 a page
            for (int i = 0; i < 30; i++) {
                get(base.resolve(i % pages == 0 ? "index.html" : "page-" + (i % pages + 1) + ".html"));
            }
            long[] perPage = new long[pages * 20];
            long[] whole = new long[20];
            long bytes = 0;
            for (int round = 0; round < 20; round++) {
                long start = System.nanoTime();
                for (int p = 1; p <= pages; p++) {
                    long t = System.nanoTime();
                    bytes = Math.max(bytes, get(base.resolve(p == 1 ? "index.html" : "page-" + p + ".html")).length());
                    perPage[round * pages + p - 1] = System.nanoTime() - t;
                }
                whole[round] = System.nanoTime() - start;
            }
            System.out.printf("page: a 1,000-message episode in %d pages; one page (200 events, ~%d KB): p50 %.1f ms,"
                            + " p99 %.1f ms; all pages: p50 %.1f ms%n", pages, bytes / 1024, ms(pct(perPage, 50)),
                    ms(pct(perPage, 99)), ms(pct(whole, 50)));
        }
    }

    /** A 100 MB episode: its pages are read from where they start, never the whole journal into memory. */
    private static void big() throws Exception {
        Path dir = Files.createTempDirectory("parley-bench-big");
        Path file = dir.resolve("big").resolve("big-1.jsonl");
        writeEpisode(file, 100_000, new Random(4), false, 20);
        System.out.printf("big: a %d MB episode of 100,000 messages%n", Files.size(file) >> 20);
        try (WebServer web = start(dir, new JournalFeed(), StatusSource.NONE)) {
            long before = usedHeap();
            long t = System.nanoTime();
            get(web.uri().resolve("c/big/big-1/"));
            System.out.printf("big: first page (the episode summarised on the way) %.1f s%n", (System.nanoTime() - t) / 1e9);
            for (String page : List.of("index.html", "page-250.html", "page-501.html")) {
                long[] times = new long[10];
                for (int i = 0; i < times.length; i++) {
                    long s = System.nanoTime();
                    get(web.uri().resolve("c/big/big-1/" + page));
                    times[i] = System.nanoTime() - s;
                }
                System.out.printf("big: %-14s p50 %.1f ms%n", page, ms(pct(times, 50)));
            }
            System.out.printf("big: heap kept after serving it +%.1f MB (max heap %d MB)%n",
                    (usedHeap() - before) / 1048576.0, Runtime.getRuntime().maxMemory() >> 20);
        }
    }

    private static void fanout(int viewers, int events) throws Exception {
        Path dir = Files.createTempDirectory("parley-bench-fanout");
        EpisodeId id = new EpisodeId("live", "live-1");
        JournalFeed feed = new JournalFeed();
        StatusSource running = new StatusSource() {
            @Override
            public List<LiveStatus> conversations() {
                return List.of(new LiveStatus("live", null, LiveStatus.State.RUNNING, 1, id, List.of(), 0, 0,
                        List.of(), null));
            }

            @Override
            public boolean ready() {
                return true;
            }
        };
        long heapBefore;
        try (JsonlJournal file = JsonlJournal.open(id.journal(dir));
             WebServer web = start(dir, feed, running)) {
            PublishingJournal journal = new PublishingJournal(file, id, feed);
            journal.append(new JournalEvent.Start(1, T0, "live", List.of(new JournalEvent.SeatInfo("ada", "Ada", "r",
                    "m"), new JournalEvent.SeatInfo("basil", "Basil", "r", "m")), List.of("bench")));
            heapBefore = usedHeap();
            long[] published = new long[events + 2];
            long[][] received = new long[viewers][events + 2];
            CountDownLatch connected = new CountDownLatch(viewers);
            CountDownLatch done = new CountDownLatch(viewers);
            List<Socket> sockets = new ArrayList<>();
            for (int v = 0; v < viewers; v++) {
                Socket s = new Socket("127.0.0.1", web.port());
                sockets.add(s);
                long[] mine = received[v];
                Thread t = new Thread(() -> view(s, mine, connected, done), "viewer-" + v);
                t.setDaemon(true);
                t.start();
            }
            connected.await(30, TimeUnit.SECONDS);
            long heapWith = usedHeap();
            Random random = new Random(2);
            for (int seq = 2; seq < events + 2; seq++) {
                JournalEvent.Said said = JournalEvent.Said.model(seq, T0, seq % 2 == 0 ? "Ada" : "Basil",
                        seq % 2 == 0 ? "ada" : "basil", sentence(random, 60), seq - 1, "r", "m");
                journal.append(said);
                published[seq] = System.nanoTime();
                Thread.sleep(20); // a benchmark pacing its publisher, not production code
            }
            journal.append(new JournalEvent.Stop(events + 2, T0, "done"));
            done.await(30, TimeUnit.SECONDS);
            List<Long> lags = new ArrayList<>();
            for (long[] r : received) {
                for (int seq = 2; seq < events + 2; seq++) {
                    if (r[seq] > 0) {
                        lags.add(r[seq] - published[seq]);
                    }
                }
            }
            long[] all = lags.stream().mapToLong(Long::longValue).toArray();
            System.out.printf("fanout: %d viewers x %d events, %d delivered; append-to-viewer p50 %.2f ms, p99 %.2f ms,"
                            + " max %.2f ms; heap with viewers connected +%.1f MB (%.0f KB each)%n", viewers, events,
                    all.length, ms(pct(all, 50)), ms(pct(all, 99)), ms(pct(all, 100)),
                    (heapWith - heapBefore) / 1048576.0, (heapWith - heapBefore) / 1024.0 / viewers);
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    private static void view(Socket socket, long[] received, CountDownLatch connected, CountDownLatch done) {
        try {
            socket.getOutputStream().write("GET /c/live/live-1/events?after=1 HTTP/1.1\r\nHost: b\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            boolean counted = false;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!counted && line.startsWith("event: state")) {
                    connected.countDown();
                    counted = true;
                } else if (line.startsWith("id: ")) {
                    int seq = Integer.parseInt(line.substring(4).trim());
                    if (seq < received.length) {
                        received[seq] = System.nanoTime();
                    }
                } else if (line.contains("\"ended\"")) {
                    break;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the stream ended
        } finally {
            done.countDown();
        }
    }

    private static void search(int episodes, int messages) throws Exception {
        Path dir = Files.createTempDirectory("parley-bench-search");
        Random random = new Random(3);
        long w = System.nanoTime();
        for (int e = 0; e < episodes; e++) {
            writeEpisode(dir.resolve("c" + (e % 10)).resolve(String.format("c%d-%05d.jsonl", e % 10, e)), messages,
                    random, false);
        }
        System.out.printf("search: wrote %d episodes of %d messages in %.1f s%n", episodes, messages,
                (System.nanoTime() - w) / 1e9);
        try (WebServer web = start(dir, new JournalFeed(), StatusSource.NONE)) {
            long heapBefore = usedHeap();
            long t = System.nanoTime();
            get(web.uri());
            System.out.printf("search: first scan of the archive (index page) %.1f s; heap kept +%.1f MB%n",
                    (System.nanoTime() - t) / 1e9, (usedHeap() - heapBefore) / 1048576.0);
            long[] index = new long[15];
            for (int i = 0; i < index.length; i++) {
                long s = System.nanoTime();
                get(web.uri());
                index[i] = System.nanoTime() - s;
            }
            System.out.printf("search: the index page over %d episodes: p50 %.1f ms, max %.1f ms%n", episodes,
                    ms(pct(index, 50)), ms(pct(index, 100)));
            for (String q : List.of("q=zeppelin", "q=narwhal+harbour", "q=lighthouse", "q=lighthouse+keeper+fog",
                    "speaker=Basil&q=anchor", "speaker=nobody")) {
                URI uri = web.uri().resolve("search?" + q);
                for (int i = 0; i < 3; i++) {
                    get(uri);
                }
                long[] times = new long[15];
                String page = "";
                for (int i = 0; i < times.length; i++) {
                    long s = System.nanoTime();
                    page = get(uri);
                    times[i] = System.nanoTime() - s;
                }
                int found = page.split("</a><div class=\"meta\">", -1).length - 1;
                System.out.printf("search: %-28s %3d episodes shown, p50 %.1f ms, max %.1f ms%n", q, found,
                        ms(pct(times, 50)), ms(pct(times, 100)));
            }
        }
    }

    /** A journal written the way the daemon writes it, without an fsync a line (these are fixtures). */
    private static void writeEpisode(Path file, int messages, Random random, boolean markdown) throws IOException {
        writeEpisode(file, messages, random, markdown, 1);
    }

    private static void writeEpisode(Path file, int messages, Random random, boolean markdown, int paragraphs)
            throws IOException {
        Files.createDirectories(file.getParent());
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("{\"type\":\"start\",\"seq\":1,\"ts\":\"" + T0 + "\",\"conversation\":\"bench\",\"seats\":["
                    + "{\"id\":\"ada\",\"name\":\"Ada\",\"provider\":\"r\",\"model\":\"m\"},"
                    + "{\"id\":\"basil\",\"name\":\"Basil\",\"provider\":\"r\",\"model\":\"m\"}],\"rooms\":[\"bench\"]}\n");
            for (int i = 0; i < messages; i++) {
                String text = sentence(random, 50);
                for (int p = 1; p < paragraphs; p++) {
                    text += "\n\n" + sentence(random, 8);
                }
                if (random.nextInt(1000) == 0) {
                    text += " zeppelin";
                }
                if (random.nextInt(200) == 0) {
                    text += " narwhal";
                }
                if (markdown) {
                    text = "**" + text.substring(0, 20) + "** " + text.substring(20) + "\n\n- one *point*\n- `two`";
                }
                boolean ada = i % 2 == 0;
                out.write("{\"type\":\"message\",\"seq\":" + (i + 2) + ",\"ts\":\"" + T0.plusSeconds(i)
                        + "\",\"speaker\":\"" + (ada ? "Ada" : "Basil") + "\",\"kind\":\"model\",\"seat\":\""
                        + (ada ? "ada" : "basil") + "\",\"text\":\"" + text.replace("\n", "\\n") + "\",\"turn\":"
                        + (i + 1) + ",\"provider\":\"r\",\"model\":\"m\"}\n");
            }
            out.write("{\"type\":\"stop\",\"seq\":" + (messages + 2) + ",\"ts\":\"" + T0.plusSeconds(messages)
                    + "\",\"reason\":\"reached the limit\"}\n");
        }
    }

    private static String sentence(Random random, int words) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words; i++) {
            b.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return b.toString();
    }

    private static WebServer start(Path dir, JournalFeed feed, StatusSource status) {
        return WebServer.start(new WebOptions(dir, ZoneId.of("UTC"), false, Set.of(), Set.of()), "127.0.0.1", 0, feed,
                status, "bench");
    }

    private static String get(URI uri) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered " + r.statusCode());
        }
        return r.body();
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long pct(long[] values, int p) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v[Math.min(v.length - 1, (int) Math.ceil(p / 100.0 * v.length) - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
