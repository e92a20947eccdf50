package dev.parley.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.config.MatrixIdentity;
import dev.parley.config.MatrixServerConfig;
import dev.parley.core.SeatId;
import dev.parley.room.Inbound;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Appservice mode on a real Synapse: the registration file is written by {@link MatrixRegistration} and listed in
 * homeserver.yaml, seats are ghosts registered on first use, sending by masquerading. The room is private: alice
 * invites the control identity, which invites the ghosts. Operators: alice by id, or power level 50.
 */
class MatrixAppserviceIT extends AbstractMatrixRoomIT {
    private Path registration;

    @Override
    SynapseFixture.Options options(Path temp) throws Exception {
        registration = temp.resolve("parley-registration.yaml");
        return new SynapseFixture.Options(false, List.of(registrationFor(registration, false)));
    }

    /** Writes the registration with the CLI's code path for a config naming {@code file}. */
    static Path registrationFor(Path file, boolean rateLimited) throws Exception {
        MatrixServerConfig cfg = config("http://unused", file);
        if (rateLimited) {
            Files.writeString(file, MatrixRegistration.yaml(cfg, MatrixRegistration.newTokens(), true));
            return file;
        }
        return MatrixRegistration.write(cfg, false);
    }

    static MatrixServerConfig config(String url, Path registrationFile) {
        return new MatrixServerConfig("local", url, "@parley:localhost", Optional.empty(),
                List.of("@alice:localhost"), MatrixServerConfig.Mode.APPSERVICE, Optional.empty(), OptionalInt.of(50),
                Optional.of(new MatrixServerConfig.Appservice(registrationFile, "parley", Optional.empty())));
    }

    @Override
    void createIdentities() {
        // Nothing: ghosts are registered by the room on first use.
    }

    @Override
    MatrixServerConfig serverConfig() {
        return config(synapse.url(), registration);
    }

    @Override
    List<MatrixSeat> seats() {
        return List.of(
                new MatrixSeat(KIMI, "Kimi K2", new MatrixIdentity("@parley_kimi:localhost", Optional.empty(),
                        Optional.empty())),
                new MatrixSeat(CLAUDE, "Claude", new MatrixIdentity("@parley_claude:localhost", Optional.empty(),
                        Optional.empty())));
    }

    @Override
    String userOf(SeatId seat) {
        return seat.equals(KIMI) ? "@parley_kimi:localhost" : "@parley_claude:localhost";
    }

    @Override
    String controlUser() {
        return "@parley:localhost";
    }

    @Override
    String readerUser() {
        return userOf(KIMI);
    }

    @Override
    boolean publicRoom() {
        return false;
    }

    @Test
    void ghostsCarryTheSeatsDisplayNames() throws Exception {
        String alias = newRoom();
        Recorder rec = new Recorder();
        MatrixRoom room = open(alias, temp.resolve("names-" + System.nanoTime() + ".json"), rec);
        JsonNode kimi = alice.call("GET", "/profile/" + HumanClient.enc("@parley_kimi:localhost") + "/displayname",
                null);
        assertEquals("Kimi K2", kimi.path("displayname").asText());
        JsonNode members = alice.call("GET", "/rooms/" + HumanClient.enc(room.roomId()) + "/joined_members", null);
        assertTrue(members.path("joined").has("@parley_claude:localhost"), members.toString());
    }

    @Test
    void whenTheReadingGhostIsSentOutAnotherReadsOnAndNothingAHumanSaysIsMissed() throws Exception {
        String alias = newRoom();
        Recorder rec = new Recorder();
        MatrixRoom room = openWithCast(alias, "reader", rec, Set.of(KIMI));
        String id = room.roomId();
        alice.say(id, "heard by kimi's ghost");
        rec.until("heard by kimi's ghost", WAIT);

        // Claude comes in and kimi, the only reader so far, goes out; a human speaks in between.
        room.cast(Set.of(CLAUDE));
        alice.say(id, "said during the hand-over");
        assertThat(awaitMemberships(id, userOf(KIMI), "leave")).endsWith("leave");
        alice.say(id, "heard by claude's ghost");
        assertThat(rec.until("heard by claude's ghost", WAIT))
                .extracting(Inbound::text)
                .containsExactly("said during the hand-over", "heard by claude's ghost");
        Thread.sleep(2000); // not polling: a moment in which kimi's ghost rejoining would show
        assertThat(memberships(id, userOf(KIMI))).endsWith("leave");
        assertThat(rec.presenceLog).containsExactly("kimi+", "claude+");
        assertThat(rec.problems).isEmpty();
    }
}
