package dev.parley.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.SeatId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TerminalRoomTest {
    private static final SeatId ADA = SeatId.of("ada");
    private static final Clock NINE = Clock.fixed(Instant.parse("2026-11-20T09:00:00Z"), ZoneOffset.UTC);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private TerminalRoom room(String stdin, boolean colours) {
        return new TerminalRoom(Map.of(ADA, "Ada"), "you", colours,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), NINE);
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsTimeAndNameAndIndentsFollowingLinesWithoutColoursOffATerminal() {
        TerminalRoom r = room("", false);
        r.post(ADA, "Hello.\nSecond line.");
        r.notice("Starting Ada ↔ Basil.");
        assertThat(printed()).isEqualTo("[09:00:00] Ada: Hello.\n                Second line.\n"
                + "[09:00:00] * Starting Ada ↔ Basil.\n");
    }

    @Test
    void aModelCannotDriveTheTerminalWithEscapeSequences() {
        TerminalRoom r = room("", false);
        r.post(ADA, "innocent\u001b[2J\u001b]0;pwned\u0007 text\r");
        assertThat(printed()).doesNotContain("\u001b", "\u0007", "\r")
                .contains("innocent\\u001b[2J\\u001b]0;pwned\\u0007 text");
    }

    @Test
    void coloursOnlyWhenAsked() {
        TerminalRoom r = room("", true);
        r.post(ADA, "Hi");
        assertThat(printed()).contains("\u001b[").contains("Ada");
    }

    @Test
    void eachStdinLineIsTheOperatorsMessageAndEndOfInputIsNotAStop() throws Exception {
        List<Inbound> heard = new CopyOnWriteArrayList<>();
        List<SeatId> present = new CopyOnWriteArrayList<>();
        CountDownLatch two = new CountDownLatch(2);
        TerminalRoom r = room("hello there\n\n!pause\n", false);
        r.open(new RoomListener() {
            @Override
            public void onHuman(Inbound message) {
                heard.add(message);
                two.countDown();
            }

            @Override
            public void onSeatPresence(SeatId seat, boolean isPresent) {
                present.add(seat);
            }

            @Override
            public void onRoomProblem(String problem) {
                heard.add(Inbound.say("problem", problem, false));
            }
        });
        assertThat(two.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(present).containsExactly(ADA);
        assertThat(heard).containsExactly(Inbound.say("you", "hello there", true), Inbound.say("you", "!pause", true));
        r.post(ADA, "still talking after EOF");
        assertThat(printed()).contains("still talking after EOF");
        r.close();
    }
}
