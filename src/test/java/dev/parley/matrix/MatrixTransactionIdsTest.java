package dev.parley.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.archive.JsonlDeliveryLog;
import dev.parley.config.MatrixIdentity;
import dev.parley.config.MatrixServerConfig;
import dev.parley.config.Secret;
import dev.parley.core.Backoff;
import dev.parley.core.SeatId;
import dev.parley.core.SystemScheduler;
import dev.parley.room.OutboxRoom;
import dev.parley.room.Parcel;
import dev.parley.room.Inbound;
import dev.parley.room.RoomListener;
import dev.parley.testsupport.Waiting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A homeserver that took a message but whose answer never reached parley (the process was killed in between):
 * the next process sends it again under the same transaction id, so the homeserver shows it once. The server
 * here deduplicates by transaction id as Synapse does.
 */
class MatrixTransactionIdsTest {
    private static final SeatId KIMI = SeatId.of("kimi");
    private static final String EPISODE = "talk/talk-20260101-000000";
    private static final MatrixRoom.Tuning FAST = new MatrixRoom.Tuning(new Backoff(Duration.ofMillis(50),
            Duration.ofMillis(200)), Duration.ofMillis(200), Duration.ofMillis(300), 50);

    @TempDir
    Path dir;

    private final MockWebServer server = new MockWebServer();
    private final Homeserver homeserver = new Homeserver();
    private final SystemScheduler scheduler = new SystemScheduler();

    /** Answers what a room needs to open; keeps one event per transaction id; may swallow the answer to a send. */
    private static final class Homeserver extends Dispatcher {
        final List<String> sends = new ArrayList<>();
        final Map<String, String> shown = new LinkedHashMap<>();
        volatile String swallowAnswerTo;

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getUrl().encodedPath();
            if (path.endsWith("/account/whoami")) {
                String token = request.getHeaders().get("Authorization");
                return json("{\"user_id\":\"" + ("Bearer kimi".equals(token) ? "@kimi:localhost"
                        : "@parley:localhost") + "\"}");
            }
            if (path.contains("/join/")) {
                return json("{\"room_id\":\"!r:localhost\"}");
            }
            if (path.endsWith("/sync")) {
                return new MockResponse.Builder().headersDelay(100, TimeUnit.MILLISECONDS).code(200)
                        .setHeader("Content-Type", "application/json").body("{\"next_batch\":\"s1\"}").build();
            }
            if (path.contains("/send/m.room.message/")) {
                String txn = path.substring(path.lastIndexOf('/') + 1);
                synchronized (this) {
                    sends.add(txn);
                    shown.putIfAbsent(txn, request.getBody().utf8());
                }
                if (txn.equals(swallowAnswerTo)) {
                    return new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
                }
                return json("{\"event_id\":\"$" + txn + "\"}");
            }
            return json("{}");
        }

        synchronized List<String> sends() {
            return List.copyOf(sends);
        }

        synchronized List<String> shown() {
            return List.copyOf(shown.keySet());
        }

        private static MockResponse json(String body) {
            return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(body)
                    .build();
        }
    }

    @BeforeEach
    void start() throws Exception {
        server.setDispatcher(homeserver);
        server.start();
    }

    @AfterEach
    void stop() {
        scheduler.close();
        server.close();
    }

    /** A new process: a room of its own, and the delivery marks left on disk by the one before. */
    private OutboxRoom process() {
        MatrixServerConfig config = new MatrixServerConfig("local", server.url("/").toString(), "@parley:localhost",
                Optional.of(new Secret("parley", "test")), List.of(), MatrixServerConfig.Mode.ACCOUNTS,
                Optional.empty(), OptionalInt.empty(), Optional.empty());
        MatrixSeat kimi = new MatrixSeat(KIMI, "Kimi", new MatrixIdentity("@kimi:localhost",
                Optional.of(new Secret("kimi", "test")), Optional.empty()));
        MatrixRoom room = new MatrixRoom(config, "!r:localhost", List.of(kimi), dir.resolve("sync.json"), scheduler,
                MatrixClient.defaultHttp(), FAST);
        OutboxRoom outbox = new OutboxRoom(room, new JsonlDeliveryLog(dir.resolve("delivered")));
        outbox.open(new RoomListener() {
            @Override
            public void onHuman(Inbound message) { }
        });
        return outbox;
    }

    /** Waits for real HTTP round trips (production code never sleeps). */
    private static void until(BooleanSupplier condition) {
        Waiting.upTo(Duration.ofSeconds(10)).alias("condition met within 10 s").until(condition::getAsBoolean);
    }

    private static Parcel line(long seq) {
        return Parcel.post(new Parcel.Key(EPISODE, seq), KIMI, "line " + seq);
    }

    @Test
    void aMessageTheHomeserverTookBeforeTheCrashIsSentAgainAsTheSameTransaction() throws Exception {
        homeserver.swallowAnswerTo = line(3).key().id();
        OutboxRoom first = process();
        for (long seq = 1; seq <= 3; seq++) {
            first.deliver(line(seq));
        }
        until(() -> homeserver.sends().size() == 3
                && first.deliveredUpTo(EPISODE) == 2);
        // Killed here: the homeserver has line 3, parley never heard so. Nothing of this process goes on.
        homeserver.swallowAnswerTo = null;

        OutboxRoom second = process();
        long delivered = second.deliveredUpTo(EPISODE);
        assertThat(delivered).isEqualTo(2);
        for (long seq = delivered + 1; seq <= 4; seq++) {
            second.deliver(line(seq));
        }
        until(() -> second.deliveredUpTo(EPISODE) == 4);

        List<String> ids = List.of(line(1).key().id(), line(2).key().id(), line(3).key().id(), line(4).key().id());
        assertThat(homeserver.sends()).as("line 3 sent twice, both times as the same transaction")
                .containsExactly(ids.get(0), ids.get(1), ids.get(2), ids.get(2), ids.get(3));
        assertThat(homeserver.shown()).as("what the room shows").containsExactlyElementsOf(ids);
    }

    @Test
    void whatIsNotJournalledGetsATransactionIdOfItsProcess() throws Exception {
        OutboxRoom first = process();
        first.notice("suspended");
        until(() -> homeserver.sends().size() == 1);
        OutboxRoom second = process();
        second.notice("suspended");
        until(() -> homeserver.sends().size() == 2);

        assertThat(homeserver.sends().get(0)).startsWith("parley.").isNotEqualTo(homeserver.sends().get(1));
    }
}
