package dev.parley.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.app.ParleyProcess;
import dev.parley.archive.Archive;
import dev.parley.archive.TranscriptParser;
import dev.parley.testsupport.RequireServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * parley behind pantalaimon in an end-to-end encrypted room, with every part real: Synapse, pantalaimon in front
 * of it, the parley jar logging its identities in through the proxy (accounts mode, passwords), and a human whose
 * client really encrypts (matrix-nio with olm). Every message event in the room is {@code m.room.encrypted}; the
 * human decrypts every seat line and notice as it arrives, the first ones included (the start-up race: see
 * {@link RoomEncryption#primed}); her encrypted {@code !pause} is obeyed; and the transcript holds exactly the
 * lines she read.
 */
class MatrixE2eProxyIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Set<String> OURS = Set.of("@parley:localhost", "@kimi:localhost", "@claude:localhost");
    private static final Set<String> SEATS = Set.of("@kimi:localhost", "@claude:localhost");

    /** Kept when the test fails: pantalaimon's log, the human's stderr and parley's output are in it. */
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void everythingIsEncryptedAndTheHumanReadsAndIsObeyed() throws Exception {
        RequireServers.assume(PantalaimonFixture.available(), "pantalaimon and matrix-nio[e2e] (python venv at "
                + SynapseFixture.python() + ")");
        try (SynapseFixture synapse = SynapseFixture.start(SynapseFixture.Options.relaxed())) {
            for (String who : List.of("parley", "kimi", "claude")) {
                synapse.register(who, who + "-pw", false);
                Files.writeString(dir.resolve(who + ".password"), who + "-pw");
            }
            HumanClient alice = new HumanClient(synapse.url(), synapse.register("alice", "alice-pw", false),
                    "@alice:localhost");
            String roomId = createEncryptedRoom(alice, "secret");
            busyRoom(synapse, roomId);
            try (PantalaimonFixture pan = PantalaimonFixture.start(synapse, Files.createDirectories(dir.resolve("pan")));
                 EncryptingHuman human = EncryptingHuman.start(synapse.url(), "@alice:localhost", "alice-pw", roomId,
                         dir);
                 ParleyProcess parley = ParleyProcess.start(dir, "parley", "run", "--config",
                         writeConfig(pan.url()).toString(), "--once")) {
                // A seat's first event is its primer (not for reading, see below); its first line comes next.
                human.await(e -> isMessage(e) && SEATS.contains(e.path("sender").asText())
                        && "m.text".equals(e.path("msgtype").asText()), WAIT);

                int before = human.seen.size();
                human.say("!pause");
                JsonNode paused = human.await(before, e -> isMessage(e) && e.path("body").asText().startsWith("Paused"),
                        WAIT);
                assertThat(paused.path("decrypted").asBoolean()).isTrue();
                int atPause = human.seen.size();
                // not polling: four pacing delays, in which a conversation that was not paused would have spoken
                Thread.sleep(8_000);
                assertThat(human.seen.subList(atPause, human.seen.size()))
                        .as("no seat speaks while paused").noneMatch(e -> SEATS.contains(e.path("sender").asText()));
                human.say("!resume");

                assertThat(parley.waitFor(WAIT)).as("exit code; %s", parley.output()).isZero();
                Thread.sleep(1_000); // not polling: a moment for the last events to reach the human's sync
                List<JsonNode> fromUs = human.messages().stream()
                        .filter(e -> OURS.contains(e.path("sender").asText())).toList();
                Set<String> redacted = new HashSet<>();
                human.seen.stream().filter(e -> e.path("event").asText().equals("redaction"))
                        .forEach(e -> redacted.add(e.path("redacts").asText()));

                // Every line and notice decrypted by the human, the first included. The primers (one per identity,
                // sent before its first message and redacted) are the only events that may not be.
                List<JsonNode> unreadable = fromUs.stream().filter(e -> !e.path("decrypted").asBoolean()).toList();
                assertThat(unreadable).as("undecryptable events that are not redacted primers; pan:\n%s",
                        pan.logTail()).allMatch(e -> redacted.contains(e.path("event_id").asText()));
                List<JsonNode> read = fromUs.stream().filter(e -> e.path("decrypted").asBoolean()).toList();
                System.out.printf("e2e through pantalaimon: the human decrypted %d of parley's events, %d not "
                        + "(redacted primers: %d)%n", read.size(), unreadable.size(), redacted.size());
                assertThat(read).as("all arrived encrypted").allMatch(e -> e.path("encrypted").asBoolean());
                assertThat(read).filteredOn(e -> "m.notice".equals(e.path("msgtype").asText())).first()
                        .satisfies(e -> assertThat(e.path("body").asText()).as("the first notice").isNotBlank());

                // In the room itself (raw, from the homeserver) not one message event is in the clear.
                JsonNode page = alice.call("GET", "/rooms/" + HumanClient.enc(roomId) + "/messages?dir=b&limit=1000",
                        null);
                List<String> types = new java.util.ArrayList<>();
                page.path("chunk").forEach(e -> {
                    if (!e.has("state_key") && !e.path("type").asText().equals("m.room.redaction")) {
                        types.add(e.path("type").asText());
                    }
                });
                assertThat(types).isNotEmpty().allMatch("m.room.encrypted"::equals);

                // The transcript is what the human read from the seats, in order.
                List<String> seatLines = read.stream().filter(e -> SEATS.contains(e.path("sender").asText()))
                        .map(e -> e.path("body").asText()).toList();
                Path journal;
                try (Stream<Path> files = Files.walk(dir.resolve("transcripts"))) {
                    journal = files.filter(p -> p.toString().endsWith(".jsonl")).findFirst().orElseThrow();
                }
                List<String> transcript = TranscriptParser.read(Archive.transcriptOf(journal)).messages().stream()
                        .map(m -> m.text()).toList();
                assertThat(seatLines).hasSize(6).isEqualTo(transcript);
            }
        }
    }

    /**
     * A room where the human last spoke a while ago: another member (bob, with a client that cannot decrypt) has
     * said a dozen things since. pantalaimon lazy-loads members, so it learns of her only when a message is first
     * sent there and queries her devices later still: the start-up race the primer exists for. In a fresh room
     * whose whole history is hers it knows her from its first sync, and the race never shows.
     */
    private static void busyRoom(SynapseFixture synapse, String roomId) throws Exception {
        HumanClient bob = new HumanClient(synapse.url(), synapse.register("bob", "bob-pw", false), "@bob:localhost");
        bob.join(roomId);
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < 12; i++) {
            ObjectNode content = json.createObjectNode().put("algorithm", "m.megolm.v1.aes-sha2")
                    .put("ciphertext", "AwgAEnB" + i).put("device_id", "BOBDEVICE").put("sender_key", "bobkey")
                    .put("session_id", "bobsession");
            bob.call("PUT", "/rooms/" + HumanClient.enc(roomId) + "/send/m.room.encrypted/bob" + i, content);
        }
    }

    private static boolean isMessage(JsonNode e) {
        return e.path("event").asText().equals("message");
    }

    static String createEncryptedRoom(HumanClient alice, String alias) throws Exception {
        ObjectNode body = new ObjectMapper().createObjectNode().put("room_alias_name", alias)
                .put("preset", "public_chat");
        ObjectNode enc = body.putArray("initial_state").addObject().put("type", "m.room.encryption")
                .put("state_key", "");
        enc.putObject("content").put("algorithm", "m.megolm.v1.aes-sha2");
        return alice.call("POST", "/createRoom", body).path("room_id").asText();
    }

    private Path writeConfig(String homeserver) throws Exception {
        Path script = dir.resolve("script.md");
        StringBuilder md = new StringBuilder("# Kimi ↔ Claude\n\n**Started:** 2026-11-26 10:00:00\n"
                + "**Ended:** 2026-11-26 10:05:00\n**Messages:** 12\n\n---\n\n");
        for (int i = 1; i <= 6; i++) {
            for (String who : List.of("Kimi", "Claude")) {
                md.append("### ").append(who).append("\n\n").append(who).append(" whispers secret ").append(i)
                        .append(i % 2 == 0 ? " about the lighthouse." : " about the tide.").append("\n\n---\n\n");
            }
        }
        Files.writeString(script, md.toString());
        Path conf = dir.resolve("e2e.conf");
        String seat = """
                { id = %2$s, name = %3$s,
                  matrix { user = "@%2$s:localhost", password-file = "%1$s/%2$s.password" },
                  model { provider = replay, replay { transcript = "%4$s", speaker = %3$s } } }
                """;
        Files.writeString(conf, """
                transcripts-dir = "%1$s/transcripts"
                matrix.servers.local { homeserver-url = "%2$s", control-user = "@parley:localhost",
                                       control-password-file = "%1$s/parley.password",
                                       operators = ["@alice:localhost"], e2e-proxy = true }
                conversations = [ {
                  id = secret
                  rooms = [ { type = matrix, room = "#secret:localhost" } ]
                  seats = [ %3$s %4$s ]
                  pacing { min-delay = 2s, max-delay = 2s, typing-chars-per-second = 0 }
                  replies.stream-paragraphs = false
                  health.enabled = false
                  stop.max-turns = 6
                } ]
                """.formatted(dir, homeserver, seat.formatted(dir, "kimi", "Kimi", script),
                seat.formatted(dir, "claude", "Claude", script)));
        return conf;
    }
}
