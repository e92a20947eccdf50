package dev.parley.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.SeatId;
import dev.parley.testsupport.HeldRoom;
import dev.parley.testsupport.MemoryDeliveryLog;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxRoomTest {
    private static final SeatId ADA = SeatId.of("ada");
    private static final String EPISODE = "talk/talk-20260101-000000";

    private final MemoryDeliveryLog log = new MemoryDeliveryLog();
    private final MemoryRoom memory = new MemoryRoom("memory", List.of(ADA));
    private final HeldRoom server = new HeldRoom(memory).hold();
    private final OutboxRoom outbox = new OutboxRoom(server, log);

    private static Parcel post(long seq, String text) {
        return Parcel.post(new Parcel.Key(EPISODE, seq), ADA, text);
    }

    @Test
    void theMarkFollowsWhatTheServerConfirmedAndARestartedOutboxKnowsIt() {
        for (int seq = 1; seq <= 5; seq++) {
            outbox.deliver(post(seq, "line " + seq));
        }
        server.confirm(0);
        server.confirm(0);
        server.confirm(0);

        assertThat(outbox.deliveredUpTo(EPISODE)).isEqualTo(3);
        OutboxRoom afterRestart = new OutboxRoom(new HeldRoom(new MemoryRoom("memory", List.of(ADA))), log);
        assertThat(afterRestart.deliveredUpTo(EPISODE)).isEqualTo(3);
        assertThat(afterRestart.deliveredUpTo("talk/another")).isZero();
    }

    @Test
    void theMarkNeverPassesAParcelStillOnItsWay() {
        outbox.deliver(post(1, "first"));
        outbox.deliver(post(2, "second"));
        server.confirm(1);
        assertThat(outbox.deliveredUpTo(EPISODE)).isZero();

        server.confirm(0);
        assertThat(outbox.deliveredUpTo(EPISODE)).isEqualTo(2);
    }

    @Test
    void aParcelTheRoomDroppedIsNeverMarkedSoARestartSendsItAgain() {
        outbox.deliver(post(1, "first"));
        server.confirm(0);
        outbox.deliver(post(2, "lost with the connection"));
        outbox.deliver(post(3, "after it"));
        server.drop();

        assertThat(outbox.deliveredUpTo(EPISODE)).isEqualTo(1);
        assertThat(log.deliveredUpTo("memory", EPISODE)).isEqualTo(1);
    }

    @Test
    void aParcelTheRoomThrowsOnDoesNotHoldTheMarkBack() {
        Room picky = new Room() {
            @Override
            public String name() {
                return "picky";
            }

            @Override
            public void open(RoomListener listener) { }

            @Override
            public void post(SeatId seat, String text) {
                if (text.equals("bad")) {
                    throw new IllegalArgumentException("no identity (expected by the test)");
                }
            }

            @Override
            public void notice(String text) { }

            @Override
            public void close() { }
        };
        OutboxRoom outboxed = new OutboxRoom(picky, log);
        assertThatThrownBy(() -> outboxed.deliver(post(1, "bad"))).isInstanceOf(IllegalArgumentException.class);
        outboxed.deliver(post(2, "good"));

        assertThat(outboxed.deliveredUpTo(EPISODE)).isEqualTo(2);
    }

    @Test
    void aParcelAlreadyDeliveredOrOnItsWayIsNotHandedOnTwice() {
        log.delivered("memory", EPISODE, 2);
        OutboxRoom restarted = new OutboxRoom(server, log);

        restarted.deliver(post(1, "old"));
        restarted.deliver(post(2, "old too"));
        restarted.deliver(post(3, "new"));
        restarted.deliver(post(3, "new"));

        assertThat(memory.posts()).containsExactly("new");
    }

    @Test
    void whatIsNotJournalledPassesStraightThroughAndIsNotRecorded() {
        outbox.notice("suspended");
        outbox.post(ADA, "typed by hand");

        assertThat(memory.notices()).containsExactly("suspended");
        assertThat(memory.posts()).containsExactly("typed by hand");
        assertThat(server.parcels()).isEmpty();
        assertThat(outbox.deliveredUpTo(EPISODE)).isZero();
    }

    @Test
    void aRoomWithoutOutboxSaysItHasEverythingAndShowsParcelsAtOnce() {
        MemoryRoom plain = new MemoryRoom("plain", List.of(ADA));
        assertThat(plain.deliver(Parcel.notice(new Parcel.Key(EPISODE, 1), "hello"))).isCompleted();
        assertThat(plain.notices()).containsExactly("hello");
        assertThat(plain.deliveredUpTo(EPISODE)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aParcelsIdDependsOnlyOnItsKey() {
        Parcel.Key key = new Parcel.Key(EPISODE, 42);
        assertThat(key.id()).isEqualTo(new Parcel.Key(EPISODE, 42).id()).matches("p[0-9a-f]{12}\\.42");
        assertThat(key.id()).isNotEqualTo(new Parcel.Key("talk/talk-20260101-000001", 42).id());
    }
}
