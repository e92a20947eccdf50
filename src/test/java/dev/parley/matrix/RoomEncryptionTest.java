package dev.parley.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.config.MatrixServerConfig;
import dev.parley.core.VirtualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reporting rules of {@link RoomEncryption}, on virtual time (the real rooms are in the *IT). */
class RoomEncryptionTest {
    private final VirtualScheduler clock = new VirtualScheduler();
    private final List<String> problems = new ArrayList<>();
    private final List<String> notices = new ArrayList<>();

    private RoomEncryption encryption(boolean proxy) {
        return new RoomEncryption(new MatrixServerConfig.Encryption(proxy, MatrixServerConfig.EncryptedRooms.RUN),
                "matrix #r:hs", clock, problems::add, notices::add);
    }

    /** Read from JSON as /sync gives it, so the test also covers how the event record reads. */
    private static RoomEvent event(String type, String sender) {
        var e = MatrixClient.MAPPER.createObjectNode().put("type", type).put("sender", sender);
        if (type.equals("m.room.encryption")) {
            e.put("state_key", "");
            e.putObject("content").put("algorithm", "m.megolm.v1.aes-sha2");
        }
        return MatrixClient.MAPPER.convertValue(e, RoomEvent.class);
    }

    @Test
    void eachSenderIsToldOnceInTenMinutesAndEveryMessageIsCounted() {
        RoomEncryption e = encryption(false);
        assertThat(e.handle(event("m.room.encryption", "@alice:hs"), false, true)).isTrue();
        assertThat(e.handle(event("m.room.encryption", "@alice:hs"), false, true)).isTrue();
        assertThat(problems).hasSize(1).allMatch(p -> p.contains("not behind an encrypting proxy"));

        e.handle(event("m.room.encrypted", "@alice:hs"), false, true);
        e.handle(event("m.room.encrypted", "@alice:hs"), false, true);
        e.handle(event("m.room.encrypted", "@bob:hs"), false, true);
        assertThat(notices).containsExactly("alice: " + RoomEncryption.CANNOT_READ, "bob: " + RoomEncryption.CANNOT_READ);
        clock.advance(RoomEncryption.REPORT_EVERY.minus(Duration.ofSeconds(1)));
        e.handle(event("m.room.encrypted", "@alice:hs"), false, true);
        assertThat(notices).hasSize(2);
        clock.advance(Duration.ofSeconds(1));
        e.handle(event("m.room.encrypted", "@alice:hs"), false, true);
        assertThat(notices).hasSize(3);
        assertThat(e.unreadable()).isEqualTo(5);
        assertThat(e.status()).contains("5 unreadable message(s)");
    }

    @Test
    void ownEventsAndSkippedHistoryAreNotReportedAndOtherTypesAreNotTaken() {
        RoomEncryption e = encryption(false);
        assertThat(e.handle(event("m.room.encrypted", "@kimi:hs"), true, true)).isTrue();
        assertThat(e.handle(event("m.room.encrypted", "@alice:hs"), false, false)).isTrue();
        assertThat(e.handle(event("m.room.message", "@alice:hs"), false, true)).isFalse();
        assertThat(notices).isEmpty();
        assertThat(e.unreadable()).isZero();
        assertThat(e.status()).isEmpty();
    }

    @Test
    void behindAProxyTheRoomIsNotAProblemButAnUndecryptedMessageStillIs() {
        RoomEncryption e = encryption(true);
        e.handle(event("m.room.encryption", "@alice:hs"), false, true);
        assertThat(problems).isEmpty();
        e.handle(event("m.room.encrypted", "@alice:hs"), false, true);
        assertThat(notices).singleElement().asString().startsWith("alice: I could not decrypt your message");
        assertThat(e.unreadable()).isEqualTo(1);
    }
}
