package dev.parley.matrix;

import static dev.parley.matrix.ScriptedHomeserver.forbidden;
import static dev.parley.matrix.ScriptedHomeserver.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.SeatId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ordered send queue against a scripted homeserver in virtual time. */
class MatrixOutboxTest {
    private static final SeatId KIMI = SeatId.of("kimi");

    private final ScriptedHomeserver hs = new ScriptedHomeserver();
    private final Recorder rec = new Recorder();
    /** Transaction ids the server refuses (403) for a seat, or fails (502) once. */
    private final Set<String> forbiddenTxns = ConcurrentHashMap.newKeySet();
    private final Set<String> failOnce = ConcurrentHashMap.newKeySet();
    private final List<String> receipts = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<Void>> rejoins = new CopyOnWriteArrayList<>();
    private final Map<SeatId, CompletableFuture<MatrixClient>> clients = new ConcurrentHashMap<>();
    private final AtomicInteger events = new AtomicInteger();
    private RoomContext ctx;
    private MatrixOutbox outbox;

    MatrixOutboxTest() throws Exception { }

    @BeforeEach
    void create() {
        hs.on("PUT", "/rooms/!r:hs/send/m.room.message/", c -> {
            String txn = c.path().substring(c.path().lastIndexOf('/') + 1);
            if (failOnce.remove(txn)) {
                return json(502, "{}");
            }
            if (forbiddenTxns.contains(txn)) {
                return forbidden("not in room");
            }
            return json(200, "{\"event_id\":\"$" + events.incrementAndGet() + "\"}");
        });
        ctx = hs.context(hs.accounts(), Set.of(KIMI));
        ctx.listener = rec;
        clients.put(KIMI, CompletableFuture.completedFuture(hs.client("kimi")));
        outbox = new MatrixOutbox(ctx,
                seat -> seat == null ? CompletableFuture.completedFuture(hs.client("bot")) : clients.get(seat),
                seat -> {
                    CompletableFuture<Void> back = new CompletableFuture<>();
                    rejoins.add(back);
                    return back;
                },
                (seat, txn, eventId) -> receipts.add(txn + "=" + eventId));
    }

    @AfterEach
    void stop() {
        ctx.closed = true;
        hs.close();
    }

    private static ObjectNode text(String body) {
        return MatrixClient.MAPPER.createObjectNode().put("msgtype", "m.text").put("body", body);
    }

    private List<String> sent() {
        return hs.calls("PUT", "/rooms/!r:hs/send/").stream()
                .map(c -> c.user() + " " + c.path().substring(c.path().lastIndexOf('/') + 1) + " "
                        + c.body().path("body").asText()).toList();
    }

    @Test
    void messagesOfEveryIdentityGoOutInOrderOneAtATimeEachKeepingItsTransactionId() throws Exception {
        failOnce.add("t1");
        var first = outbox.send(KIMI, text("one"), "t1");
        outbox.send(null, text("two"), "t2");
        var third = outbox.send(KIMI, text("three"), outbox.nextTxnId());
        hs.drive(third).get();

        String ownTxn = hs.calls("PUT", "/rooms/!r:hs/send/").get(3).path().replaceAll(".*/", "");
        assertThat(ownTxn).startsWith("parley.").endsWith(".1");
        assertThat(sent()).containsExactly("@kimi:hs t1 one", "@kimi:hs t1 one", "@bot:hs t2 two",
                "@kimi:hs " + ownTxn + " three");
        assertThat(first).isDone();
        assertThat(receipts).containsExactly("t1=$1", "t2=$2", ownTxn + "=$3");
        assertThat(outbox.holds(KIMI)).isFalse();
    }

    @Test
    void aSeatRefusedWithForbiddenIsHeldUntilItRejoinedAndNothingOvertakesIt() throws Exception {
        forbiddenTxns.add("t1");
        var first = outbox.send(KIMI, text("one"), "t1");
        var second = outbox.send(null, text("two"), "t2");
        hs.until("a rejoin is asked for", () -> rejoins.size() == 1);
        hs.advance(Duration.ofMinutes(1));
        assertThat(sent()).containsExactly("@kimi:hs t1 one");
        assertThat(outbox.holds(KIMI)).as("still queued while the seat rejoins").isTrue();

        forbiddenTxns.clear();
        rejoins.get(0).complete(null);
        hs.drive(second).get();
        assertThat(sent()).containsExactly("@kimi:hs t1 one", "@kimi:hs t1 one", "@bot:hs t2 two");
        assertThat(first).isCompleted();
        assertThat(outbox.heldForRejoin()).isEqualTo(1);
        assertThat(rec.problems).isEmpty();
    }

    @Test
    void refusedAgainAfterTheRejoinTheMessageIsDroppedAndReportedOnceAndTheQueueMovesOn() throws Exception {
        forbiddenTxns.addAll(List.of("t1", "t3"));
        var first = outbox.send(KIMI, text("one"), "t1");
        outbox.send(KIMI, text("two"), "t2");
        var third = outbox.send(KIMI, text("three"), "t3");
        hs.until("a rejoin is asked for", () -> rejoins.size() == 1);
        rejoins.get(0).complete(null);
        hs.until("a second rejoin is asked for", () -> rejoins.size() == 2);
        rejoins.get(1).complete(null);
        hs.drive(third).get();

        assertThat(first).isCompleted();
        assertThat(receipts).containsExactly("t1=null", "t2=$1", "t3=null");
        assertThat(rec.problems).singleElement().asString().contains("message from seat kimi not delivered");
        assertThat(outbox.heldForRejoin()).isEqualTo(2);
    }

    @Test
    void droppingTakesQueuedMessagesButNotTheOneInFlight() throws Exception {
        CompletableFuture<MatrixClient> kimiLate = new CompletableFuture<>();
        clients.put(KIMI, kimiLate);
        outbox.send(KIMI, text("one"), "t1");
        outbox.send(KIMI, text("two"), "t2");
        var third = outbox.send(KIMI, text("three"), "t3");
        assertThat(outbox.drop(txn -> !txn.equals("t3"))).containsExactly("t2");
        kimiLate.complete(hs.client("kimi"));
        hs.drive(third).get();
        assertThat(sent()).containsExactly("@kimi:hs t1 one", "@kimi:hs t3 three");
    }

    @Test
    void closingWaitsTheGraceForWhatIsQueuedThenFailsItAndRefusesMore() {
        RoomContext quick = new RoomContext("matrix !r:hs", hs.accounts(), hs.scheduler, new MatrixRoom.Tuning(
                ScriptedHomeserver.BACKOFF, Duration.ofSeconds(30), Duration.ofMillis(200), 50), Set.of(KIMI));
        quick.roomId = "!r:hs";
        MatrixOutbox stuck = new MatrixOutbox(quick, seat -> new CompletableFuture<>(),
                seat -> new CompletableFuture<>(), (seat, txn, eventId) -> { });
        var queued = stuck.send(KIMI, text("never"), "t1");
        long t0 = System.nanoTime();
        stuck.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThatThrownBy(queued::get).isInstanceOf(ExecutionException.class).hasMessageContaining("closed");
        assertThat(stuck.send(KIMI, text("late"), "t2")).isCompletedExceptionally();
    }
}
