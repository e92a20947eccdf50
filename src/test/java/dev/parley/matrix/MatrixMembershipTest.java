package dev.parley.matrix;

import static dev.parley.matrix.ScriptedHomeserver.forbidden;
import static dev.parley.matrix.ScriptedHomeserver.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.config.MatrixIdentity;
import dev.parley.config.Secret;
import dev.parley.core.SeatId;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Joining, inviting, rejoining with backoff and leaving, against a scripted homeserver in virtual time. */
class MatrixMembershipTest {
    private static final SeatId KIMI = SeatId.of("kimi");
    private static final SeatId BASIL = SeatId.of("basil");

    private final ScriptedHomeserver hs = new ScriptedHomeserver();
    private final Recorder rec = new Recorder();
    /** Users the room refuses to let in by themselves (invite-only, or banned until taken out of here). */
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    /** Users invited and not joined yet: an invite lets them in once. */
    private final Set<String> invited = ConcurrentHashMap.newKeySet();
    /** Seats with messages still queued. */
    private final Set<SeatId> queued = ConcurrentHashMap.newKeySet();
    private final AtomicInteger readyCalls = new AtomicInteger();
    private volatile boolean inviteRefused;
    private RoomContext ctx;
    private SyncLoop sync;
    private MatrixMembership membership;
    private MatrixClient control;

    @TempDir
    Path dir;

    MatrixMembershipTest() throws Exception { }

    @BeforeEach
    void create() {
        hs.on("GET", "/account/whoami", c -> json(200, "{\"user_id\":\"" + c.user() + "\"}"));
        hs.on("PUT", "/profile/", 200, "{}");
        hs.on("GET", "/rooms/!r:hs/state/m.room.power_levels/", 200, "{\"users\":{}}");
        hs.on("POST", "/join/", c -> refused.contains(c.user()) && !invited.remove(c.user())
                ? forbidden("not invited") : json(200, "{\"room_id\":\"!r:hs\"}"));
        hs.on("POST", "/rooms/!r:hs/invite", c -> {
            if (inviteRefused) {
                return forbidden("banned");
            }
            invited.add(c.body().path("user_id").asText());
            return json(200, "{}");
        });
        hs.on("POST", "/rooms/!r:hs/leave", 200, "{}");
        hs.on("GET", "/sync", c -> new MockResponse.Builder().headersDelay(20, TimeUnit.MILLISECONDS).code(200)
                .setHeader("Content-Type", "application/json").body("{\"next_batch\":\"s1\"}").build());
        Map<SeatId, MatrixSeat> seats = new LinkedHashMap<>();
        for (SeatId id : List.of(KIMI, BASIL)) {
            seats.put(id, new MatrixSeat(id, "The " + id.value(), new MatrixIdentity("@" + id.value() + ":hs",
                    Optional.of(new Secret(id.value(), "test")), Optional.empty())));
        }
        ctx = hs.context(hs.accounts(), seats.keySet());
        ctx.listener = rec;
        MatrixIdentities identities = new MatrixIdentities(ctx, "!r:hs", MatrixClient.defaultHttp(), seats);
        sync = new SyncLoop(ctx, new SyncState(dir.resolve("s.json")), (b, m, d, p) -> { }, List::of);
        membership = new MatrixMembership(ctx, seats, identities, new PowerLevels(ctx), sync, queued::contains,
                readyCalls::incrementAndGet);
        control = hs.client("bot");
    }

    @AfterEach
    void stop() {
        ctx.closed = true;
        hs.close();
    }

    private void open() {
        membership.joinControl(control, "!r:hs");
        sync.readAs(control, "@bot:hs");
    }

    private List<ScriptedHomeserver.Call> joins(String user) {
        return hs.calls("POST", "/join/").stream().filter(c -> c.user().equals(user)).toList();
    }

    @Test
    void inAnInviteOnlyRoomTheControlIdentityInvitesEachSeatWhichIsReportedOnceTheRoomListens() {
        refused.add("@kimi:hs");
        open();
        hs.until("both seats present", () -> rec.present.size() == 2);

        assertThat(membership.controlReady()).isDone();
        assertThat(hs.calls("POST", "/rooms/!r:hs/invite")).singleElement().satisfies(c -> {
            assertThat(c.user()).isEqualTo("@bot:hs");
            assertThat(c.body().path("user_id").asText()).isEqualTo("@kimi:hs");
        });
        assertThat(joins("@kimi:hs")).hasSize(2);
        assertThat(joins("@basil:hs")).hasSize(1);
        assertThat(hs.calls("PUT", "/profile/@kimi:hs/displayname")).singleElement()
                .satisfies(c -> assertThat(c.body().path("displayname").asText()).isEqualTo("The kimi"));
        assertThat(sync.listening()).isDone();
        assertThat(membership.inRoom(KIMI)).isNotNull();
        assertThat(readyCalls.get()).as("control, then each seat").isEqualTo(3);
        assertThat(rec.problems).isEmpty();
    }

    @Test
    void aKickedSeatIsReportedAbsentAndRejoinsWithBackoffReportingTheFailureOnce() {
        open();
        hs.until("both seats present", () -> rec.present.size() == 2);
        refused.add("@kimi:hs");
        inviteRefused = true;
        Instant kicked = hs.scheduler.now();
        membership.membershipChanged("@kimi:hs", "ban");
        assertThat(rec.presenceLog).endsWith("kimi-");

        for (int attempt = 3; attempt <= 5; attempt++) {
            Duration wait = ScriptedHomeserver.BACKOFF.delay(attempt - 3);
            hs.until("a retry waits " + wait, () -> hs.scheduled(wait) == 1);
            hs.advance(wait.minusMillis(1));
            assertThat(joins("@kimi:hs")).as("not before the backoff").hasSize(attempt - 1);
            hs.advance(Duration.ofMillis(1));
            int n = attempt;
            hs.until("attempt " + n, () -> joins("@kimi:hs").size() == n
                    && hs.calls("POST", "/rooms/!r:hs/invite").size() == n - 1);
        }
        assertThat(rec.problems).singleElement().asString().contains("kimi (@kimi:hs) cannot rejoin");
        assertThat(Duration.between(kicked, hs.scheduler.now())).isEqualTo(Duration.ofMillis(500 + 1000 + 2000));

        refused.clear();
        inviteRefused = false;
        assertThat(membership.rejoin(KIMI)).as("the running rejoin is shared").isNotDone();
        hs.until("the next retry waits", () -> hs.scheduled(ScriptedHomeserver.BACKOFF.delay(3)) == 1);
        hs.advance(ScriptedHomeserver.BACKOFF.delay(3));
        hs.until("kimi is back", () -> rec.presenceLog.size() == 4);
        assertThat(rec.presenceLog).endsWith("kimi-", "kimi+");
    }

    @Test
    void aSeatSentOutLeavesOnceItsMessagesWentOutOrAfterThirtySecondsAtMost() {
        open();
        hs.until("both seats present", () -> rec.present.size() == 2);
        queued.add(KIMI);
        queued.add(BASIL);
        membership.cast(Set.of());

        hs.advance(Duration.ofSeconds(1));
        assertThat(hs.calls("POST", "/rooms/!r:hs/leave")).isEmpty();
        queued.remove(KIMI);
        hs.advance(Duration.ofMillis(50));
        hs.until("kimi left", () -> hs.calls("POST", "/rooms/!r:hs/leave").size() == 1);
        assertThat(hs.calls("POST", "/rooms/!r:hs/leave").get(0).user()).isEqualTo("@kimi:hs");

        hs.advance(Duration.ofMillis(28_900));
        assertThat(hs.calls("POST", "/rooms/!r:hs/leave")).hasSize(1);
        hs.advance(Duration.ofMillis(100));
        hs.until("basil left anyway", () -> hs.calls("POST", "/rooms/!r:hs/leave").size() == 2);
        assertThat(rec.presenceLog).containsExactlyInAnyOrder("kimi+", "basil+");
        assertThat(membership.inRoom(KIMI)).isNull();
    }

    @Test
    void aControlIdentityNotYetInvitedWaitsAndJoinsOnTheInvite() {
        refused.add("@bot:hs");
        open();
        hs.until("told to wait", () -> !rec.problems.isEmpty());
        assertThat(rec.problems.get(0)).contains("may not join yet").contains("waiting for an invite");
        assertThat(membership.controlJoined()).isFalse();
        assertThat(hs.calls("POST", "/join/")).hasSize(1);

        refused.clear();
        membership.acceptInvite();
        hs.until("seats present", () -> rec.present.size() == 2);
        assertThat(membership.controlJoined()).isTrue();
        assertThat(membership.controlReady()).isDone();
    }

    @Test
    void byAliasTheControlIdentityJoinsWithoutLookingTheAliasUpAndTakesTheRoomIdFromTheJoin() {
        ctx.roomId = null;
        membership.joinControl(control, "#talk:hs");
        hs.until("in", () -> membership.controlJoined());
        assertThat(ctx.roomId).isEqualTo("!r:hs");
        assertThat(hs.calls("GET", "/directory/")).as("a round trip every start needs not").isEmpty();
        assertThat(hs.calls("POST", "/join/")).first().satisfies(c -> assertThat(c.path()).isEqualTo("/join/%23talk:hs"));
    }

    @Test
    void refusedByAliasTheControlIdentityLooksTheRoomUpToKnowItsInvite() {
        hs.on("GET", "/directory/room/", 200, "{\"room_id\":\"!r:hs\"}");
        refused.add("@bot:hs");
        ctx.roomId = null;
        membership.joinControl(control, "#talk:hs");
        hs.until("told to wait", () -> !rec.problems.isEmpty());
        assertThat(ctx.roomId).isEqualTo("!r:hs");
        assertThat(hs.calls("GET", "/directory/room/")).hasSize(1);

        refused.clear();
        membership.acceptInvite();
        hs.until("in", () -> membership.controlJoined());
        assertThat(hs.calls("POST", "/join/")).last().satisfies(c -> assertThat(c.path()).endsWith("!r:hs"));
    }

    @Test
    void seatsLogInWhileTheControlIdentityIsNotInYetAndJoinOnlyAfterItWithThoseClients() {
        refused.add("@bot:hs");
        membership.logInSeatsEarly();
        open();
        hs.until("told to wait", () -> !rec.problems.isEmpty());
        hs.until("both seats identified before the control identity is in",
                () -> whoami("@kimi:hs") == 1 && whoami("@basil:hs") == 1);
        assertThat(membership.controlJoined()).isFalse();
        assertThat(joins("@kimi:hs")).as("no seat joins before the control identity").isEmpty();
        assertThat(joins("@basil:hs")).isEmpty();
        assertThat(hs.calls("PUT", "/profile/")).as("nor sets its display name").isEmpty();

        refused.clear();
        membership.acceptInvite();
        hs.until("seats present", () -> rec.present.size() == 2);
        assertThat(whoami("@kimi:hs")).as("the early login is the one that joins").isEqualTo(1);
        assertThat(whoami("@basil:hs")).isEqualTo(1);
        assertThat(joins("@kimi:hs")).hasSize(1);
    }

    @Test
    void aSeatWhoseDisplayNameIsSetAlreadyIsNotRenamedOnlyTheOtherIs() {
        hs.on("GET", "/profile/@kimi:hs/displayname", 200, "{\"displayname\":\"The kimi\"}");
        hs.on("GET", "/profile/@basil:hs/displayname", 200, "{\"displayname\":\"Old Basil\"}");
        membership.logInSeatsEarly(); // kimi and basil ask for their names with their early logins
        open();
        hs.until("both seats present", () -> rec.present.size() == 2);
        assertThat(hs.calls("GET", "/profile/")).hasSize(2);
        assertThat(hs.calls("PUT", "/profile/@kimi:hs/displayname")).as("a name set already").isEmpty();
        assertThat(hs.calls("PUT", "/profile/@basil:hs/displayname")).singleElement()
                .satisfies(c -> assertThat(c.body().path("displayname").asText()).isEqualTo("The basil"));
    }

    @Test
    void withoutAnEarlyLoginTheSeatAsksForItsNameBeforeSettingIt() {
        hs.on("GET", "/profile/@kimi:hs/displayname", 200, "{\"displayname\":\"The kimi\"}");
        open(); // basil's name is unknown to the homeserver (404): it is set
        hs.until("both seats present", () -> rec.present.size() == 2);
        assertThat(hs.calls("PUT", "/profile/@kimi:hs/displayname")).isEmpty();
        assertThat(hs.calls("PUT", "/profile/@basil:hs/displayname")).hasSize(1);
    }

    private long whoami(String user) {
        return hs.calls("GET", "/account/whoami").stream().filter(c -> c.user().equals(user)).count();
    }
}
