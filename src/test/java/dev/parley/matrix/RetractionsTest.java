package dev.parley.matrix;

import static dev.parley.matrix.ScriptedHomeserver.forbidden;
import static dev.parley.matrix.ScriptedHomeserver.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.config.MatrixIdentity;
import dev.parley.config.Secret;
import dev.parley.core.SeatId;
import java.nio.file.Path;
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

/** Redacting posts taken back, with the room's real queue and membership against a scripted homeserver. */
class RetractionsTest {
    private static final SeatId KIMI = SeatId.of("kimi");

    private final ScriptedHomeserver hs = new ScriptedHomeserver();
    private final Recorder rec = new Recorder();
    private final AtomicInteger events = new AtomicInteger();
    /** Users whose redactions the server refuses. */
    private final Set<String> mayNotRedact = ConcurrentHashMap.newKeySet();
    private RoomContext ctx;
    private MatrixMembership membership;
    private MatrixOutbox outbox;
    private Retractions retractions;

    @TempDir
    Path dir;

    RetractionsTest() throws Exception { }

    @BeforeEach
    void open() {
        hs.on("GET", "/account/whoami", c -> json(200, "{\"user_id\":\"" + c.user() + "\"}"));
        hs.on("POST", "/join/", 200, "{\"room_id\":\"!r:hs\"}");
        hs.on("PUT", "/profile/", 200, "{}");
        hs.on("GET", "/rooms/!r:hs/state/m.room.power_levels/", 200, "{}");
        hs.on("POST", "/rooms/!r:hs/leave", 200, "{}");
        hs.on("GET", "/sync", c -> new MockResponse.Builder().headersDelay(20, TimeUnit.MILLISECONDS).code(200)
                .setHeader("Content-Type", "application/json").body("{\"next_batch\":\"s1\"}").build());
        hs.on("PUT", "/rooms/!r:hs/send/", c -> json(200, "{\"event_id\":\"$" + events.incrementAndGet() + "\"}"));
        hs.on("PUT", "/rooms/!r:hs/redact/", c -> mayNotRedact.contains(c.user()) ? forbidden("no power")
                : json(200, "{\"event_id\":\"$r\"}"));
        Map<SeatId, MatrixSeat> seats = new LinkedHashMap<>();
        seats.put(KIMI, new MatrixSeat(KIMI, "Kimi", new MatrixIdentity("@kimi:hs",
                Optional.of(new Secret("kimi", "test")), Optional.empty())));
        ctx = hs.context(hs.accounts(), seats.keySet());
        ctx.listener = rec;
        MatrixIdentities identities = new MatrixIdentities(ctx, "!r:hs", MatrixClient.defaultHttp(), seats);
        SyncLoop sync = new SyncLoop(ctx, new SyncState(dir.resolve("s.json")), (b, m, d, p) -> { }, List::of);
        membership = new MatrixMembership(ctx, seats, identities, new PowerLevels(ctx), sync,
                seat -> outbox.holds(seat), () -> outbox.pump());
        outbox = new MatrixOutbox(ctx, seat -> seat == null ? membership.controlReady() : membership.seatReady(seat),
                membership::rejoin, (seat, txn, eventId) -> retractions.sent(seat, txn, eventId));
        retractions = new Retractions(ctx, membership, outbox);
        MatrixClient control = hs.client("bot");
        membership.joinControl(control, "!r:hs");
        sync.readAs(control, "@bot:hs");
        hs.until("kimi is present", () -> rec.present.contains(KIMI));
    }

    @AfterEach
    void stop() {
        ctx.closed = true;
        hs.close();
    }

    private void post(String text, long ref) {
        String txn = "j." + ref + "." + text;
        retractions.remember(txn, ref);
        outbox.send(KIMI, MatrixClient.MAPPER.createObjectNode().put("msgtype", "m.text").put("body", text), txn);
    }

    private List<ScriptedHomeserver.Call> redactions() {
        return hs.calls("PUT", "/rooms/!r:hs/redact/");
    }

    @Test
    void theEventsOfARefAreRedactedByTheirSeatWithTheNoticeAsReason() {
        post("one", 1);
        post("two, part 1", 2);
        post("two, part 2", 2);
        hs.until("three sent", () -> events.get() == 3);
        retractions.retract(List.of(2L, 99L), "A message from Kimi was retracted by kate.");
        hs.until("two redactions", () -> redactions().size() == 2);

        assertThat(redactions()).extracting(c -> c.path().split("/")[4]).containsExactlyInAnyOrder("$2", "$3");
        assertThat(redactions()).allSatisfy(c -> {
            assertThat(c.user()).isEqualTo("@kimi:hs");
            assertThat(c.body().path("reason").asText()).isEqualTo("A message from Kimi was retracted by kate.");
            assertThat(c.path()).matches(".*/redact/\\$\\d/parley\\.[0-9a-f]{12}\\.\\d+");
        });
        assertThat(rec.problems).isEmpty();
    }

    @Test
    void aRedactionTheSeatMayNotMakeIsMadeByTheControlIdentity() {
        mayNotRedact.add("@kimi:hs");
        post("one", 1);
        hs.until("sent", () -> events.get() == 1);
        retractions.retract(List.of(1L), "gone");
        hs.until("redacted by the control identity", () -> redactions().size() == 2);
        assertThat(redactions()).extracting(ScriptedHomeserver.Call::user).containsExactly("@kimi:hs", "@bot:hs");
        assertThat(rec.problems).isEmpty();
    }

    @Test
    void aPostSentAfterItsRefWasRetractedIsRedactedAndOnlyTheLastRefsAreKnown() {
        for (long ref = 1; ref <= Retractions.REFS_KEPT + 1; ref++) {
            retractions.remember("old." + ref, ref);
            retractions.sent(KIMI, "old." + ref, "$old" + ref);
        }
        retractions.retract(List.of(1L), "forgotten");
        retractions.retract(List.of(2L), "still known");
        hs.until("one redaction", () -> redactions().size() == 1);
        assertThat(redactions().get(0).path()).contains("/redact/$old2/");

        retractions.retract(List.of(5000L), "before it was sent");
        post("late", 5000);
        hs.until("the late post is redacted once sent", () -> redactions().size() == 2);
        assertThat(redactions().get(1).body().path("reason").asText()).isEqualTo("before it was sent");
    }
}
