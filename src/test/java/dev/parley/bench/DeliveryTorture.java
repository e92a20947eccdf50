package dev.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.app.ParleyProcess;
import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalReader;
import dev.parley.archive.Transcript;
import dev.parley.archive.TranscriptWriter;
import dev.parley.irc.IrcLine;
import dev.parley.irc.IrcServerFixture;
import dev.parley.irc.RawIrcClient;
import dev.parley.matrix.SynapseFixture;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Kills the real jar with SIGKILL at random moments while one conversation, paced and streaming paragraph by
 * paragraph, is shown in an ngircd channel and a Synapse room; every few kills the homeserver is down meanwhile,
 * or the IRC server is killed and restarted. After the last kill a final start finishes the conversation. Then:
 * does each room show exactly what the journal holds for it (nothing lost, nothing twice, in order), and is the
 * transcript the seats' scripts in order, each line once (a line cut by a kill counts as said, as far as shown)?
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat cp.txt) -Dparley.jar=target/parley.jar \
 *     dev.parley.bench.DeliveryTorture [kills] [seed]</pre>
 * Needs ngircd and the Synapse venv (see docs/matrix.md). Too slow for CI (about 4 minutes for 25 kills).
 */
public final class DeliveryTorture {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHANNEL = "#torture";
    private static final Set<String> IRC_NICKS = Set.of("ada", "basil", "parley");
    private static final int LINES = 150;

    private final Path dir;
    private final Random random;
    private final SynapseFixture synapse;
    private final IrcServerFixture ngircd;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> ircSeen = new CopyOnWriteArrayList<>();
    private String aliceToken;
    private String roomId;
    private RawIrcClient watcher;
    private int synapseOutages;
    private int ircOutages;

    private DeliveryTorture(Path dir, long seed, SynapseFixture synapse, IrcServerFixture ngircd) {
        this.dir = dir;
        this.random = new Random(seed);
        this.synapse = synapse;
        this.ngircd = ngircd;
    }

    public static void main(String[] args) throws Exception {
        int kills = args.length > 0 ? Integer.parseInt(args[0]) : 25;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : System.nanoTime();
        Path dir = Files.createTempDirectory("parley-torture");
        try (SynapseFixture synapse = SynapseFixture.start(SynapseFixture.Options.relaxed());
             IrcServerFixture ngircd = IrcServerFixture.start(IrcServerFixture.Kind.NGIRCD)) {
            boolean ok = new DeliveryTorture(dir, seed, synapse, ngircd).run(kills);
            System.out.println("seed " + seed + ", files in " + dir);
            System.exit(ok ? 0 : 1);
        }
    }

    private boolean run(int kills) throws Exception {
        aliceToken = synapse.register("alice", "alice-pw", false);
        String control = synapse.register("host", "host-pw", false);
        synapse.register("ada", "ada-pw", false);
        synapse.register("basil", "basil-pw", false);
        roomId = call("POST", "/createRoom", "{\"room_alias_name\":\"torture\",\"preset\":\"public_chat\"}")
                .path("room_id").asText();
        Files.writeString(dir.resolve("control.token"), control);
        Path conf = writeConfig();
        Path journalDir = dir.resolve("transcripts/torture");
        watch();

        long t0 = System.nanoTime();
        for (int k = 1; k <= kills; k++) {
            try (ParleyProcess p = ParleyProcess.start(dir, "run" + k, "run", "--once", "--config", conf.toString())) {
                int runs = k;
                // Each run gets going first (both rooms joined: "Starting ..." or "Picking up ..."), then dies.
                p.awaitJournal(journalDir, events -> events.stream().filter(JournalEvent.Notice.class::isInstance)
                        .map(e -> ((JournalEvent.Notice) e).text())
                        .filter(t -> t.startsWith("Starting") || t.startsWith("Picking up")).count() >= runs,
                        Duration.ofMinutes(2));
                Thread.sleep(300 + random.nextInt(3000));
                boolean matrixDown = k % 5 == 0;
                boolean ircDown = k % 7 == 3;
                if (matrixDown) {
                    synapse.stop();
                    synapseOutages++;
                }
                if (ircDown) {
                    ngircd.kill();
                    ircOutages++;
                }
                if (matrixDown || ircDown) {
                    Thread.sleep(500 + random.nextInt(2500)); // parley journals what it cannot send
                }
                if (!p.process().isAlive()) {
                    System.out.println("run " + k + " ended by itself:\n" + p.output());
                    break;
                }
                p.process().destroyForcibly();
                p.process().waitFor();
                System.out.printf("kill %d%s%s, IRC lines seen so far %d%n", k, matrixDown ? " (Synapse down)" : "",
                        ircDown ? " (ngircd killed)" : "", ircSeen.size());
                if (matrixDown) {
                    synapse.start();
                }
                if (ircDown) {
                    ngircd.restart();
                    watch();
                }
            }
            System.out.printf("kill %d: %d messages journalled%n", k, ParleyProcess.messages(
                    JournalReader.read(ParleyProcess.onlyJournal(journalDir, true))).size());
        }
        int exit;
        try (ParleyProcess last = ParleyProcess.start(dir, "last", "run", "--once", "--config", conf.toString())) {
            exit = last.waitFor(Duration.ofMinutes(5));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Thread.sleep(3000); // the last notices reach both rooms' readers

        List<JournalEvent> journal = JournalReader.read(ParleyProcess.onlyJournal(journalDir, true));
        List<String> matrixExpected = outgoing(journal, "matrix ");
        List<String> matrixShown = matrixBodies();
        List<String> ircExpected = outgoing(journal, "irc ").stream()
                .flatMap(t -> Arrays.stream(t.split("\n"))).filter(l -> !l.isBlank()).toList();
        long restarts = journal.stream().filter(JournalEvent.Restart.class::isInstance).count();
        Script script = Script.check(ParleyProcess.messages(journal));
        System.out.printf("%d kills (%d with Synapse down, %d with ngircd killed), %d restarts journalled, final "
                + "exit %d, %.0f s%n", kills, synapseOutages, ircOutages, restarts, exit, seconds);
        boolean matrixOk = report("matrix", matrixExpected, matrixShown);
        boolean ircOk = report("irc", ircExpected, List.copyOf(ircSeen));
        System.out.printf("transcript: %d messages, %d cut by a kill (shown part kept), %d script lines "
                + "repeated, %d skipped, order kept: %s%n", script.messages, script.cut, script.repeated,
                script.skipped, script.ordered);
        return exit == 0 && matrixOk && ircOk && script.repeated == 0 && script.skipped == 0 && script.ordered;
    }

    /** Compares what a room shows with what the journal holds for it; prints lost, duplicated, order. */
    private static boolean report(String room, List<String> expected, List<String> shown) {
        List<String> rest = new ArrayList<>(shown);
        int lost = 0;
        for (String e : expected) {
            if (!rest.remove(e)) {
                lost++;
            }
        }
        int duplicated = shown.size() - (expected.size() - lost);
        rest.forEach(extra -> System.out.printf("%s: shown more often than journalled: %s%n", room, extra));
        boolean ordered = shown.equals(expected) || isSubsequence(expected, shown);
        System.out.printf("%s: %d parcels journalled, %d shown, %d lost, %d duplicated, order kept: %s%n", room,
                expected.size(), shown.size(), lost, duplicated, ordered);
        return lost == 0 && duplicated == 0 && shown.equals(expected);
    }

    private static boolean isSubsequence(List<String> a, List<String> b) {
        int i = 0;
        for (String x : b) {
            if (i < a.size() && a.get(i).equals(x)) {
                i++;
            }
        }
        return i == a.size();
    }

    private static List<String> outgoing(List<JournalEvent> events, String roomPrefix) {
        return events.stream().filter(JournalEvent.Outgoing.class::isInstance).map(JournalEvent.Outgoing.class::cast)
                .filter(o -> o.rooms().stream().anyMatch(r -> r.startsWith(roomPrefix)))
                .map(o -> JournalEvent.Outgoing.RELAY.equals(o.kind()) ? "<" + o.sender() + "> " + o.text() : o.text())
                .toList();
    }

    /** A human in the IRC channel, again after each server restart; keeps our identities' lines. */
    private void watch() throws IOException {
        if (watcher != null) {
            watcher.close();
        }
        watcher = RawIrcClient.connect(ngircd.host(), ngircd.port(), "watcher", "watcher");
        watcher.join(CHANNEL);
        RawIrcClient mine = watcher;
        Thread t = new Thread(() -> {
            int taken = 0;
            while (true) {
                List<IrcLine> all = mine.allLines();
                for (; taken < all.size(); taken++) {
                    IrcLine l = all.get(taken);
                    if ((l.command().equals("PRIVMSG") || l.command().equals("NOTICE"))
                            && l.param(0).equalsIgnoreCase(CHANNEL) && IRC_NICKS.contains(l.nick())) {
                        ircSeen.add(l.param(1));
                    }
                }
                if (mine != watcher && taken == mine.allLines().size()) {
                    return;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "torture-watcher");
        t.setDaemon(true);
        t.start();
    }

    private List<String> matrixBodies() throws Exception {
        Set<String> ours = Set.of("@host:localhost", "@ada:localhost", "@basil:localhost");
        List<String> out = new ArrayList<>();
        String from = null;
        while (true) {
            JsonNode page = call("GET", "/rooms/" + enc(roomId) + "/messages?dir=f&limit=500"
                    + (from == null ? "" : "&from=" + enc(from)), null);
            for (JsonNode ev : page.path("chunk")) {
                if ("m.room.message".equals(ev.path("type").asText()) && ours.contains(ev.path("sender").asText())) {
                    out.add(ev.path("content").path("body").asText());
                }
            }
            if (!page.hasNonNull("end") || page.path("chunk").isEmpty()) {
                return out;
            }
            from = page.path("end").asText();
        }
    }

    private JsonNode call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(synapse.url() + "/_matrix/client/v3" + path))
                .header("Authorization", "Bearer " + aliceToken).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(r, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Line {@code i} of the script: three short paragraphs, numbered so that any swap or repeat shows. */
    static String line(int i) {
        StringBuilder sb = new StringBuilder();
        for (int p = 1; p <= 3; p++) {
            sb.append(p > 1 ? "\n\n" : "").append("Line ").append(i).append(", paragraph ").append(p)
                    .append(": the quick brown fox number ").append(i * 3 + p).append(" jumps the lazy dog.");
        }
        return sb.toString();
    }

    /** The transcript against the scripts: each seat's lines in order, each once; a kill may cut one short. */
    private record Script(int messages, int cut, int repeated, int skipped, boolean ordered) {
        static Script check(List<JournalEvent.Said> said) {
            int cut = 0;
            int repeated = 0;
            int skipped = 0;
            boolean ordered = true;
            int[] next = {0, 1}; // Ada says the even lines, Basil the odd ones
            for (JournalEvent.Said s : said) {
                int seat = "ada".equals(s.seat()) ? 0 : 1;
                int n = Integer.parseInt(s.text().replaceFirst("(?s)^Line (\\d+),.*", "$1"));
                if (!s.text().equals(line(n))) {
                    if (!line(n).startsWith(s.text())) {
                        ordered = false;
                    }
                    cut++;
                }
                if (n < next[seat]) {
                    repeated++;
                    ordered = false;
                } else {
                    skipped += (n - next[seat]) / 2;
                    next[seat] = n + 2;
                }
            }
            return new Script(said.size(), cut, repeated, skipped, ordered);
        }
    }

    private Path writeConfig() throws IOException {
        List<Transcript.Entry> lines = new ArrayList<>();
        for (int i = 0; i < LINES; i++) {
            lines.add(new Transcript.Entry(i % 2 == 0 ? "Ada" : "Basil", line(i)));
        }
        Path script = dir.resolve("script.md");
        TranscriptWriter.write(new Transcript(List.of("Ada", "Basil"), LocalDateTime.parse("2026-11-26T09:00:00"),
                LocalDateTime.parse("2026-11-26T09:10:00"), lines), script);
        for (String seat : List.of("ada", "basil")) {
            Files.writeString(dir.resolve(seat + ".pw"), seat + "-pw");
        }
        Path conf = dir.resolve("torture.conf");
        Files.writeString(conf, """
                transcripts-dir = "%1$s"
                irc.networks.local {
                  host = "127.0.0.1", port = %2$d, control-nick = parley
                  line-delay = 0s, reconnect-min = 200ms, reconnect-max = 1s
                }
                matrix.servers.local {
                  homeserver-url = "%3$s", mode = accounts
                  control-user = "@host:localhost", control-token-file = "%4$s"
                }
                conversations = [
                  {
                    id = torture
                    seats = [
                      { id = ada, name = "Ada", irc { nick = ada }
                        matrix { user = "@ada:localhost", password-file = "%5$s" }
                        model { provider = replay, replay { transcript = "%6$s", speaker = "Ada", chars-per-second = 300 } } }
                      { id = basil, name = "Basil", irc { nick = basil }
                        matrix { user = "@basil:localhost", password-file = "%7$s" }
                        model { provider = replay, replay { transcript = "%6$s", speaker = "Basil", chars-per-second = 300 } } }
                    ]
                    rooms = [
                      { type = irc, network = local, channel = "%8$s" }
                      { type = matrix, server = local, room = "#torture:localhost" }
                    ]
                    pacing { min-delay = 100ms, max-delay = 500ms, typing-chars-per-second = 400, typing-max = 1s }
                    replies { stream-paragraphs = true }
                    stop { max-turns = %9$d }
                    health { enabled = false }
                  }
                ]
                """.formatted(dir.resolve("transcripts"), ngircd.port(), synapse.url(), dir.resolve("control.token"),
                dir.resolve("ada.pw"), script, dir.resolve("basil.pw"), CHANNEL, LINES - 10));
        return conf;
    }
}
