package dev.parley.matrix;

import dev.parley.config.MatrixIdentity;
import dev.parley.config.MatrixServerConfig;
import dev.parley.config.Secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.core.SeatId;
import dev.parley.testsupport.Waiting;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

    /**
     * The seat with a password logs in at the first start only: Synapse issues one access token per login (and,
     * logging in again as the same device, keeps the old one), so its token table shows whether a start logged
     * in. Once the kept session is logged out between starts, the next start logs in afresh and keeps that.
     */
    @Test
    void aPasswordLoginIsKeptAndTheNextStartMakesNoLoginUnlessItWasLoggedOut() throws Exception {
        String alias = newRoom();
        Path state = temp.resolve("sessions-" + System.nanoTime() + "/matrix-local.json");
        String claude = userOf(CLAUDE);
        String device = MatrixIds.deviceId(claude, alias);

        MatrixRoom first = open(alias, state, new Recorder());
        String id = first.roomId();
        first.close();
        List<String> issued = tokensOf(claude, device);
        assertThat(issued).as("one login at the first start").hasSize(1);
        Path file = MatrixSessions.fileBeside(state);
        assertThat(MatrixSessions.beside(state).token(synapse.url(), claude, device)).contains(issued.get(0));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).as("configured tokens are not kept")
                .doesNotContain(controlToken).doesNotContain(kimiToken);

        Recorder second = new Recorder();
        MatrixRoom again = open(alias, state, second);
        again.post(CLAUDE, "from the kept session");
        assertEquals(List.of("from the kept session"), bodies(awaitFrom(id, Set.of(claude), 1)));
        again.close();
        assertThat(tokensOf(claude, device)).as("no login at the second start").isEqualTo(issued);
        assertTrue(second.problems.isEmpty(), second.problems.toString());

        new HumanClient(synapse.url(), issued.get(0), claude).call("POST", "/logout",
                new ObjectMapper().createObjectNode());
        assertThat(tokensOf(claude, device)).as("logged out").isEmpty();

        Recorder third = new Recorder();
        MatrixRoom afresh = open(alias, state, third);
        afresh.post(CLAUDE, "after a logout");
        assertEquals(List.of("from the kept session", "after a logout"), bodies(awaitFrom(id, Set.of(claude), 2)));
        List<String> renewed = tokensOf(claude, device);
        assertThat(renewed).as("one new login").hasSize(1).doesNotContain(issued.get(0));
        assertThat(MatrixSessions.beside(state).token(synapse.url(), claude, device)).contains(renewed.get(0));
        assertTrue(third.problems.isEmpty(), third.problems.toString());
    }

    /** The access tokens Synapse holds for this device of {@code user}, oldest first (read from its database). */
    private List<String> tokensOf(String user, String device) throws Exception {
        Process p = new ProcessBuilder(SynapseFixture.python().toString(), "-c", String.join("\n",
                "import sqlite3, sys",
                "db = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True)",
                "for (t,) in db.execute('SELECT token FROM access_tokens WHERE user_id = ? AND device_id = ?"
                        + " ORDER BY id', (sys.argv[2], sys.argv[3])):",
                "    print(t)"),
                synapse.dir().resolve("homeserver.db").toString(), user, device).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "sqlite query failed: " + out);
        return out.lines().filter(l -> !l.isBlank()).toList();
    }
}
