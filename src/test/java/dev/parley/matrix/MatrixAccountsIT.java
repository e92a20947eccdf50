package dev.parley.matrix;

import dev.parley.config.MatrixIdentity;
import dev.parley.config.MatrixServerConfig;
import dev.parley.config.Secret;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.core.SeatId;
import dev.parley.testsupport.Waiting;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Accounts mode on a real Synapse: the control identity and one seat use access tokens, the other seat logs in
 * with a password. The room is public; operators are listed by user id only (no power-level rule).
 */
class MatrixAccountsIT extends AbstractMatrixRoomIT {
    private String controlToken;
    private String kimiToken;

    @Override
    SynapseFixture.Options options(Path temp) {
        return SynapseFixture.Options.relaxed();
    }

    @Override
    void createIdentities() throws Exception {
        controlToken = synapse.register("parley", "parley-pw", false);
        kimiToken = synapse.register("kimi", "kimi-pw", false);
        synapse.register("claude", "claude-pw", false);
    }

    @Override
    MatrixServerConfig serverConfig() {
        return new MatrixServerConfig("local", synapse.url(), "@parley:localhost",
                Optional.of(new Secret(controlToken, "test")), List.of("@alice:localhost"),
                MatrixServerConfig.Mode.ACCOUNTS, Optional.empty(), OptionalInt.empty(), Optional.empty());
    }

    @Override
    List<MatrixSeat> seats() {
        return List.of(
                new MatrixSeat(KIMI, "Kimi K2", new MatrixIdentity("@kimi:localhost",
                        Optional.of(new Secret(kimiToken, "test")), Optional.empty())),
                new MatrixSeat(CLAUDE, "Claude", new MatrixIdentity("@claude:localhost",
                        Optional.empty(), Optional.of(new Secret("claude-pw", "test")))));
    }

    @Override
    String userOf(SeatId seat) {
        return seat.equals(KIMI) ? "@kimi:localhost" : "@claude:localhost";
    }

    @Override
    String controlUser() {
        return "@parley:localhost";
    }

    @Override
    boolean publicRoom() {
        return true;
    }

    @Test
    void anInviteOnlyRoomIsJoinedOnceTheBotIsInvitedAndTheBotInvitesTheSeats() throws Exception {
        String alias = "private" + System.nanoTime();
        String id = alice.createRoom(alias, false, List.of());
        Recorder rec = new Recorder();
        MatrixRoom room = new MatrixRoom(serverConfig(), id, seats(),
                temp.resolve("invite-" + System.nanoTime() + ".json"), scheduler, MatrixClient.defaultHttp(), FAST);
        opened.add(room);
        room.open(rec);
        Waiting.upTo(WAIT).alias("a problem reported").until(() -> !rec.problems.isEmpty());
        assertTrue(rec.problems.get(0).contains("waiting for an invite"), rec.problems.toString());
        assertFalse(rec.awaitPresent(1, Duration.ofMillis(300)), "nobody may be present before the invite");
        alice.call("POST", "/rooms/" + HumanClient.enc(id) + "/invite",
                new ObjectMapper().createObjectNode().put("user_id", controlUser()));
        assertTrue(rec.awaitPresent(2, WAIT), "seats did not get in: " + rec.problems);
        room.post(KIMI, "in at last");
        assertEquals(List.of("in at last"), bodies(awaitFrom(id, Set.of(userOf(KIMI)), 1)));
    }
}
