package dev.parley.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.config.MatrixIdentity;
import dev.parley.config.MatrixServerConfig;
import dev.parley.config.Secret;
import dev.parley.core.Backoff;
import dev.parley.core.SeatId;
import dev.parley.core.SystemScheduler;
import dev.parley.room.Parcel;
import dev.parley.testsupport.Waiting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cast changes, retraction and the topic against a scripted homeserver: which user joins, leaves, redacts and
 * reads, and what the listener hears. Real Synapse behaviour is in the {@code *IT} tests.
 */
class MatrixRoomCastTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ROOM = "!r:hs";
    private static final SeatId KIMI = SeatId.of("kimi");
    private static final SeatId BASIL = SeatId.of("basil");
    private static final MatrixRoom.Tuning TUNING = new MatrixRoom.Tuning(new Backoff(Duration.ofMillis(50),
            Duration.ofMillis(200)), Duration.ofMillis(200), Duration.ofSeconds(3), 50, Duration.ZERO);

    /** One call the homeserver answered: who (by token or masquerade), what, and the body. */
    record Call(String user, String method, String path, JsonNode body, String since) { }

    private final MockWebServer server = new MockWebServer();
    private final SystemScheduler scheduler = new SystemScheduler();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger events = new AtomicInteger();
    private final AtomicInteger others = new AtomicInteger();
    private final AtomicInteger batches = new AtomicInteger();
    /** Timeline events the next /sync hands out. */
    private final List<JsonNode> pendingTimeline = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch sendGate = new CountDownLatch(0);
    private volatile boolean topicForbidden;
    private final Recorder rec = new Recorder();
    private MatrixRoom room;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                try {
                    return answer(request);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return json(500, "{}");
                } catch (java.io.IOException e) {
                    return json(400, "{}");
                }
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        sendGate.countDown();
        if (room != null) {
            room.close();
        }
        scheduler.close();
        server.close();
    }

    private MockResponse answer(RecordedRequest r) throws InterruptedException, java.io.IOException {
        String path = r.getUrl().encodedPath().replace("/_matrix/client/v3", "");
        String auth = r.getHeaders().get("Authorization");
        String user = r.getUrl().queryParameter("user_id");
        if (user == null) {
            user = auth == null ? "" : "@" + auth.substring("Bearer ".length()) + ":hs";
        }
        JsonNode body = r.getBody() == null || r.getBody().size() == 0 ? null
                : MatrixClient.MAPPER.readTree(r.getBody().utf8());
        String since = r.getUrl().queryParameter("since");
        if (!path.equals("/sync")) {
            calls.add(new Call(user, r.getMethod(), path, body, since));
        }
        if (path.equals("/account/whoami")) {
            return json(200, "{\"user_id\":\"" + user + "\"}");
        }
        if (path.startsWith("/join/") || path.equals("/register")) {
            return json(200, "{\"room_id\":\"" + ROOM + "\"}");
        }
        if (path.startsWith("/rooms/" + ROOM + "/send/")) {
            sendGate.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return json(200, "{\"event_id\":\"$" + events.incrementAndGet() + "\"}");
        }
        if (path.startsWith("/rooms/" + ROOM + "/redact/")) {
            return json(200, "{\"event_id\":\"$r" + others.incrementAndGet() + "\"}");
        }
        if (path.equals("/rooms/" + ROOM + "/leave")) {
            // The leave shows in the room's timeline as it would on a homeserver.
            ObjectNode ev = MatrixClient.MAPPER.createObjectNode().put("type", "m.room.member")
                    .put("sender", user).put("state_key", user).put("event_id", "$m" + others.incrementAndGet());
            ev.putObject("content").put("membership", "leave");
            pendingTimeline.add(ev);
            return json(200, "{}");
        }
        if (path.equals("/rooms/" + ROOM + "/state/m.room.topic/")) {
            return topicForbidden ? json(403, "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"not allowed\"}")
                    : json(200, "{\"event_id\":\"$t\"}");
        }
        if (path.equals("/sync")) {
            calls.add(new Call(user, r.getMethod(), path, null, since));
            if (since != null && pendingTimeline.isEmpty()) {
                Thread.sleep(50); // not polling: the mock homeserver holds an idle sync a moment, as a long-poll does
            }
            ObjectNode sync = MatrixClient.MAPPER.createObjectNode().put("next_batch", "s" + batches.incrementAndGet());
            ArrayNode timeline = sync.putObject("rooms").putObject("join").putObject(ROOM).putObject("timeline")
                    .putArray("events");
            List<JsonNode> now = new ArrayList<>(pendingTimeline);
            pendingTimeline.removeAll(now);
            if (since != null) {
                now.forEach(timeline::add);
            }
            return json(200, sync.toString());
        }
        // profile, power levels, invite
        return json(200, "{}");
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    private static MatrixSeat seat(SeatId id, String name) {
        return new MatrixSeat(id, name, new MatrixIdentity("@" + id.value() + ":hs",
                Optional.of(new Secret(id.value(), "test")), Optional.empty()));
    }

    private MatrixRoom accountsRoom() {
        MatrixServerConfig cfg = new MatrixServerConfig("hs", server.url("/").toString(), "@bot:hs",
                Optional.of(new Secret("bot", "test")), List.of());
        return new MatrixRoom(cfg, ROOM, List.of(seat(KIMI, "Kimi"), seat(BASIL, "Basil")), dir.resolve("s.json"),
                scheduler, MatrixClient.defaultHttp(), TUNING);
    }

    private static void await(String what, BooleanSupplier condition) {
        Waiting.upTo(WAIT).alias(what).until(condition::getAsBoolean);
    }

    private List<Call> calls(String user, String method, String pathPrefix) {
        return calls.stream().filter(c -> c.user().equals(user) && c.method().equals(method)
                && c.path().startsWith(pathPrefix)).toList();
    }

    private List<Call> sends() {
        return calls.stream().filter(c -> c.path().startsWith("/rooms/" + ROOM + "/send/")).toList();
    }

    private List<Call> redactions() {
        return calls.stream().filter(c -> c.path().startsWith("/rooms/" + ROOM + "/redact/")).toList();
    }

    @Test
    void aCastChangeJoinsAndLeavesForRealWithoutAbsenceOrRejoin() throws Exception {
        room = accountsRoom();
        room.cast(Set.of(KIMI));
        room.open(rec);
        await("kimi is present", () -> rec.presenceLog.contains("kimi+"));
        assertThat(calls("@basil:hs", "POST", "/join/")).isEmpty();
        assertThatThrownBy(() -> room.post(BASIL, "not in")).isInstanceOf(IllegalArgumentException.class);

        room.post(KIMI, "my last words");
        room.cast(Set.of(BASIL));
        await("basil is present", () -> rec.presenceLog.contains("basil+"));
        await("kimi leaves", () -> !calls("@kimi:hs", "POST", "/rooms/" + ROOM + "/leave").isEmpty());
        assertThat(calls("@basil:hs", "PUT", "/profile/@basil:hs/displayname")).singleElement()
                .extracting(c -> c.body().path("displayname").asText()).isEqualTo("Basil");
        // Its queued message went out before it left.
        int said = calls.indexOf(sends().get(0));
        assertThat(sends().get(0).body().path("body").asText()).isEqualTo("my last words");
        assertThat(said).isLessThan(calls.indexOf(calls("@kimi:hs", "POST", "/rooms/" + ROOM + "/leave").get(0)));
        await("the leave was seen through sync", () -> pendingTimeline.isEmpty());
        Thread.sleep(400); // not polling: several sync rounds and rejoin backoffs, in which a wrong rejoin would show
        assertThat(calls("@kimi:hs", "POST", "/join/")).hasSize(1);
        assertThat(rec.presenceLog).doesNotContain("kimi-");
        assertThat(rec.problems).isEmpty();

        room.cast(Set.of(KIMI, BASIL));
        await("kimi is back", () -> rec.presenceLog.stream().filter("kimi+"::equals).count() == 2);
        assertThat(calls("@kimi:hs", "POST", "/join/")).hasSize(2);
        room.post(KIMI, "back");
        await("kimi speaks again", () -> sends().size() == 2);
        assertThat(sends().get(1).user()).isEqualTo("@kimi:hs");
    }

    @Test
    void retractRedactsWhatWasSentAndDropsWhatWasStillQueued() throws Exception {
        room = accountsRoom();
        room.open(rec);
        await("seats are present", () -> rec.present.size() == 2);
        post(KIMI, "one", 1);
        post(BASIL, "two", 2);
        post(BASIL, "two, part 2", 3);
        await("three sent", () -> sends().size() == 3);

        room.retract(List.of(2L, 3L), "A message from Basil was retracted by kate.");
        await("two redactions", () -> redactions().size() == 2);
        assertThat(redactions()).allSatisfy(c -> {
            assertThat(c.user()).isEqualTo("@basil:hs");
            assertThat(c.body().path("reason").asText()).isEqualTo("A message from Basil was retracted by kate.");
        });
        assertThat(redactions()).extracting(c -> c.path().split("/")[4]).containsExactlyInAnyOrder("$2", "$3");

        // Sending is stuck on "three": retracting it redacts it once sent; "four" is never sent at all.
        sendGate = new CountDownLatch(1);
        post(KIMI, "three", 4);
        post(KIMI, "four", 5);
        post(KIMI, "five", 6);
        await("three is being sent", () -> sends().size() == 4);
        room.retract(List.of(4L, 5L), "retracted");
        sendGate.countDown();
        await("five sent", () -> sends().size() == 5);
        await("three redacted", () -> redactions().size() == 3);
        assertThat(sends()).extracting(c -> c.body().path("body").asText())
                .containsExactly("one", "two", "two, part 2", "three", "five");
        assertThat(redactions().get(2).path()).contains("/redact/$4/");
        assertThat(sends()).noneMatch(c -> c.body().path("msgtype").asText().equals("m.notice"));
        Thread.sleep(100); // not polling: a moment in which a fourth redaction would show
        assertThat(redactions()).hasSize(3);
    }

    @Test
    void aSeatOutOfTheRoomHasItsPostRedactedByTheControlIdentity() throws Exception {
        room = accountsRoom();
        room.open(rec);
        await("seats are present", () -> rec.present.size() == 2);
        post(KIMI, "one", 7);
        await("sent", () -> sends().size() == 1);
        room.cast(Set.of(BASIL));
        room.retract(List.of(7L), "gone");
        await("redacted", () -> redactions().size() == 1);
        assertThat(redactions().get(0).user()).isEqualTo("@bot:hs");
    }

    @Test
    void theTopicIsSetByTheControlIdentityAndARefusalIsReported() throws Exception {
        room = accountsRoom();
        room.open(rec);
        await("seats are present", () -> rec.present.size() == 2);
        room.topic("Episode 3: tea");
        await("topic set", () -> !calls("@bot:hs", "PUT", "/rooms/" + ROOM + "/state/m.room.topic").isEmpty());
        assertThat(calls("@bot:hs", "PUT", "/rooms/" + ROOM + "/state/m.room.topic").get(0).body())
                .isEqualTo(MatrixClient.MAPPER.readTree("{\"topic\":\"Episode 3: tea\"}"));
        topicForbidden = true;
        room.topic("nope");
        await("refusal reported", () -> !rec.problems.isEmpty());
        assertThat(rec.problems).singleElement().asString().contains("cannot set the topic");
    }

    @Test
    void inAppserviceModeAnotherGhostReadsOnFromTheSamePositionWhenTheReaderIsSentOut() throws Exception {
        Path registration = dir.resolve("reg.yaml");
        MatrixServerConfig cfg = new MatrixServerConfig("hs", server.url("/").toString(), "@parley:hs",
                Optional.empty(), List.of(), MatrixServerConfig.Mode.APPSERVICE, Optional.empty(), OptionalInt.empty(),
                Optional.of(new MatrixServerConfig.Appservice(registration, "parley", Optional.empty())));
        MatrixRegistration.write(cfg, false);
        List<MatrixSeat> ghosts = List.of(
                new MatrixSeat(KIMI, "Kimi", new MatrixIdentity("@parley_kimi:hs", Optional.empty(), Optional.empty())),
                new MatrixSeat(BASIL, "Basil", new MatrixIdentity("@parley_basil:hs", Optional.empty(),
                        Optional.empty())));
        room = new MatrixRoom(cfg, ROOM, ghosts, dir.resolve("as.json"), scheduler, MatrixClient.defaultHttp(),
                TUNING);
        room.open(rec);
        await("seats are present", () -> rec.present.size() == 2);
        await("a ghost reads", () -> calls.stream().anyMatch(c -> c.path().equals("/sync")));
        // Whichever ghost joined first reads; send that seat out.
        String first = calls.stream().filter(c -> c.path().equals("/sync")).findFirst().orElseThrow().user();
        String other = first.equals("@parley_kimi:hs") ? "@parley_basil:hs" : "@parley_kimi:hs";
        SeatId firstSeat = first.equals("@parley_kimi:hs") ? KIMI : BASIL;
        room.cast(Set.of(firstSeat.equals(KIMI) ? BASIL : KIMI));

        await("the other ghost reads", () -> !calls(other, "GET", "/sync").isEmpty());
        await("the first one leaves", () -> !calls(first, "POST", "/rooms/" + ROOM + "/leave").isEmpty());
        List<Call> polls = calls.stream().filter(c -> c.path().equals("/sync")).toList();
        int handOver = polls.indexOf(calls(other, "GET", "/sync").get(0));
        assertThat(polls.subList(0, handOver)).allMatch(c -> c.user().equals(first));
        // It goes on where the first reader's last poll ended: that answer's next_batch, the next one.
        assertThat(polls.get(handOver).since()).isEqualTo("s" + (Integer.parseInt(
                polls.get(handOver - 1).since() == null ? "0" : polls.get(handOver - 1).since().substring(1)) + 1));
        int before = polls.size();
        await("the other keeps reading",
                () -> calls.stream().filter(c -> c.path().equals("/sync")).count() > before + 3);
        assertThat(calls.stream().filter(c -> c.path().equals("/sync")).skip(before))
                .allMatch(c -> c.user().equals(other));
        assertThat(rec.presenceLog).doesNotContain(firstSeat.value() + "-");
        assertThat(rec.problems).isEmpty();
    }

    @Test
    void aReaderSentOutWithNobodyToTakeOverKeepsReadingUntilSomeoneDoes() throws Exception {
        Path registration = dir.resolve("reg.yaml");
        MatrixServerConfig cfg = new MatrixServerConfig("hs", server.url("/").toString(), "@parley:hs",
                Optional.empty(), List.of(), MatrixServerConfig.Mode.APPSERVICE, Optional.empty(), OptionalInt.empty(),
                Optional.of(new MatrixServerConfig.Appservice(registration, "parley", Optional.empty())));
        MatrixRegistration.write(cfg, false);
        List<MatrixSeat> ghosts = List.of(
                new MatrixSeat(KIMI, "Kimi", new MatrixIdentity("@parley_kimi:hs", Optional.empty(), Optional.empty())),
                new MatrixSeat(BASIL, "Basil", new MatrixIdentity("@parley_basil:hs", Optional.empty(),
                        Optional.empty())));
        room = new MatrixRoom(cfg, ROOM, ghosts, dir.resolve("as.json"), scheduler, MatrixClient.defaultHttp(),
                TUNING);
        room.cast(Set.of(KIMI));
        room.open(rec);
        await("kimi is present", () -> rec.present.size() == 1);
        room.cast(Set.of());
        Thread.sleep(300); // not polling: a moment in which an early leave would show
        assertThat(calls("@parley_kimi:hs", "POST", "/rooms/" + ROOM + "/leave")).isEmpty();
        room.cast(Set.of(BASIL));
        await("kimi leaves", () -> !calls("@parley_kimi:hs", "POST", "/rooms/" + ROOM + "/leave").isEmpty());
        await("basil reads", () -> !calls("@parley_basil:hs", "GET", "/sync").isEmpty());
        assertThat(Map.of("presence", rec.presenceLog)).extractingByKey("presence").asList()
                .containsExactly("kimi+", "basil+");
    }

    /** Posts as the conversation does: a journalled parcel, numbered {@code seq}. */
    private void post(SeatId seat, String text, long seq) {
        room.deliver(Parcel.post(new Parcel.Key("cast-test", seq), seat, text));
    }
}
