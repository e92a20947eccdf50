package dev.parley.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.config.MatrixIdentity;
import dev.parley.config.MatrixServerConfig;
import dev.parley.config.Secret;
import dev.parley.core.Backoff;
import dev.parley.core.SeatId;
import dev.parley.core.SystemScheduler;
import dev.parley.testsupport.RequireServers;
import dev.parley.testsupport.Waiting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * An end-to-end encrypted room without an encrypting proxy, on a real Synapse, with a human whose client really
 * encrypts (matrix-nio with olm): parley says the room is encrypted, and a human's encrypted message is counted and
 * reported in the room (once per sender in a while), never silently dropped. With {@code encrypted-rooms = refuse}
 * the room does not start at all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MatrixEncryptedRoomIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final SeatId KIMI = SeatId.of("kimi");
    private static final MatrixRoom.Tuning FAST = new MatrixRoom.Tuning(new Backoff(Duration.ofMillis(100),
            Duration.ofSeconds(2)), Duration.ofSeconds(2), Duration.ofSeconds(5), 200);

    @TempDir
    Path dir;
    private SynapseFixture synapse;
    private SystemScheduler scheduler;
    private HumanClient alice;
    private String controlToken;
    private String kimiToken;

    @BeforeAll
    void start() throws Exception {
        RequireServers.assume(PantalaimonFixture.available(), "matrix-nio[e2e] (python venv at "
                + SynapseFixture.python() + ")");
        synapse = SynapseFixture.start(SynapseFixture.Options.relaxed());
        controlToken = synapse.register("parley", "parley-pw", false);
        kimiToken = synapse.register("kimi", "kimi-pw", false);
        alice = new HumanClient(synapse.url(), synapse.register("alice", "alice-pw", false), "@alice:localhost");
        scheduler = new SystemScheduler();
    }

    @AfterAll
    void stop() throws Exception {
        if (scheduler != null) {
            scheduler.close();
        }
        if (synapse != null) {
            synapse.close();
        }
    }

    private MatrixServerConfig server(MatrixServerConfig.EncryptedRooms policy) {
        return new MatrixServerConfig("local", synapse.url(), "@parley:localhost",
                Optional.of(new Secret(controlToken, "test")), List.of("@alice:localhost"),
                MatrixServerConfig.Mode.ACCOUNTS, Optional.empty(), OptionalInt.empty(), Optional.empty(),
                new MatrixServerConfig.Encryption(false, policy));
    }

    private List<MatrixSeat> seats() {
        return List.of(new MatrixSeat(KIMI, "Kimi K2", new MatrixIdentity("@kimi:localhost",
                Optional.of(new Secret(kimiToken, "test")), Optional.empty())));
    }

    @Test
    void theRoomIsSaidToBeEncryptedAndAnEncryptedMessageIsReportedNotLost() throws Exception {
        String roomId = MatrixE2eProxyIT.createEncryptedRoom(alice, "clear");
        Recorder rec = new Recorder();
        MatrixRoom room = new MatrixRoom(server(MatrixServerConfig.EncryptedRooms.RUN), roomId, seats(),
                dir.resolve("clear.json"), scheduler, MatrixClient.defaultHttp(), FAST);
        try (EncryptingHuman human = EncryptingHuman.start(synapse.url(), "@alice:localhost", "alice-pw", roomId,
                Files.createDirectories(dir.resolve("clear")))) {
            room.open(rec);
            assertThat(rec.awaitPresent(1, WAIT)).as("kimi joins; problems %s", rec.problems).isTrue();
            assertThat(rec.problems).as("said at start").anyMatch(p -> p.contains("end-to-end encrypted")
                    && p.contains("not behind an encrypting proxy") && p.contains("docs/matrix.md"));

            human.say("!pause");
            JsonNode report = human.await(e -> e.path("event").asText().equals("message")
                    && e.path("sender").asText().equals("@parley:localhost"), WAIT);
            assertThat(report.path("body").asText()).isEqualTo("alice: " + RoomEncryption.CANNOT_READ);
            assertThat(report.path("msgtype").asText()).isEqualTo("m.notice");
            assertThat(room.encryption().unreadable()).isEqualTo(1);
            assertThat(room.status()).as("what !status shows").startsWith(room.name() + ": end-to-end encrypted")
                    .contains("1 unreadable message(s)");

            // A second one is counted, but the same sender is not told again so soon.
            human.say("are you there?");
            await(() -> room.encryption().unreadable() == 2);
            room.notice("marker");
            human.await(e -> "marker".equals(e.path("body").asText()), WAIT);
            assertThat(human.messages()).filteredOn(e -> RoomEncryption.CANNOT_READ.equals(
                    e.path("body").asText().replaceFirst("^alice: ", ""))).hasSize(1);
            assertThat(rec.humans).as("nothing unreadable is passed on as if it were text").isEmpty();
        } finally {
            room.close();
        }
    }

    @Test
    void refuseKeepsParleyOutOfAnEncryptedRoom() throws Exception {
        String roomId = MatrixE2eProxyIT.createEncryptedRoom(alice, "refused");
        Recorder rec = new Recorder();
        MatrixRoom room = new MatrixRoom(server(MatrixServerConfig.EncryptedRooms.REFUSE), roomId, seats(),
                dir.resolve("refused.json"), scheduler, MatrixClient.defaultHttp(), FAST);
        try {
            room.open(rec);
            await(() -> rec.problems.stream().anyMatch(p -> p.contains("refuses to start")));
            assertThat(rec.problems).anyMatch(p -> p.contains("encrypted-rooms = refuse"));
            room.notice("must not be posted");
            await(() -> rec.problems.stream().anyMatch(p -> p.contains("not delivered")));
            assertThat(rec.present).isEmpty();
            JsonNode page = alice.call("GET", "/rooms/" + HumanClient.enc(roomId) + "/messages?dir=b&limit=100",
                    null);
            List<String> fromUs = new java.util.ArrayList<>();
            page.path("chunk").forEach(e -> {
                String sender = e.path("sender").asText();
                if (!sender.equals("@alice:localhost") && !e.path("type").asText().equals("m.room.member")) {
                    fromUs.add(e.toString());
                }
            });
            assertThat(fromUs).as("parley posted nothing").isEmpty();
            JsonNode kimi = alice.call("GET", "/rooms/" + HumanClient.enc(roomId) + "/members", null);
            assertThat(kimi.path("chunk").toString()).doesNotContain("@kimi:localhost");
        } finally {
            room.close();
        }
    }

    /** Waits on the homeserver, every 20 ms as the loop it replaced did. */
    private static void await(BooleanSupplier condition) {
        Waiting.upTo(WAIT).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
    }
}
