package dev.parley.matrix;

import static dev.parley.matrix.ScriptedHomeserver.forbidden;
import static dev.parley.matrix.ScriptedHomeserver.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.config.MatrixIdentity;
import dev.parley.config.MatrixServerConfig;
import dev.parley.config.Secret;
import dev.parley.core.SeatId;
import dev.parley.room.Inbound;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each event of a sync batch means, with membership calls answered by a scripted homeserver. */
class InboundEventsTest {
    private static final SeatId KIMI = SeatId.of("kimi");

    private final ScriptedHomeserver hs = new ScriptedHomeserver();
    private final Recorder rec = new Recorder();
    private volatile boolean invited;
    private RoomContext ctx;
    private MatrixMembership membership;
    private InboundEvents inbound;

    @TempDir
    Path dir;

    InboundEventsTest() throws Exception { }

    @BeforeEach
    void create() {
        hs.on("GET", "/account/whoami", c -> json(200, "{\"user_id\":\"" + c.user() + "\"}"));
        hs.on("POST", "/join/", c -> c.user().equals("@bot:hs") && !invited ? forbidden("not invited")
                : json(200, "{\"room_id\":\"!r:hs\"}"));
        hs.on("GET", "/rooms/!r:hs/state/m.room.power_levels/", 200, "{\"users\":{}}");
        hs.on("PUT", "/profile/", 200, "{}");
        MatrixServerConfig cfg = new MatrixServerConfig("hs", hs.url(), "@bot:hs",
                Optional.of(new Secret("bot", "test")), List.of(), MatrixServerConfig.Mode.ACCOUNTS,
                Optional.empty(), OptionalInt.of(50), Optional.empty());
        Map<SeatId, MatrixSeat> seats = Map.of(KIMI, new MatrixSeat(KIMI, "Kimi", new MatrixIdentity("@kimi:hs",
                Optional.of(new Secret("kimi", "test")), Optional.empty())));
        ctx = hs.context(cfg, Set.of(KIMI));
        ctx.listener = rec;
        MatrixIdentities identities = new MatrixIdentities(ctx, "!r:hs", MatrixClient.defaultHttp(), seats);
        PowerLevels levels = new PowerLevels(ctx);
        SyncLoop sync = new SyncLoop(ctx, new SyncState(dir.resolve("s.json")), (b, m, d, p) -> { }, List::of);
        membership = new MatrixMembership(ctx, seats, identities, levels, sync, s -> false, () -> { });
        inbound = new InboundEvents(ctx, seats, identities, levels, membership);
    }

    @AfterEach
    void stop() {
        ctx.closed = true;
        hs.close();
    }

    private static SyncResponse batch(String json) throws Exception {
        return SyncResponse.of(MatrixClient.MAPPER.readTree(json), "test");
    }

    private static String event(String type, String sender, String stateKey, String content) {
        return "{\"type\":\"" + type + "\",\"sender\":\"" + sender + "\""
                + (stateKey == null ? "" : ",\"state_key\":\"" + stateKey + "\"") + ",\"content\":" + content + "}";
    }

    private static String message(String sender, String msgtype, String body, String extra) {
        return event("m.room.message", sender, null, "{\"msgtype\":\"" + msgtype + "\",\"body\":\"" + body + "\""
                + extra + "}");
    }

    private static String joined(String state, String timeline) {
        return "{\"next_batch\":\"s2\",\"rooms\":{\"join\":{\"!r:hs\":{\"state\":{\"events\":[" + state
                + "]},\"timeline\":{\"events\":[" + timeline + "]}}}}}";
    }

    /** The control identity is in the room, as it is before the sync loop starts. */
    private void controlJoined() {
        invited = true;
        membership.joinControl(hs.client("bot"), "!r:hs");
        // Ready once the room's power levels were read: a level in a batch must not be overwritten by that read.
        hs.until("the control identity joined", () -> membership.controlReady().isDone());
    }

    private List<Inbound> heard() {
        return new ArrayList<>(rec.humans);
    }

    @Test
    void humansTextsAndEmotesReachTheListenerAndNoticesOwnEventsAndEditsDoNot() throws Exception {
        controlJoined();
        String levels = event("m.room.power_levels", "@admin:hs", "", "{\"users\":{\"@mod:hs\":50}}");
        inbound.handle(batch(joined(levels, String.join(",",
                message("@human:hs", "m.text", "hello", ""),
                message("@human:hs", "m.emote", "waves", ""),
                message("@human:hs", "m.notice", "a bot's notice", ""),
                message("@bot:hs", "m.text", "our own", ""),
                message("@kimi:hs", "m.text", "a seat's", ""),
                message("@human:hs", "m.text", "* hello!", ",\"m.relates_to\":{\"rel_type\":\"m.replace\"}"),
                message("@human:hs", "m.text", "> <@kimi:hs> you said\\n\\nmy answer",
                        ",\"m.relates_to\":{\"m.in_reply_to\":{\"event_id\":\"$x\"}}"),
                message("@mod:hs", "m.text", "!pause", "")))), List.of(), true, "@bot:hs");

        assertThat(heard()).extracting(Inbound::text)
                .containsExactly("hello", "waves", "my answer", "!pause");
        assertThat(heard()).extracting(Inbound::sender).containsExactly("human", "human", "human", "mod");
        assertThat(heard().get(1).action()).isTrue();
        assertThat(heard()).extracting(Inbound::operator).containsExactly(false, false, false, true);
    }

    @Test
    void historyOnlyUpdatesStateAndGapEventsComeFirst() throws Exception {
        controlJoined();
        String promote = event("m.room.power_levels", "@admin:hs", "", "{\"users\":{\"@human:hs\":100}}");
        inbound.handle(batch(joined("", promote + "," + message("@human:hs", "m.text", "old", ""))),
                List.of(), false, "@bot:hs");
        assertThat(heard()).isEmpty();

        RoomEvent gap = MatrixClient.read(MatrixClient.MAPPER.readTree(message("@human:hs", "m.text", "missed", "")),
                RoomEvent.class);
        inbound.handle(batch(joined("", message("@human:hs", "m.text", "new", ""))), List.of(gap), true, "@bot:hs");
        assertThat(heard()).extracting(Inbound::text).containsExactly("missed", "new");
        assertThat(heard()).allMatch(Inbound::operator);
    }

    @Test
    void anInviteSeenInSyncIsAcceptedAndASeatThatLeftIsReportedAbsent() throws Exception {
        membership.joinControl(hs.client("bot"), "!r:hs");
        hs.until("refused", () -> !rec.problems.isEmpty());
        invited = true;
        inbound.handle(batch("{\"next_batch\":\"s1\",\"rooms\":{\"invite\":{\"!r:hs\":{}}}}"), List.of(), false,
                "@bot:hs");
        hs.until("the control identity joined", () -> membership.controlJoined());
        hs.until("kimi joined", () -> hs.calls("POST", "/join/").stream().anyMatch(c -> c.user().equals("@kimi:hs")));

        inbound.handle(batch(joined("", event("m.room.member", "@admin:hs", "@kimi:hs",
                "{\"membership\":\"leave\"}"))), List.of(), true, "@bot:hs");
        assertThat(rec.presenceLog).contains("kimi-");
    }
}
