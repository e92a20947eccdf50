package dev.parley.matrix;

import static dev.parley.matrix.ScriptedHomeserver.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.SeatId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The /sync loop against a scripted homeserver in virtual time: history, gaps, positions, refusals, readers. */
class SyncLoopTest {
    /** What the loop handed over: the bodies of the events, those of the gap first, and how. */
    record Handed(List<String> missed, List<String> timeline, boolean deliver, String polledAs) { }

    private final ScriptedHomeserver hs = new ScriptedHomeserver();
    private final List<Handed> handed = new CopyOnWriteArrayList<>();
    private final Recorder rec = new Recorder();
    private final List<String> problems = rec.problems;
    private RoomContext ctx;
    private SyncState state;
    private SyncLoop loop;

    @TempDir
    Path dir;

    SyncLoopTest() throws Exception { }

    @BeforeEach
    void create() {
        ctx = hs.context(hs.accounts(), Set.<SeatId>of());
        ctx.listener = rec;
        state = new SyncState(dir.resolve("sync.json"));
        loop = new SyncLoop(ctx, state, (batch, missed, deliver, polledAs) -> handed.add(new Handed(
                missed.stream().map(e -> e.content().path("body").asText()).toList(),
                batch.room("!r:hs").timeline().events().stream().map(e -> e.content().path("body").asText()).toList(),
                deliver, polledAs)), List::of);
    }

    @AfterEach
    void stop() {
        ctx.closed = true;
        hs.close();
    }

    private static String message(String body) {
        return "{\"type\":\"m.room.message\",\"sender\":\"@human:hs\",\"event_id\":\"$" + body
                + "\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"" + body + "\"}}";
    }

    private static String batch(String next, String timeline) {
        return "{\"next_batch\":\"" + next + "\",\"rooms\":{\"join\":{\"!r:hs\":{\"timeline\":" + timeline + "}}}}";
    }

    /** A long-poll that has nothing new: answered after a moment with the same position. */
    private static MockResponse quiet(String since) {
        return new MockResponse.Builder().headersDelay(50, TimeUnit.MILLISECONDS).code(200)
                .setHeader("Content-Type", "application/json").body("{\"next_batch\":\"" + since + "\"}").build();
    }

    private void sync(Function<String, MockResponse> bySince) {
        hs.on("GET", "/sync", c -> bySince.apply(c.query("since")));
    }

    @Test
    void aFirstStartSkipsHistoryAndAPositionIsSavedOnlyAfterTheDelay() {
        sync(since -> since == null ? json(200, batch("s1", "{\"events\":[" + message("old") + "]}"))
                : since.equals("s1") ? json(200, batch("s2", "{\"events\":[" + message("new") + "]}"))
                : quiet(since));
        loop.readAs(hs.client("bot"), "@bot:hs");
        hs.until("the new message is handed over", () -> handed.size() >= 2 && loop.listening().isDone());

        assertThat(handed.get(0)).isEqualTo(new Handed(List.of(), List.of("old"), false, "@bot:hs"));
        assertThat(handed.get(1)).isEqualTo(new Handed(List.of(), List.of("new"), true, "@bot:hs"));
        assertThat(loop.listening()).isDone();
        assertThat(hs.calls("GET", "/sync").get(0).query("timeout")).isEqualTo("0");
        assertThat(hs.calls("GET", "/sync").get(1).query("timeout")).isEqualTo("30000");
        assertThat(state.load("@bot:hs", "!r:hs")).as("the first position, at once").isEqualTo("s1");

        hs.advance(ScriptedHomeserver.TUNING.positionSaveDelay().minusMillis(1));
        assertThat(state.load("@bot:hs", "!r:hs")).as("not yet past the new message").isEqualTo("s1");
        hs.advance(Duration.ofMillis(1));
        assertThat(state.load("@bot:hs", "!r:hs")).isEqualTo("s2");
        assertThat(problems).isEmpty();
    }

    @Test
    void aSavedPositionResumesAndALimitedTimelineIsFilledWithMessagesFirst() {
        state.save("@bot:hs", "!r:hs", "s5");
        sync(since -> since.equals("s5") ? json(200, batch("s6", "{\"limited\":true,\"prev_batch\":\"p1\","
                + "\"events\":[" + message("c") + "]}")) : quiet(since));
        hs.on("GET", "/rooms/!r:hs/messages", c -> switch (c.query("from")) {
            case "s5" -> json(200, "{\"chunk\":[" + message("a") + "],\"end\":\"m1\"}");
            case "m1" -> json(200, "{\"chunk\":[" + message("b") + "],\"end\":\"m2\"}");
            default -> json(200, "{\"chunk\":[],\"end\":\"m3\"}");
        });
        loop.readAs(hs.client("bot"), "@bot:hs");
        hs.until("the batch is handed over", () -> loop.listening().isDone());

        assertThat(handed.get(0)).isEqualTo(new Handed(List.of("a", "b"), List.of("c"), true, "@bot:hs"));
        assertThat(hs.calls("GET", "/sync").get(0).query("timeout")).as("a saved position is tried at once")
                .isEqualTo("0");
        assertThat(hs.calls("GET", "/rooms/!r:hs/messages")).allSatisfy(c -> {
            assertThat(c.query("to")).isEqualTo("p1");
            assertThat(c.query("dir")).isEqualTo("f");
            assertThat(c.query("filter")).isEqualTo(SyncFilter.messages());
        });
        hs.advance(ScriptedHomeserver.TUNING.positionSaveDelay());
        assertThat(state.load("@bot:hs", "!r:hs")).isEqualTo("s6");
    }

    @Test
    void aSavedPositionTheServerRefusesIsReportedAndTheLoopStartsAfresh() {
        state.save("@bot:hs", "!r:hs", "gone");
        sync(since -> since == null ? json(200, batch("s1", "{\"events\":[" + message("old") + "]}"))
                : since.equals("gone") ? json(400, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"bad token\"}")
                : quiet(since));
        loop.readAs(hs.client("bot"), "@bot:hs");
        hs.until("history was read", () -> loop.listening().isDone());

        assertThat(handed.get(0).deliver()).isFalse();
        assertThat(problems).singleElement().asString().contains("refused the saved sync position");
        assertThat(state.load("@bot:hs", "!r:hs")).isEqualTo("s1");
    }

    @Test
    void anotherRefusalIsReportedAndTriedAgainAfterTheLongestBackoff() {
        sync(since -> json(403, "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"no\"}"));
        loop.readAs(hs.client("bot"), "@bot:hs");
        hs.until("reported", () -> !problems.isEmpty());
        assertThat(problems.get(0)).contains("sync stopped");

        sync(since -> since == null ? json(200, batch("s1", "{\"events\":[]}")) : quiet(since));
        hs.advance(ScriptedHomeserver.BACKOFF.max().minusMillis(1));
        assertThat(hs.calls("GET", "/sync")).hasSize(1);
        hs.advance(Duration.ofMillis(1));
        hs.until("started afresh and listening", () -> loop.listening().isDone());
        assertThat(handed).singleElement().extracting(Handed::deliver).isEqualTo(false);
    }

    @Test
    void aNewReaderPollsOnFromTheSamePositionAndTheOldOneIsToldItNoLongerReads() {
        sync(since -> since == null ? json(200, batch("s1", "{\"events\":[]}"))
                : json(200, batch("s" + (Integer.parseInt(since.substring(1)) + 1), "{\"events\":[]}")));
        loop.readAs(hs.client("kimi"), "@kimi:hs");
        hs.until("kimi polled twice", () -> hs.calls("GET", "/sync").size() >= 3);
        var kimiDone = loop.notReading("@kimi:hs");
        assertThat(kimiDone).as("accounts mode: the control identity reads, nobody waits for it").isDone();

        loop.readAs(hs.client("basil"), "@basil:hs");
        assertThat(loop.readerUser()).isEqualTo("@basil:hs");
        hs.until("basil polls", () -> hs.calls().stream().anyMatch(c -> c.user().equals("@basil:hs")));
        List<ScriptedHomeserver.Call> polls = hs.calls("GET", "/sync");
        int first = polls.indexOf(polls.stream().filter(c -> c.user().equals("@basil:hs")).findFirst().orElseThrow());
        assertThat(polls.subList(0, first)).allSatisfy(c -> assertThat(c.user()).isEqualTo("@kimi:hs"));
        int lastSince = Integer.parseInt(polls.get(first - 1).query("since").substring(1));
        assertThat(polls.get(first).query("since")).isEqualTo("s" + (lastSince + 1));
    }
}
