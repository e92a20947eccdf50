package dev.parley.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.config.MatrixServerConfig;
import dev.parley.core.Backoff;
import dev.parley.core.SeatId;
import dev.parley.core.SystemScheduler;
import dev.parley.room.Inbound;
import dev.parley.testsupport.RequireServers;
import dev.parley.testsupport.Waiting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import dev.parley.archive.MemoryJournal;
import dev.parley.command.Commands;
import dev.parley.config.ConversationConfig;
import dev.parley.config.SeatConfig;
import dev.parley.conversation.Conversation;
import dev.parley.model.ModelClient;
import dev.parley.room.Parcel;
import dev.parley.room.Room;
import dev.parley.testsupport.ScriptedModel;
import dev.parley.testsupport.TestConfigs;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The behaviour both identity modes must show on a real Synapse. Subclasses say how seats get identities;
 * each test makes its own room (created by the human alice), so tests do not see each other's messages.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractMatrixRoomIT {
    static final SeatId KIMI = SeatId.of("kimi");
    static final SeatId CLAUDE = SeatId.of("claude");
    static final Duration WAIT = Duration.ofSeconds(30);
    static final MatrixRoom.Tuning FAST = new MatrixRoom.Tuning(new Backoff(Duration.ofMillis(100),
            Duration.ofSeconds(1)), Duration.ofSeconds(5), Duration.ofSeconds(10), 200);
    private static final AtomicInteger ROOMS = new AtomicInteger();

    SynapseFixture synapse;
    SystemScheduler scheduler;
    HumanClient alice;
    HumanClient bob;
    Path temp;
    final List<MatrixRoom> opened = new ArrayList<>();

    /** Synapse options for this mode (e.g. the appservice file). */
    abstract SynapseFixture.Options options(Path temp) throws Exception;

    /** Called once Synapse runs: create accounts this mode needs. */
    abstract void createIdentities() throws Exception;

    abstract MatrixServerConfig serverConfig();

    abstract List<MatrixSeat> seats();

    /** The seats' user ids, as humans see them. */
    abstract String userOf(SeatId seat);

    abstract String controlUser();

    /** Public room (everyone joins freely) or private (the control identity is invited, seats by it). */
    abstract boolean publicRoom();

    @BeforeAll
    void startSynapse() throws Exception {
        RequireServers.assume(SynapseFixture.available(), "synapse (python venv at " + SynapseFixture.python() + ")");
        temp = Files.createTempDirectory("parley-matrix-it");
        long t0 = System.nanoTime();
        synapse = SynapseFixture.start(options(temp));
        System.out.printf("[measure] %s: synapse started in %d ms%n", getClass().getSimpleName(),
                (System.nanoTime() - t0) / 1_000_000);
        scheduler = new SystemScheduler();
        alice = new HumanClient(synapse.url(), synapse.register("alice", "alice-pw", false), "@alice:localhost");
        bob = new HumanClient(synapse.url(), synapse.register("bob", "bob-pw", false), "@bob:localhost");
        createIdentities();
    }

    @AfterAll
    void stopSynapse() throws Exception {
        opened.forEach(MatrixRoom::close);
        if (scheduler != null) {
            scheduler.close();
        }
        if (synapse != null) {
            synapse.close();
        }
    }

    String newRoom() throws Exception {
        String alias = "it" + ROOMS.incrementAndGet() + "-" + System.nanoTime();
        String id = alice.createRoom(alias, publicRoom(), publicRoom() ? List.of() : List.of(controlUser()));
        if (publicRoom()) {
            bob.join(id);
        } else {
            alice.call("POST", "/rooms/" + HumanClient.enc(id) + "/invite",
                    new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("user_id", bob.userId));
            bob.join(id);
        }
        return "#" + alias + ":localhost";
    }

    MatrixRoom open(String alias, Path stateFile, Recorder rec) throws Exception {
        return openWith(alias, stateFile, rec, FAST);
    }

    MatrixRoom openWith(String alias, Path stateFile, Recorder rec, MatrixRoom.Tuning tuning) throws Exception {
        MatrixRoom room = new MatrixRoom(serverConfig(), alias, seats(), stateFile, scheduler,
                MatrixClient.defaultHttp(), tuning);
        opened.add(room);
        long t0 = System.nanoTime();
        room.open(rec);
        assertTrue(rec.awaitPresent(seats().size(), WAIT), "seats did not join; problems: " + rec.problems);
        System.out.printf("[measure] %s: room open, %d seats joined in %d ms%n", getClass().getSimpleName(),
                seats().size(), (System.nanoTime() - t0) / 1_000_000);
        return room;
    }

    List<JsonNode> awaitFrom(String roomId, Set<String> senders, int n) throws Exception {
        return alice.awaitFrom(roomId, senders, n, WAIT, Duration.ofMillis(300));
    }

    Set<String> ourUsers() {
        return Set.of(userOf(KIMI), userOf(CLAUDE), controlUser());
    }

    static List<String> bodies(List<JsonNode> events) {
        return events.stream().map(e -> e.path("content").path("body").asText()).toList();
    }

    @Test
    void seatsPostInOrderAsThemselvesAndTheBotPostsNotices() throws Exception {
        String alias = newRoom();
        Recorder rec = new Recorder();
        MatrixRoom room = open(alias, temp.resolve("order-" + System.nanoTime() + ".json"), rec);
        List<String> expected = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 1; i <= 10; i++) {
            SeatId s = i % 2 == 1 ? KIMI : CLAUDE;
            room.post(s, "line " + i);
            expected.add("line " + i);
        }
        room.notice("parley: conversation started");
        expected.add("parley: conversation started");
        List<JsonNode> got = awaitFrom(room.roomId(), ourUsers(), expected.size());
        System.out.printf("[measure] %s: 11 messages visible to the human in %d ms%n", getClass().getSimpleName(),
                (System.nanoTime() - t0) / 1_000_000);
        assertEquals(expected, bodies(got));
        for (int i = 0; i < 10; i++) {
            JsonNode e = got.get(i);
            assertEquals(userOf(i % 2 == 0 ? KIMI : CLAUDE), e.path("sender").asText(), "sender of " + i);
            assertEquals("m.text", e.path("content").path("msgtype").asText());
        }
        assertEquals(controlUser(), got.get(10).path("sender").asText());
        assertEquals("m.notice", got.get(10).path("content").path("msgtype").asText());
        assertTrue(rec.humans.isEmpty(), "own messages must not come back as human: " + rec.humans);
        assertTrue(rec.problems.isEmpty(), rec.problems.toString());
    }

    @Test
    void humansReachTheListenerWithTheOperatorFlagAndTheRestIsIgnored() throws Exception {
        String alias = newRoom();
        Recorder rec = new Recorder();
        MatrixRoom room = open(alias, temp.resolve("humans-" + System.nanoTime() + ".json"), rec);
        String id = room.roomId();
        room.post(KIMI, "a seat speaks");
        awaitFrom(id, ourUsers(), 1);
        alice.say(id, "!status");
        String hello = bob.say(id, "hello from bob");
        bob.emote(id, "waves");
        bob.notice(id, "a notice from some other bot");
        bob.edit(id, hello, "edited hello");
        bob.say(id, "!stop");
        List<Inbound> got = rec.until("!stop", WAIT);
        assertEquals(List.of(
                new Inbound("alice", "!status", true, false, false),
                new Inbound("bob", "hello from bob", false, false, false),
                new Inbound("bob", "waves", false, true, false),
                new Inbound("bob", "!stop", false, false, false)), got);
    }

    @Test
    void operatorsByPowerLevelWhenConfigured() throws Exception {
        // Covered for both modes by the subclass's config: bob is raised to 50 and must then count as operator
        // only where operator-power-level is set; see the subclass assertion.
        String alias = newRoom();
        Recorder rec = new Recorder();
        MatrixRoom room = open(alias, temp.resolve("pl-" + System.nanoTime() + ".json"), rec);
        alice.setPowerLevel(room.roomId(), bob.userId, 50);
        Thread.sleep(500); // not polling: a moment for the power-level event to reach the room through sync before
        // bob's next message (the room shows no sign of having read it)
        bob.say(room.roomId(), "!pause");
        List<Inbound> got = rec.until("!pause", WAIT);
        assertEquals(serverConfig().operatorPowerLevel().isPresent(), got.get(got.size() - 1).operator(),
                "operator by power level 50 with config " + serverConfig().operatorPowerLevel());
    }

    @Test
    void synapseRestartMidStreamLosesAndDuplicatesNothing() throws Exception {
        String alias = newRoom();
        Recorder rec = new Recorder();
        MatrixRoom room = open(alias, temp.resolve("restart-" + System.nanoTime() + ".json"), rec);
        String id = room.roomId();
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            room.post(i % 2 == 1 ? KIMI : CLAUDE, "before " + i);
            expected.add("before " + i);
        }
        assertEquals(5, awaitFrom(id, ourUsers(), 5).size());
        synapse.stop();
        for (int i = 1; i <= 5; i++) {
            room.post(i % 2 == 1 ? CLAUDE : KIMI, "during " + i);
            expected.add("during " + i);
        }
        room.notice("notice during outage");
        expected.add("notice during outage");
        Thread.sleep(1500); // not polling: the homeserver stays down a moment while the outbox retries
        long t0 = System.nanoTime();
        synapse.start();
        long up = System.nanoTime();
        List<JsonNode> got = awaitFrom(id, ourUsers(), expected.size());
        System.out.printf("[measure] %s: synapse restart took %d ms; backlog of 6 delivered %d ms after it was up%n",
                getClass().getSimpleName(), (up - t0) / 1_000_000, (System.nanoTime() - up) / 1_000_000);
        assertEquals(expected, bodies(got));
        alice.say(id, "after the restart");
        assertEquals("after the restart", rec.until("after the restart", WAIT).get(0).text());
    }

    @Test
    void aRestartedClientDoesNotDeliverOldEventsAgain() throws Exception {
        String alias = newRoom();
        Path state = temp.resolve("client-restart-" + System.nanoTime() + ".json");
        Recorder first = new Recorder();
        MatrixRoom room = open(alias, state, first);
        String id = room.roomId();
        alice.say(id, "one");
        assertEquals(List.of("one"), first.until("one", WAIT).stream().map(Inbound::text).toList());
        room.close();
        alice.say(id, "two, said while parley was down");
        Recorder second = new Recorder();
        MatrixRoom again = open(alias, state, second);
        alice.say(id, "three");
        assertEquals(List.of("two, said while parley was down", "three"),
                second.until("three", WAIT).stream().map(Inbound::text).toList());
        again.post(KIMI, "still here");
        assertEquals(1, awaitFrom(id, Set.of(userOf(KIMI)), 1).size());
    }

    @Test
    void moreMissedThanOneTimelineHoldsIsStillDeliveredInOrder() throws Exception {
        String alias = newRoom();
        Path state = temp.resolve("gap-" + System.nanoTime() + ".json");
        MatrixRoom.Tuning tiny = new MatrixRoom.Tuning(FAST.backoff(), FAST.syncTimeout(), FAST.closeGrace(), 3);
        Recorder first = new Recorder();
        MatrixRoom room = openWith(alias, state, first, tiny);
        String id = room.roomId();
        alice.say(id, "before");
        first.until("before", WAIT);
        room.close();
        List<String> said = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            alice.say(id, "missed " + i);
            said.add("missed " + i);
        }
        Recorder second = new Recorder();
        openWith(alias, state, second, tiny);
        assertEquals(said, second.until("missed 12", WAIT).stream().map(Inbound::text).toList());
    }

    /** Who reads the room with /sync (its since-token is saved for this user). */
    String readerUser() {
        return controlUser();
    }

    @Test
    void anUnknownSavedPositionIsReportedAndTheRoomGoesOnFromNow() throws Exception {
        String alias = newRoom();
        String rid = alice.call("GET", "/directory/room/" + HumanClient.enc(alias), null).path("room_id").asText();
        Path state = temp.resolve("bogus-" + System.nanoTime() + ".json");
        new SyncState(state).save(readerUser(), rid, "not-a-token");
        Recorder rec = new Recorder();
        open(alias, state, rec);
        alice.say(rid, "hello after the reset");
        assertEquals("hello after the reset", rec.until("hello after the reset", WAIT).get(0).text());
        assertEquals(1, rec.problems.size(), rec.problems.toString());
        assertTrue(rec.problems.get(0).contains("refused the saved sync position"), rec.problems.get(0));
    }

    @Test
    void firstStartSkipsHistory() throws Exception {
        String alias = newRoom();
        alice.call("GET", "/directory/room/" + HumanClient.enc(alias), null);
        String rid = alice.call("GET", "/directory/room/" + HumanClient.enc(alias), null).path("room_id").asText();
        alice.say(rid, "old history");
        Recorder rec = new Recorder();
        open(alias, temp.resolve("fresh-" + System.nanoTime() + ".json"), rec);
        long t0 = System.nanoTime();
        alice.say(rid, "new");
        assertEquals(List.of("new"), rec.until("new", WAIT).stream().map(Inbound::text).toList());
        System.out.printf("[measure] %s: human message to listener in %.1f ms (including the human's send)%n",
                getClass().getSimpleName(), (System.nanoTime() - t0) / 1e6);
    }

    @Test
    void markdownIsRenderedAndHtmlNeverPassesThrough() throws Exception {
        String alias = newRoom();
        Recorder rec = new Recorder();
        MatrixRoom room = open(alias, temp.resolve("md-" + System.nanoTime() + ".json"), rec);
        String text = "<script>alert(1)</script> **bold** <img src=x onerror=alert(2)>";
        room.post(CLAUDE, text);
        JsonNode e = awaitFrom(room.roomId(), ourUsers(), 1).get(0);
        JsonNode c = e.path("content");
        assertEquals(text, c.path("body").asText());
        assertEquals("org.matrix.custom.html", c.path("format").asText());
        String html = c.path("formatted_body").asText();
        assertTrue(html.contains("<strong>bold</strong>"), html);
        assertTrue(html.contains("&lt;script&gt;"), html);
        assertFalse(html.contains("<script"), html);
        assertFalse(html.contains("<img"), html);
    }

    @Test
    void aTwoSeatConversationWithAHumanWhoModeratesSurvivesAHomeserverRestart() throws Exception {
        String alias = newRoom();
        List<SeatConfig> seatConfigs = new ArrayList<>();
        Map<SeatId, ModelClient> models = new LinkedHashMap<>();
        for (MatrixSeat s : seats()) {
            SeatConfig base = TestConfigs.seat(s.id().value(), s.displayName());
            seatConfigs.add(new SeatConfig(s.id(), s.displayName(), Optional.empty(), Optional.of(s.identity()),
                    base.model(), base.systemPrompt(), base.contextBudgetTokens()));
            AtomicInteger n = new AtomicInteger();
            models.put(s.id(), new ScriptedModel().otherwise(r -> s.id().value() + " says " + n.incrementAndGet()));
        }
        ConversationConfig config = TestConfigs.with(TestConfigs.conversation("Kimi", "Claude"),
                b -> b.seats(seatConfigs).pacing(TestConfigs.pacing(300, 300)).stop(TestConfigs.stop(200))
                        // "kimi says 5", "kimi says 6" is what the health monitor rightly calls degenerate.
                        .health(new dev.parley.config.HealthConfig(false, dev.parley.config.HealthConfig.Action.STOP,
                                8, 2, 6, 0.8, 3, 20, 5, 0.68, 4, 0.1, 6, 0.04, 6, 0.2)));
        Recorder unused = new Recorder();
        MatrixRoom room = new MatrixRoom(serverConfig(), alias, seats(), temp.resolve("conv-" + System.nanoTime()
                + ".json"), scheduler, MatrixClient.defaultHttp(), FAST);
        opened.add(room);
        MemoryJournal journal = new MemoryJournal();
        Commands commands = new Commands("!");
        Conversation conversation = new Conversation(config, models, List.<Room>of(room), journal, scheduler,
                new Random(1), commands::handle, events -> "(no transcript in this test)");
        long t0 = System.nanoTime();
        conversation.start();
        String id = alice.call("GET", "/directory/room/" + HumanClient.enc(alias), null).path("room_id").asText();
        Set<String> seatUsers = Set.of(userOf(KIMI), userOf(CLAUDE));
        List<JsonNode> first = awaitFrom(id, seatUsers, 2);
        System.out.printf("[measure] %s: conversation's first 2 turns visible %d ms after start%n",
                getClass().getSimpleName(), (System.nanoTime() - t0) / 1_000_000);
        assertTrue(first.size() >= 2, "no turns: " + first);

        bob.say(id, "!stop because I say so");
        JsonNode refusal = awaitNotice(id, "only operators");
        assertTrue(refusal.path("content").path("body").asText().startsWith("bob:"), refusal.toString());
        alice.say(id, "!pause");
        awaitNotice(id, "Paused");
        Thread.sleep(1500); // not polling: a turn already being typed may still land
        int paused = alice.messages(id).stream().filter(e -> seatUsers.contains(e.path("sender").asText()))
                .toList().size();
        Thread.sleep(1500); // not polling: a moment in which a turn while paused would show
        assertEquals(paused, alice.messages(id).stream().filter(e -> seatUsers.contains(e.path("sender").asText()))
                .toList().size(), "seats kept talking while paused");
        alice.say(id, "//an aside, not for the models");
        alice.say(id, "!resume");
        int resumed = awaitFrom(id, seatUsers, paused + 2).size();
        assertTrue(resumed >= paused + 2, "no turns after !resume");
        // The homeserver goes away mid-conversation and comes back: turns queue up, then arrive in order, once.
        synapse.stop();
        Thread.sleep(2000); // not polling: the homeserver stays down a moment
        synapse.start();
        assertTrue(awaitFrom(id, seatUsers, resumed + 3).size() >= resumed + 3, "no turns after the restart");
        alice.say(id, "!stop that is enough");
        String reason = conversation.stopped().get(30, TimeUnit.SECONDS);
        assertTrue(reason.contains("that is enough"), reason);
        Thread.sleep(1000); // not polling: a moment in which a turn after the stop would show

        List<JsonNode> turns = alice.messages(id).stream()
                .filter(e -> seatUsers.contains(e.path("sender").asText())).toList();
        Map<String, Integer> next = new LinkedHashMap<>();
        String previous = null;
        for (JsonNode e : turns) {
            String sender = e.path("sender").asText();
            assertEquals("m.text", e.path("content").path("msgtype").asText());
            assertTrue(!sender.equals(previous), "round robin broken at " + e);
            previous = sender;
            String seat = sender.equals(userOf(KIMI)) ? "kimi" : "claude";
            int n = next.merge(seat, 1, Integer::sum);
            assertEquals(seat + " says " + n, e.path("content").path("body").asText(), "lost or duplicated turn");
        }
        assertTrue(alice.messages(id).stream().filter(e -> e.path("sender").asText().equals(controlUser()))
                .allMatch(e -> e.path("content").path("msgtype").asText().equals("m.notice")));
        assertTrue(journal.events().stream().anyMatch(ev -> ev.toString().contains("that is enough")),
                "the stop reason is in the journal");
    }

    JsonNode awaitNotice(String roomId, String containing) {
        return onTheHomeserver().alias("a notice containing '" + containing + "'")
                .until(() -> alice.messages(roomId).stream()
                        .filter(e -> e.path("sender").asText().equals(controlUser())
                                && e.path("content").path("body").asText().contains(containing))
                        .findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    /** Waiting on what a human's client sees: every 100 ms, as each check is a request to Synapse. */
    static ConditionFactory onTheHomeserver() {
        return Waiting.upTo(WAIT).pollInterval(Duration.ofMillis(100));
    }

    /**
     * The joins and leaves of {@code user} in the room, oldest first, as a human's client sees them (invites, which
     * only private rooms have, are left out).
     */
    List<String> memberships(String roomId, String user) throws Exception {
        List<String> out = new ArrayList<>();
        JsonNode page = alice.call("GET", "/rooms/" + HumanClient.enc(roomId) + "/messages?dir=f&limit=1000", null);
        for (JsonNode ev : page.path("chunk")) {
            if ("m.room.member".equals(ev.path("type").asText()) && user.equals(ev.path("state_key").asText())
                    && !"invite".equals(ev.path("content").path("membership").asText())) {
                out.add(ev.path("content").path("membership").asText());
            }
        }
        return out;
    }

    List<String> awaitMemberships(String roomId, String user, String last) {
        return onTheHomeserver().alias(user + "'s last membership is " + last)
                .until(() -> memberships(roomId, user), got -> !got.isEmpty() && got.get(got.size() - 1).equals(last));
    }

    MatrixRoom openWithCast(String alias, String stateName, Recorder rec, Set<SeatId> cast) throws Exception {
        MatrixRoom room = new MatrixRoom(serverConfig(), alias, seats(), temp.resolve(stateName + "-"
                + System.nanoTime() + ".json"), scheduler, MatrixClient.defaultHttp(), FAST);
        opened.add(room);
        room.cast(cast);
        room.open(rec);
        assertTrue(rec.awaitPresent(cast.size(), WAIT), "cast did not join; problems: " + rec.problems);
        return room;
    }

    @Test
    void castChangesAreRealMembershipChangesAndASeatSentOutIsNotRejoined() throws Exception {
        String alias = newRoom();
        Recorder rec = new Recorder();
        MatrixRoom room = openWithCast(alias, "cast", rec, Set.of(KIMI));
        String id = room.roomId();
        String claude = userOf(CLAUDE);
        assertThat(memberships(id, claude)).doesNotContain("join");

        room.cast(Set.of(KIMI, CLAUDE));
        assertThat(awaitMemberships(id, claude, "join")).endsWith("join");
        assertTrue(rec.awaitPresent(2, WAIT), rec.presenceLog.toString());
        room.post(CLAUDE, "in and out");

        room.cast(Set.of(KIMI));
        assertThat(awaitMemberships(id, claude, "leave")).endsWith("join", "leave");
        assertThat(bodies(awaitFrom(id, Set.of(claude), 1)))
                .containsExactly("in and out");
        Thread.sleep(3000); // not polling: a rejoin with FAST backoff would have come by now
        assertThat(memberships(id, claude)).endsWith("leave")
                .filteredOn("join"::equals).hasSize(1);
        assertThat(rec.presenceLog).doesNotContain("claude-");
        alice.say(id, "still listening?");
        rec.until("still listening?", WAIT);

        room.cast(Set.of(KIMI, CLAUDE));
        assertThat(awaitMemberships(id, claude, "join")).endsWith("leave", "join");
        // The log only grows: once it holds claude+ twice, it either is exactly this or never will be.
        Waiting.upTo(WAIT).untilAsserted(() -> assertThat(rec.presenceLog)
                .containsExactly("kimi+", "claude+", "claude+"));
        assertThat(rec.problems).isEmpty();
    }

    @Test
    void aRetractedPostIsRedactedWithTheNoticeAsReason() throws Exception {
        String alias = newRoom();
        Recorder rec = new Recorder();
        MatrixRoom room = open(alias, temp.resolve("retract-" + System.nanoTime() + ".json"), rec);
        String id = room.roomId();
        // One message in two parts (two parcels, as when a reply streams in paragraphs), then another.
        room.deliver(Parcel.post(new Parcel.Key("retract-test", 41), KIMI, "a regrettable line"));
        room.deliver(Parcel.post(new Parcel.Key("retract-test", 42), KIMI, "and its second part"));
        room.deliver(Parcel.post(new Parcel.Key("retract-test", 43), CLAUDE, "a line that stays"));
        List<JsonNode> sent = awaitFrom(id, ourUsers(), 3);
        assertThat(bodies(sent))
                .containsExactly("a regrettable line", "and its second part", "a line that stays");

        String notice = "A message from Kimi K2 was retracted by alice.";
        room.retract(List.of(41L, 42L), notice);
        List<JsonNode> now = onTheHomeserver().alias("two events redacted").until(() -> alice.messages(id),
                got -> got.stream().filter(e -> e.path("unsigned").has("redacted_because")).count() >= 2);
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        now.forEach(e -> byId.put(e.path("event_id").asText(), e));
        for (JsonNode original : sent.subList(0, 2)) {
            JsonNode e = byId.get(original.path("event_id").asText());
            assertThat(e.path("content").size()).as("content of a redacted event")
                    .isZero();
            assertThat(e.path("unsigned").path("redacted_because").path("content")
                    .path("reason").asText()).isEqualTo(notice);
        }
        assertThat(byId.get(sent.get(2).path("event_id").asText())
                .path("content").path("body").asText()).isEqualTo("a line that stays");
        assertThat(now).noneMatch(e -> e.path("content").path("body").asText()
                .equals(notice));
        assertThat(rec.problems).isEmpty();
    }

    @Test
    void theTopicIsSetByTheControlUserOnceItMayAndARefusalIsReported() throws Exception {
        String alias = newRoom();
        Recorder rec = new Recorder();
        MatrixRoom room = open(alias, temp.resolve("topic-" + System.nanoTime() + ".json"), rec);
        String id = room.roomId();
        room.topic("refused: no power yet");
        Waiting.upTo(WAIT).alias("a problem reported").until(() -> !rec.problems.isEmpty());
        assertThat(rec.problems).singleElement().asString()
                .contains("cannot set the topic");

        alice.setPowerLevel(id, controlUser(), 50);
        room.topic("Episode 2: Kimi and Claude on tea");
        String topic = onTheHomeserver().alias("the topic set").until(() -> topicOf(id),
                "Episode 2: Kimi and Claude on tea"::equals);
        assertThat(topic).isEqualTo("Episode 2: Kimi and Claude on tea");
        assertThat(rec.problems).hasSize(1);
    }

    /** The room's topic as a human's client reads it; empty while it has none (Synapse answers 404). */
    private String topicOf(String roomId) throws Exception {
        try {
            return alice.call("GET", "/rooms/" + HumanClient.enc(roomId) + "/state/m.room.topic/", null)
                    .path("topic").asText();
        } catch (IOException notYet) {
            return "";
        }
    }
}
