package dev.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.matrix.HumanClient;
import dev.parley.matrix.SynapseFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Start-up on Matrix as a user sees it: from launching {@code java -jar target/parley.jar run --config ...} (replay
 * seats in one public room of a local Synapse, accounts mode: the control identity and each seat are their own
 * Matrix users, each logging in with a password) until a Matrix client of the benchmark, long-polling /sync for the
 * room's member events, has seen every identity join. Synapse is started once and the users registered once;
 * then each run is a fresh JVM, stopped with SIGTERM once all are in.
 *
 * <p>Matrix membership outlives the process (parley does not leave on shutdown), so each run must start with the
 * identities out of the room, or there is nothing to see from outside. Two ways, the last argument:
 * <ul>
 *   <li>{@code first} (default): a new room each run and a fresh transcripts directory: a first start in a room,
 *   new devices (parley's device id is per user and room), no saved /sync position;</li>
 *   <li>{@code restart}: the same room and transcripts directory every run (journals, series state and the saved
 *   /sync position kept, so the episode resumes and password logins reuse their devices); after each run every
 *   identity leaves the room through the API, so the next start has to join again. A real restart finds the
 *   identities still in the room and does the same requests (a join of a member is answered at once), so this is
 *   an upper bound for it;</li>
 *   <li>{@code stay}: that real restart, the daemon's usual start: the same room and state, the identities left in
 *   the room. Their joins change nothing in the room (Synapse answers a member's join with its join event of
 *   before), so nothing shows from outside; an identity counts as joined when Synapse's request log shows its
 *   join answered (200) after the launch, which the benchmark reads every 2 ms.</li>
 * </ul>
 *
 * <pre>
 * java -cp target/parley.jar:target/test-classes:$(cat target/bench.classpath) dev.parley.bench.MatrixStartupBenchmark \
 *     [runs] [seats] [jar] [first|restart|stay] [password|token] [-- jvm-args...]
 * </pre>
 * {@code token} gives every identity the access token its registration returned instead of a password: no login,
 * so no password hash on the homeserver (Synapse's bcrypt, about 0.24 s of its CPU per login here).
 * {@code -Dparley.bench.keep-logs=DIR} keeps Synapse's log (each request with its duration) and parley's
 * stderr there. Needs the Synapse venv ({@code PARLEY_SYNAPSE_PYTHON}, see {@link SynapseFixture#python()}).
 */
public final class MatrixStartupBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTROL = "parley";

    private MatrixStartupBenchmark() { }

    public static void main(String[] argv) throws Exception {
        StartupRuns.Args args = StartupRuns.Args.parse(argv);
        String mode = args.rest().isEmpty() ? "first" : args.rest().get(0);
        if (!List.of("first", "restart", "stay").contains(mode)) {
            throw new IllegalArgumentException("mode must be first, restart or stay, not " + mode);
        }
        boolean tokens = args.rest().size() > 1 && args.rest().get(1).equals("token");
        if (args.rest().size() > 1 && !tokens && !args.rest().get(1).equals("password")) {
            throw new IllegalArgumentException("login must be password or token, not " + args.rest().get(1));
        }
        if (!SynapseFixture.available()) {
            throw new IllegalStateException("no Synapse: " + SynapseFixture.python() + " cannot import synapse "
                    + "(set PARLEY_SYNAPSE_PYTHON to the venv's python)");
        }
        String version = synapseVersion();
        Path dir = Files.createTempDirectory("parley-matrix-startup");
        try (SynapseFixture synapse = SynapseFixture.start(SynapseFixture.Options.relaxed())) {
            HumanClient watcher = new HumanClient(synapse.url(), synapse.register("watcher", "watcher-pw", false),
                    "@watcher:localhost");
            // Each identity's own token (a device of its own, not parley's), to make it leave between runs.
            Map<String, HumanClient> identities = new LinkedHashMap<>();
            List<String> names = new ArrayList<>(List.of(CONTROL));
            for (int i = 0; i < args.seats(); i++) {
                names.add("seat" + i);
            }
            for (String name : names) {
                String password = name + "-bench-pw";
                Files.writeString(dir.resolve(name + ".pw"), password);
                String user = "@" + name + ":localhost";
                String token = synapse.register(name, password, false);
                Files.writeString(dir.resolve(name + ".token"), token);
                identities.put(user, new HumanClient(synapse.url(), token, user));
            }
            Path transcripts = dir.resolve("transcripts");
            Path config = dir.resolve("startup.conf");
            String alias = null;
            String roomId = null;
            MembershipWatch watch = null;
            List<StartupRuns.Sample> samples = new ArrayList<>();
            List<Long> synapseCpu = new ArrayList<>();
            for (int run = 1; run <= args.runs(); run++) {
                if (roomId == null || mode.equals("first")) {
                    alias = "startup" + run + "-" + System.nanoTime();
                    roomId = watcher.createRoom(alias, true, List.of());
                    Files.writeString(config, config(synapse.url(), args.seats(), dir, tokens, transcripts,
                            "#" + alias + ":localhost"));
                    watch = new MembershipWatch(watcher, roomId);
                }
                if (mode.equals("first")) {
                    StartupRuns.deleteTree(transcripts);
                }
                watch.catchUp();
                MembershipWatch w = watch;
                JoinLog joinLog = new JoinLog(synapse.dir().resolve("synapse.log"));
                // Synapse's own CPU over the same span: on one machine the homeserver's work (a password hash
                // per login) competes with the daemon's for the same cores.
                long synapsePid = synapse.pid();
                long synapseBefore = StartupRuns.cpuMillis(synapsePid);
                long[] synapseAtJoin = {-1};
                // The first run of "stay" joins for real: the identities are not in the new room yet.
                boolean fromLog = mode.equals("stay") && run > 1;
                StartupRuns.Sample s = StartupRuns.once(args, config, dir.resolve("stderr.log"), () -> {
                    if (fromLog) {
                        joinLog.awaitAllJoined(identities.keySet());
                    } else {
                        w.awaitAllJoined(identities.keySet());
                    }
                    synapseAtJoin[0] = StartupRuns.cpuMillis(synapsePid);
                });
                samples.add(s);
                StartupRuns.printRun(run, s);
                synapseCpu.add(synapseAtJoin[0] - synapseBefore);
                System.out.println("  Synapse's CPU meanwhile: " + (synapseAtJoin[0] - synapseBefore) + " ms");
                if (mode.equals("restart")) {
                    for (HumanClient identity : identities.values()) {
                        identity.call("POST", "/rooms/" + HumanClient.enc(roomId) + "/leave", JSON.createObjectNode());
                    }
                }
                Set<String> stillIn = joined(watcher, roomId);
                stillIn.retainAll(identities.keySet());
                if (mode.equals("restart") && !stillIn.isEmpty()) {
                    throw new IllegalStateException("still in the room after leaving: " + stillIn);
                }
                if (mode.equals("stay") && !stillIn.equals(identities.keySet())) {
                    throw new IllegalStateException("not all in the room after the run: " + stillIn);
                }
            }
            String how = switch (mode) {
                case "first" -> "first start: a new room each run";
                case "restart" -> "restart: the same room and state, the identities made to leave between runs";
                default -> "restart: the same room and state, the identities still in the room, joined when "
                        + "Synapse's log shows each join answered; the first run, a real join, included";
            };
            // Before the summary, which stays the last line (bench/run shows the last two).
            System.out.printf("[startup] Synapse's CPU time from launch to joined: median %.0f ms%n",
                    StartupRuns.median(synapseCpu.stream().mapToLong(Long::longValue).sorted().toArray()));
            StartupRuns.printSummary(args, " on a local Synapse " + version + " (accounts mode, "
                    + (tokens ? "access tokens" : "password logins") + "; " + how + ")", samples);
            String keep = System.getProperty("parley.bench.keep-logs");
            if (keep != null) {
                // Where the time went: Synapse logs each request with its duration, parley its own steps.
                Path to = Files.createDirectories(Path.of(keep));
                Files.copy(synapse.dir().resolve("synapse.log"), to.resolve("synapse.log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.copy(dir.resolve("stderr.log"), to.resolve("parley.log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            StartupRuns.deleteTree(dir);
        }
    }

    /** The room's joined members, as the homeserver has them now. */
    private static Set<String> joined(HumanClient watcher, String roomId) throws Exception {
        JsonNode r = watcher.call("GET", "/rooms/" + HumanClient.enc(roomId) + "/joined_members", null);
        Set<String> users = new HashSet<>();
        r.path("joined").fieldNames().forEachRemaining(users::add);
        return users;
    }

    /** The venv's Synapse version, as its package says (the fixture serves the client API only). */
    private static String synapseVersion() {
        try {
            Process p = new ProcessBuilder(SynapseFixture.python().toString(), "-c",
                    "import synapse; print(synapse.__version__)").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? out : "";
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    /**
     * The benchmark's own view of the room: a /sync long-poll of the watcher filtered to the room's member events,
     * from a position taken just before parley starts, so only joins that happen after it count. One per room,
     * its position carried from run to run: Synapse answers a repeated initial /sync (no {@code since}) from a
     * cache for a while, with an old position that would let the previous run's joins count again.
     */
    private static final class MembershipWatch {
        private final HumanClient watcher;
        private final String roomId;
        private final String filter;
        private String since;

        MembershipWatch(HumanClient watcher, String roomId) throws Exception {
            this.watcher = watcher;
            this.roomId = roomId;
            ObjectNode f = JSON.createObjectNode();
            f.putObject("presence").putArray("types");
            f.putObject("account_data").putArray("types");
            ObjectNode room = f.putObject("room");
            room.putArray("rooms").add(roomId);
            room.putObject("timeline").put("limit", 100).putArray("types").add("m.room.member");
            room.putObject("state").putArray("types").add("m.room.member");
            room.putObject("ephemeral").putArray("types");
            room.putObject("account_data").putArray("types");
            this.filter = HumanClient.enc(f.toString());
            this.since = sync(null, 0).path("next_batch").asText();
        }

        /** Moves the position past everything that happened so far (the leaves between runs). */
        void catchUp() throws Exception {
            since = sync(since, 0).path("next_batch").asText();
        }

        void awaitAllJoined(Set<String> users) throws Exception {
            Set<String> waiting = new HashSet<>(users);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!waiting.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not joined within 60 s: " + waiting);
                }
                JsonNode r = sync(since, 10_000);
                since = r.path("next_batch").asText();
                JsonNode room = r.path("rooms").path("join").path(roomId);
                for (String part : List.of("state", "timeline")) {
                    for (JsonNode e : room.path(part).path("events")) {
                        if ("m.room.member".equals(e.path("type").asText())
                                && "join".equals(e.path("content").path("membership").asText())) {
                            waiting.remove(e.path("state_key").asText());
                        }
                    }
                }
            }
        }

        private JsonNode sync(String from, int timeoutMs) throws Exception {
            return watcher.call("GET", "/sync?filter=" + filter + "&timeout=" + timeoutMs
                    + (from == null ? "" : "&since=" + HumanClient.enc(from)), null);
        }
    }

    /**
     * Synapse's request log from a position taken before the launch: an identity has joined once a line shows its
     * {@code POST /join/...} answered with 200 (Synapse logs the requester, then the request once answered).
     */
    private static final class JoinLog {
        private final Path file;
        private long offset;

        JoinLog(Path file) throws IOException {
            this.file = file;
            this.offset = Files.size(file);
        }

        void awaitAllJoined(Set<String> users) throws Exception {
            Set<String> waiting = new HashSet<>(users);
            StringBuilder partial = new StringBuilder();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!waiting.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no join answered within 60 s for " + waiting);
                }
                try (var ch = java.nio.channels.FileChannel.open(file)) {
                    long size = ch.size();
                    if (size > offset) {
                        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) (size - offset));
                        ch.read(buf, offset);
                        offset = size;
                        partial.append(new String(buf.array(), java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
                int nl;
                while ((nl = partial.indexOf("\n")) >= 0) {
                    String line = partial.substring(0, nl);
                    partial.delete(0, nl + 1);
                    if (line.contains("Processed request") && line.contains(" 200 \"POST /_matrix/client/v3/join/")) {
                        waiting.removeIf(u -> line.contains("{" + u + "}"));
                    }
                }
                if (!waiting.isEmpty()) {
                    Thread.sleep(2);
                }
            }
        }
    }

    /** {@code tokens}: every identity uses the access token registration gave it, instead of logging in. */
    private static String config(String homeserver, int seats, Path dir, boolean tokens, Path transcripts,
                                 String room) {
        StringBuilder s = new StringBuilder();
        s.append("transcripts-dir = \"").append(transcripts).append("\"\n");
        s.append("matrix.servers.local {\n  homeserver-url = \"").append(homeserver).append("\"\n")
                .append("  mode = accounts\n  control-user = \"@").append(CONTROL).append(":localhost\"\n")
                .append(tokens ? "  control-token-file = \"" : "  control-password-file = \"")
                .append(dir.resolve(CONTROL + (tokens ? ".token" : ".pw"))).append("\"\n}\n");
        s.append("conversations = [ { id = startup, auto-start = true, seats = [\n");
        for (int i = 0; i < seats; i++) {
            String speaker = i % 2 == 0 ? "Ada" : "Basil";
            s.append("  { id = seat").append(i).append(", name = \"").append(speaker).append(i)
                    .append("\", matrix { user = \"@seat").append(i).append(":localhost\", ")
                    .append(tokens ? "access-token-file = \"" : "password-file = \"")
                    .append(dir.resolve("seat" + i + (tokens ? ".token" : ".pw")))
                    .append("\" }, model { provider = replay, ")
                    .append("replay { transcript = \"classpath:dialogues/demo.md\", speaker = \"").append(speaker)
                    .append("\" } } }\n");
        }
        s.append("], rooms = [ { type = matrix, server = local, room = \"").append(room).append("\" } ] } ]\n");
        return s.toString();
    }
}
