package dev.parley.irc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The nick fallback and the retries to get the wanted nick back, in virtual time. */
class NickKeeperTest {
    private final VirtualScheduler scheduler = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<String> sent = new ArrayList<>();
    private CaseMapping caseMapping = CaseMapping.RFC1459;
    private boolean online = true;
    private final NickKeeper nicks = new NickKeeper("Ada", scheduler, Duration.ofSeconds(60), () -> caseMapping,
            () -> online, sent::add, () -> 417);

    @Test
    void aTakenNickFallsBackToUnderscoreDashDoubleUnderscoreThenDigits() {
        for (int i = 0; i < 5; i++) {
            nicks.nickInUse();
        }
        assertThat(sent).containsExactly("NICK Ada_", "NICK Ada-", "NICK Ada__", "NICK Ada417", "NICK Ada417");
        assertThat(nicks.current()).isEqualTo("Ada417");
    }

    @Test
    void aNewSessionStartsFromTheWantedNickAndTheFirstFallback() {
        nicks.nickInUse();
        nicks.nickInUse();
        nicks.newSession();
        assertThat(nicks.current()).isEqualTo("Ada");
        nicks.nickInUse();
        assertThat(sent).last().isEqualTo("NICK Ada_");
    }

    @Test
    void welcomedUnderAFallbackItAsksForTheWantedNickEveryRetryUntilItHasIt() {
        nicks.nickInUse();
        nicks.welcomedAs("Ada_");
        sent.clear();
        scheduler.advance(Duration.ofSeconds(59));
        assertThat(sent).isEmpty();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(sent).containsExactly("NICK Ada");
        scheduler.advance(Duration.ofSeconds(60));
        assertThat(sent).containsExactly("NICK Ada", "NICK Ada");

        nicks.nickChanged(IrcLine.parse(":Ada_!parley@host NICK :Ada"));
        assertThat(nicks.current()).isEqualTo("Ada");
        scheduler.advance(Duration.ofMinutes(10));
        assertThat(sent).as("has it: no more retries").hasSize(2);
    }

    @Test
    void welcomedUnderTheWantedNickInAnotherCaseNothingIsRetried() {
        nicks.welcomedAs("ADA");
        scheduler.advance(Duration.ofMinutes(10));
        assertThat(sent).isEmpty();
        assertThat(nicks.current()).isEqualTo("ADA");
    }

    @Test
    void retriesStopWhileOfflineAndWhenStopped() {
        nicks.welcomedAs("Ada_");
        online = false;
        scheduler.advance(Duration.ofMinutes(5));
        assertThat(sent).isEmpty();

        online = true;
        nicks.welcomedAs("Ada_");
        nicks.stop();
        scheduler.advance(Duration.ofMinutes(5));
        assertThat(sent).isEmpty();
    }

    @Test
    void ourNickIsRecognisedThroughTheServersCaseMapping() {
        NickKeeper bracket = new NickKeeper("Ada[m]", scheduler, Duration.ofSeconds(60), () -> caseMapping,
                () -> online, sent::add);
        assertThat(bracket.isUs("ada{M}")).isTrue();
        caseMapping = CaseMapping.ASCII;
        assertThat(bracket.isUs("ada{M}")).isFalse();
        assertThat(bracket.isUs("ADA[M]")).isTrue();

        // Someone else's rename is not ours.
        bracket.nickChanged(IrcLine.parse(":kate!k@h NICK :kate2"));
        assertThat(bracket.current()).isEqualTo("Ada[m]");
    }

    @Test
    void theLongestNickCountsTheFallbacksAndTheLastResort() {
        assertThat(nicks.longestBytes()).isEqualTo("Ada__".length());
        for (int i = 0; i < 4; i++) {
            nicks.nickInUse();
        }
        assertThat(nicks.longestBytes()).isEqualTo("Ada417".length());
    }
}
