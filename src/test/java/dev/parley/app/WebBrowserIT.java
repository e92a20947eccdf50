package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalReader;
import dev.parley.archive.Transcript;
import dev.parley.archive.TranscriptWriter;
import dev.parley.irc.IrcLine;
import dev.parley.irc.IrcServerFixture;
import dev.parley.irc.RawIrcClient;
import dev.parley.testsupport.RequireServers;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web view in a real browser (Debian's chromium, driven by chromium-driver) while the real jar runs a
 * conversation on a real ngircd: a message reaches the live page within 200 ms of reaching a raw IRC client,
 * pause and resume show, hostile model lines run nothing, the finished episode is in the index, a permalink lands
 * on its message, and /metrics parses and agrees with the journal. Screenshots go to target/web-screenshots.
 */
class WebBrowserIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Each seat's lines; the hostile ones try what a model could, the plain ones are timed. */
    private static final List<String> ADA = List.of(
            "Good morning, tell me about lighthouses.",
            "<img src=x onerror=\"window.pwned=1\"> Keepers lived in them for months.",
            "Fresnel lenses made the beams reach thirty miles.",
            "[click me](javascript:window.pwned=1) for the history of fog horns.",
            "The last keeper of Eddystone left in 1982.",
            "<svg onload=window.pwned=1><script>window.pwned=1</script></svg> Some stand on bare rock.",
            "Automation ended the era of keepers almost everywhere.");
    private static final List<String> BASIL = List.of(
            "They are towers that argue with the dark.",
            "<script>window.pwned=1</script> Months alone with a lamp sounds peaceful.",
            "Thirty miles is a long way for a candle to shout.",
            "&lt;script&gt;window.pwned=1&lt;/script&gt; Fog horns are the lighthouse clearing its throat.",
            "Nineteen eighty two feels recent for such an old job.",
            "![pixel](javascript:window.pwned=1) Bare rock, bare sea, bare nerves.",
            "Machines do not get lonely, or so we hope.");

    @TempDir
    Path dir;

    @Test
    void aLiveEpisodeInTheBrowserKeepsUpWithIrcAndTheArchiveReadsWell() throws Exception {
        RequireServers.assume(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "chromium and chromium-driver (apt-get install chromium chromium-driver)");
        RequireServers.assume(IrcServerFixture.Kind.NGIRCD.installed(), IrcServerFixture.Kind.NGIRCD.packageHint());
        int port = freePort();
        URI site = URI.create("http://127.0.0.1:" + port + "/");
        HttpClient http = HttpClient.newHttpClient();
        Path screenshots = Path.of("target", "web-screenshots");
        Files.createDirectories(screenshots);

        try (IrcServerFixture irc = IrcServerFixture.start(IrcServerFixture.Kind.NGIRCD);
             RawIrcClient kate = RawIrcClient.connect(irc.host(), irc.port(), "kate", "kate")) {
            kate.join("#web");
            Map<String, Long> seenOnIrc = new ConcurrentHashMap<>();
            Thread listener = new Thread(() -> listen(kate, seenOnIrc), "irc-observer");
            listener.setDaemon(true);
            listener.start();

            Path conf = writeConfig(irc, port);
            Path journalDir = dir.resolve("transcripts/web-live");
            WebDriver browser = chromium();
            try (ParleyProcess parley = ParleyProcess.start(dir, "web", "run", "--config", conf.toString())) {
                parley.awaitJournal(journalDir, events -> !events.isEmpty(), WAIT);
                Path journal = ParleyProcess.onlyJournal(journalDir, true);
                String episode = "c/web-live/" + journal.getFileName().toString().replace(".jsonl", "") + "/";
                try {
                    browser.get(site.resolve(episode).toString());
                    JavascriptExecutor js = (JavascriptExecutor) browser;
                    // Note when each item reaches the page, by the browser's clock (the same clock as ours).
                    js.executeScript("window.seen = [];"
                            + "new MutationObserver(function (ms) { ms.forEach(function (m) {"
                            + "  m.addedNodes.forEach(function (n) { if (n.nodeType === 1) {"
                            + "    window.seen.push([Date.now(), n.textContent]); } }); }); })"
                            + ".observe(document.getElementById('log'), {childList: true});");
                    WebDriverWait wait = new WebDriverWait(browser, WAIT);
                    wait.until(d -> "open".equals(d.findElement(By.tagName("article")).getAttribute("data-live")));
                    // Timed from the first item the stream delivered: a stream's start (reading the journal it
                    // follows) took 0.1-0.3 s on this machine, and the message said meanwhile came with it.
                    wait.until(d -> ((Number) ((JavascriptExecutor) d).executeScript("return window.seen.length"))
                            .intValue() > 0);
                    long following = System.currentTimeMillis();

                    parley.awaitJournal(journalDir, events -> ParleyProcess.messages(events).size() >= 3, WAIT);
                    kate.say("#web", "!pause");
                    wait.until(d -> "paused".equals(d.findElement(By.id("state")).getAttribute("data-state")));
                    kate.say("#web", "hello from kate, carry on");
                    kate.say("#web", "!resume");
                    wait.until(d -> "running".equals(d.findElement(By.id("state")).getAttribute("data-state")));

                    wait.until(d -> "ended".equals(d.findElement(By.id("state")).getAttribute("data-state")));
                    assertThat(browser.findElement(By.id("state")).getText()).contains("reached the limit of 14 turns");
                    assertThat(js.executeScript("return typeof window.pwned")).isEqualTo("undefined");
                    assertThat(browser.findElements(By.cssSelector("#log script, #log img, #log svg"))).isEmpty();

                    List<Long> lags = lags(js, seenOnIrc, following);
                    System.out.printf("WebBrowserIT: IRC to browser, ms, per plain message: %s%n", lags);
                    // The first lines may be on the page before it loaded; the rest arrive live.
                    assertThat(lags).as("plain messages timed").hasSizeGreaterThanOrEqualTo(4)
                            .allSatisfy(lag -> assertThat(lag).isLessThan(200));
                    screenshot(browser, screenshots.resolve("episode.png"));

                    List<JournalEvent> events = JournalReader.read(journal);
                    JournalEvent.Said fifth = ParleyProcess.messages(events).get(4);
                    browser.get(site.resolve(episode + "index.html#m-" + fifth.seq()).toString());
                    wait.until(d -> ((JavascriptExecutor) d).executeScript(
                            "var t = document.querySelector(':target'); if (!t) return false;"
                                    + "var r = t.getBoundingClientRect();"
                                    + "return t.id === 'm-" + fifth.seq() + "' && r.top >= 0 && r.top < window.innerHeight;"));

                    browser.get(site.toString());
                    assertThat(browser.findElements(By.cssSelector("ol.episodes > li a")))
                            .extracting(e -> e.getAttribute("href")).contains(site.resolve(episode + "index.html")
                                    .toString());
                    assertThat(browser.findElement(By.cssSelector("section.now")).getText())
                            .contains("waiting for start");
                    assertThat(browser.findElements(By.cssSelector("section.now .badge")))
                            .extracting(WebElement::getText).containsExactly("waiting for start", "waiting for start");
                    screenshot(browser, screenshots.resolve("index.png"));
                    // A phone's width: nothing may stick out sideways.
                    browser.manage().window().setSize(new org.openqa.selenium.Dimension(412, 915));
                    browser.get(site.resolve(episode).toString());
                    assertThat(js.executeScript("return document.documentElement.scrollWidth <= window.innerWidth"))
                            .as("no sideways scrolling on a phone").isEqualTo(true);
                    screenshot(browser, screenshots.resolve("episode-phone.png"));

                    String metrics = http.send(HttpRequest.newBuilder(site.resolve("metrics")).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    Map<String, Double> samples = parsePrometheus(metrics);
                    long models = ParleyProcess.messages(events).stream().filter(JournalEvent.Said::isModel).count();
                    long humans = ParleyProcess.messages(events).stream().filter(JournalEvent.Said::isHuman).count();
                    assertThat(samples.get("parley_messages_total{conversation=\"web-live\",kind=\"model\"}"))
                            .isEqualTo((double) models);
                    assertThat(samples.get("parley_messages_total{conversation=\"web-live\",kind=\"human\"}"))
                            .isEqualTo((double) humans);
                    assertThat(samples.get("parley_pauses_total{by=\"operator\",conversation=\"web-live\"}"))
                            .isEqualTo((double) events.stream().filter(JournalEvent.Pause.class::isInstance).count());
                    // The idle conversation waits for !start: a host makes its journal only when an episode begins.
                    Path idleJournal = ParleyProcess.onlyJournal(dir.resolve("transcripts/web-idle"), false);
                    long idle = idleJournal == null ? 0 : JournalReader.read(idleJournal).size();
                    assertThat(samples.get("parley_journal_append_seconds_count"))
                            .as("appends to both conversations' journals").isEqualTo((double) events.size() + idle);
                    // The host's word: after its episode web-live waits for !start, as web-idle does (from journal
                    // events alone it said "ended").
                    assertThat(samples.get("parley_conversations{state=\"waiting\"}")).isEqualTo(2.0);
                    assertThat(samples.get("parley_conversations{state=\"ended\"}")).isEqualTo(0.0);
                    for (String nick : List.of("parley", "Ada", "Basil")) {
                        assertThat(samples.get("parley_irc_connected{network=\"local\",nick=\"" + nick + "\"}"))
                                .as("IRC connection of " + nick).isEqualTo(1.0);
                    }
                    // Every reply streamed: one first token per model message, each under the +Inf bucket.
                    String firstToken = "parley_model_first_token_seconds";
                    assertThat(sum(samples, firstToken + "_count{conversation=\"web-live\","))
                            .isEqualTo((double) models);
                    assertThat(sum(samples, firstToken + "_bucket{conversation=\"web-live\",", "le=\"+Inf\"}"))
                            .isEqualTo((double) models);
                    assertThat(sum(samples, "parley_model_reply_seconds_count{conversation=\"web-live\","))
                            .as("whole replies, from the journal").isEqualTo((double) models);
                    System.out.printf("WebBrowserIT: first token, s, sum over %d replies: %.3f%n", models,
                            sum(samples, firstToken + "_sum{conversation=\"web-live\","));
                    assertThat(metrics).doesNotContain("kate");
                } catch (org.openqa.selenium.TimeoutException | AssertionError e) {
                    System.out.println("WebBrowserIT: the page was\n" + browser.getPageSource() + "\nthe journal:\n"
                            + Files.readString(journal) + "\n" + parley.output());
                    throw e;
                } finally {
                    browser.quit();
                }
                parley.process().destroy();
                parley.waitFor(Duration.ofSeconds(30));
            }
        }
    }

    /**
     * For each plain line of the script said once the page followed the episode live: when the browser showed it,
     * less when the IRC observer saw it.
     */
    @SuppressWarnings("unchecked")
    private static List<Long> lags(JavascriptExecutor js, Map<String, Long> seenOnIrc, long following) {
        List<List<Object>> seen = (List<List<Object>>) js.executeScript("return window.seen");
        List<Long> lags = new ArrayList<>();
        List<String> plain = new ArrayList<>();
        for (List<String> lines : List.of(ADA, BASIL)) {
            lines.stream().filter(l -> !l.contains("<") && !l.contains("&") && !l.contains("](")).forEach(plain::add);
        }
        for (String line : plain) {
            Long irc = seenOnIrc.get(line);
            Long page = seen.stream().filter(s -> ((String) s.get(1)).contains(line))
                    .map(s -> ((Number) s.get(0)).longValue()).findFirst().orElse(null);
            if (irc != null && page != null && irc > following) {
                lags.add(page - irc);
            } else {
                System.out.printf("WebBrowserIT: not timed: %s (IRC %s, page %s)%n", line, irc, page);
            }
        }
        return lags;
    }

    private static void listen(RawIrcClient client, Map<String, Long> seen) {
        try {
            while (true) {
                IrcLine line = client.await(l -> l.command().equals("PRIVMSG") && l.param(0).equalsIgnoreCase("#web"),
                        Duration.ofMinutes(5));
                seen.putIfAbsent(line.param(1), System.currentTimeMillis());
            }
        } catch (IOException e) {
            // the client was closed at the end of the test
        }
    }

    private static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1000,1400");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static void screenshot(WebDriver browser, Path to) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("WebBrowserIT: screenshot " + to.toAbsolutePath());
    }

    /** Every sample of a Prometheus text exposition, by name and labels; fails on a line that is not valid. */
    /** The sum of the samples whose series starts with {@code prefix} (and ends with {@code suffix}, if given). */
    private static double sum(Map<String, Double> samples, String prefix, String... suffix) {
        return samples.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)
                        && (suffix.length == 0 || e.getKey().endsWith(suffix[0])))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    static Map<String, Double> parsePrometheus(String text) {
        Pattern sample = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\""
                + ",?)*\\})?) ([-+]?(?:[0-9.]+(?:[eE][-+]?[0-9]+)?|NaN|Inf))");
        Map<String, Double> out = new java.util.HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                continue;
            }
            Matcher m = sample.matcher(line);
            assertThat(m.matches()).as("a Prometheus sample line: %s", line).isTrue();
            out.put(m.group(1), Double.parseDouble(m.group(2).replace("Inf", "Infinity")));
        }
        return out;
    }

    private Path writeConfig(IrcServerFixture irc, int port) throws IOException {
        Path script = dir.resolve("script.md");
        List<Transcript.Entry> entries = new ArrayList<>();
        for (int i = 0; i < ADA.size(); i++) {
            entries.add(new Transcript.Entry("Ada", ADA.get(i)));
            entries.add(new Transcript.Entry("Basil", BASIL.get(i)));
        }
        TranscriptWriter.write(new Transcript(List.of("Ada", "Basil"), LocalDateTime.parse("2026-11-26T09:00:00"),
                LocalDateTime.parse("2026-11-26T09:10:00"), entries), script);
        Path conf = dir.resolve("web.conf");
        String s = quote(script);
        Files.writeString(conf, """
                transcripts-dir = %s
                http { enabled = true, bind = "127.0.0.1", port = %d }
                irc.networks.local {
                  host = "%s", port = %d, control-nick = "parley", operator-masks = ["kate!*@*"]
                  line-delay = 0s, burst = 20
                }
                conversations = [
                  {
                    id = web-live
                    seats = [
                      { id = ada, name = "Ada", irc.nick = "Ada", model { provider = replay, replay { transcript = %s, speaker = "Ada" } } }
                      { id = basil, name = "Basil", irc.nick = "Basil", model { provider = replay, replay { transcript = %s, speaker = "Basil" } } }
                    ]
                    rooms = [ { type = irc, network = local, channel = "#web" } ]
                    pacing { min-delay = 700ms, max-delay = 900ms, typing-chars-per-second = 0 }
                    stop { max-turns = 14 }
                    health { enabled = false }
                  }
                  {
                    id = web-idle
                    auto-start = false
                    seats = [
                      { id = cleo, name = "Cleo", irc.nick = "Cleo", model { provider = replay, replay { transcript = %s, speaker = "Ada" } } }
                      { id = dov, name = "Dov", irc.nick = "Dov", model { provider = replay, replay { transcript = %s, speaker = "Basil" } } }
                    ]
                    rooms = [ { type = irc, network = local, channel = "#idle" } ]
                  }
                ]
                """.formatted(quote(dir.resolve("transcripts")), port, irc.host(), irc.port(), s, s, s, s));
        return conf;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String quote(Path p) {
        return "\"" + p.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
