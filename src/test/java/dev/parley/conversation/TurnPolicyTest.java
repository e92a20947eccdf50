package dev.parley.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.config.ConversationConfig.TurnPolicyKind;
import dev.parley.core.Message;
import dev.parley.core.SeatId;
import dev.parley.core.Speaker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TurnPolicyTest {
    private static final SeatId A = SeatId.of("a");
    private static final SeatId B = SeatId.of("b");
    private static final SeatId C = SeatId.of("c");
    private static final List<SeatId> ALL = List.of(A, B, C);
    private static final List<TurnPolicy.SeatNames> NAMES = List.of(
            new TurnPolicy.SeatNames(A, List.of("Ada")), new TurnPolicy.SeatNames(B, List.of("Basil")),
            new TurnPolicy.SeatNames(C, List.of("Cleo", "cleo_bot")));

    private static TurnPolicy.Situation after(SeatId last, Set<SeatId> eligible, String said, SeatId by) {
        Optional<Message> m = said == null ? Optional.empty()
                : Optional.of(new Message(by == null ? Speaker.human("kate") : Speaker.seat(by, by.value()), said,
                Instant.EPOCH));
        return new TurnPolicy.Situation(ALL, eligible, Optional.ofNullable(last), m, 0);
    }

    @Test
    void roundRobinGoesInConfigOrderAndSkipsMutedSeats() {
        TurnPolicy p = TurnPolicy.of(TurnPolicyKind.ROUND_ROBIN, new Random(1), NAMES);
        assertThat(p.next(after(null, Set.of(A, B, C), null, null))).contains(A);
        assertThat(p.next(after(A, Set.of(A, B, C), null, null))).contains(B);
        assertThat(p.next(after(C, Set.of(A, B, C), null, null))).contains(A);
        assertThat(p.next(after(A, Set.of(A, C), null, null))).contains(C);
        assertThat(p.next(after(B, Set.of(A, C), null, null))).contains(C);
        assertThat(p.next(after(B, Set.of(), null, null))).isEmpty();
    }

    @Test
    void randomNeverPicksTheSameSeatTwiceInARowAndReachesEveryone() {
        TurnPolicy p = TurnPolicy.of(TurnPolicyKind.RANDOM, new Random(42), NAMES);
        SeatId last = null;
        List<SeatId> picks = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            SeatId next = p.next(after(last, Set.of(A, B, C), null, null)).orElseThrow();
            assertThat(next).isNotEqualTo(last);
            picks.add(next);
            last = next;
        }
        assertThat(picks).contains(A, B, C);
        assertThat(p.next(after(A, Set.of(A), null, null))).contains(A);
    }

    @Test
    void addressedGivesTheTurnToTheFirstSeatNamed() {
        TurnPolicy p = TurnPolicy.of(TurnPolicyKind.ADDRESSED, new Random(1), NAMES);
        assertThat(p.next(after(A, Set.of(A, B, C), "What do you think, Cleo? And Basil?", A))).contains(C);
        assertThat(p.next(after(A, Set.of(A, B, C), "@cleo_bot over to you", null))).contains(C);
        assertThat(p.next(after(A, Set.of(A, B, C), "nobody named here", A))).contains(B);
        assertThat(p.next(after(A, Set.of(A, B, C), "Adamant, said Ada", A))).as("own name and word parts don't count")
                .contains(B);
        assertThat(p.next(after(B, Set.of(A, B), "Cleo, please", B))).as("muted seats can't be addressed").contains(A);
    }

    @Test
    void manualNeverChooses() {
        TurnPolicy p = TurnPolicy.of(TurnPolicyKind.MANUAL, new Random(1), NAMES);
        assertThat(p.next(after(A, Set.of(A, B, C), "Basil?", A))).isEmpty();
    }
}
