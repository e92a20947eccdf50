package dev.parley.irc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.config.Secret;
import dev.parley.core.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Joining, rejoining and refused joins of one identity's channels, in virtual time, with a recording writer. */
class ChannelMembershipTest {
    private final VirtualScheduler scheduler = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<String> written = new ArrayList<>();
    private CaseMapping caseMapping = CaseMapping.RFC1459;
    private boolean online = true;
    private final ChannelMembership channels = new ChannelMembership("Ada", scheduler,
            new LineBudget(scheduler, Duration.ZERO, 1), written::add, () -> caseMapping, () -> online,
            () -> Duration.ofSeconds(7), Duration.ofSeconds(1));

    /** A room using the channel: records what it was told. */
    private static final class Room implements ChannelMembership.Occupant {
        final List<String> told = new ArrayList<>();
        boolean open = true;

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void joinedChannel() {
            told.add("joined");
        }

        @Override
        public void leftChannel(String why) {
            told.add("left: " + why);
        }

        @Override
        public void problem(String problem) {
            told.add("problem: " + problem);
        }

        @Override
        public void heard(IrcLine line) {
            told.add("heard " + line.command());
        }
    }

    private Room roomIn(String channel, Optional<Secret> key) {
        Room r = new Room();
        channels.findOrAdd(channel, key).members.add(r);
        return r;
    }

    private static boolean isAda(String nick) {
        return nick.equalsIgnoreCase("Ada");
    }

    @Test
    void theWelcomeJoinsTheWantedChannelsWithTheirKeys() {
        roomIn("#open", Optional.empty());
        roomIn("#keyed", Optional.of(new Secret("sesame", "test")));
        roomIn("#closed", Optional.empty()).open = false;
        channels.joinWanted();
        assertThat(written).containsExactly("JOIN #open", "JOIN #keyed sesame");
    }

    @Test
    void channelNamesCompareThroughTheServersCaseMapping() {
        ChannelMembership.Channel c = channels.findOrAdd("#Ada[m]", Optional.empty());
        assertThat(channels.find("#ada{m}")).isSameAs(c);
        assertThat(channels.findOrAdd("#ADA{M}", Optional.empty())).isSameAs(c);
        caseMapping = CaseMapping.ASCII;
        assertThat(channels.find("#ada{m}")).isNull();
        assertThat(channels.find("#ADA[M]")).isSameAs(c);
    }

    @Test
    void linesWaitUntilTheJoinThenGoAndTheRoomsAreToldOnce() {
        Room a = roomIn("#c", Optional.empty());
        Room b = roomIn("#C", Optional.empty());
        ChannelMembership.Channel c = channels.find("#c");
        c.queue.addAll(List.of("PRIVMSG #c :hello"));
        scheduler.runDue();
        assertThat(written).isEmpty();
        channels.joined(c);
        channels.joined(c);
        scheduler.runDue();
        // Followed by the PING whose PONG tells the queue the server read it.
        assertThat(written).hasSize(2).first().isEqualTo("PRIVMSG #c :hello");
        assertThat(written.get(1)).startsWith("PING :parley-");
        assertThat(a.told).containsExactly("joined");
        assertThat(b.told).containsExactly("joined");
    }

    @Test
    void aKickLeavesAndRejoinsAfterTheRejoinDelay() {
        Room r = roomIn("#c", Optional.empty());
        channels.joined(channels.find("#c"));
        channels.kicked(IrcLine.parse(":op!o@h KICK #c kate :not you"), ChannelMembershipTest::isAda);
        assertThat(r.told).containsExactly("joined");
        channels.kicked(IrcLine.parse(":op!o@h KICK #C ADA :out you go"), ChannelMembershipTest::isAda);
        assertThat(r.told).containsExactly("joined", "left: kicked by op: out you go");
        scheduler.advance(Duration.ofMillis(999));
        assertThat(written).isEmpty();
        scheduler.advance(Duration.ofMillis(1));
        assertThat(written).containsExactly("JOIN #c");
    }

    @Test
    void aPartWeDidNotAskForRejoinsButNotWhileOffline() {
        Room r = roomIn("#c", Optional.empty());
        channels.joined(channels.find("#c"));
        channels.parted(IrcLine.parse(":Ada!parley@h PART #c :services"), ChannelMembershipTest::isAda);
        assertThat(r.told).containsExactly("joined", "left: parted");
        online = false;
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(written).isEmpty();
    }

    @Test
    void aRefusedJoinIsReportedOncePerStreakAndRetriedWithBackoff() {
        Room r = roomIn("#c", Optional.empty());
        IrcLine banned = IrcLine.parse(":s 474 Ada #c :Cannot join channel (+b)");
        channels.joinRefused(banned);
        scheduler.advance(Duration.ofSeconds(7));
        assertThat(written).containsExactly("JOIN #c");
        channels.joinRefused(banned);
        scheduler.advance(Duration.ofSeconds(7));
        assertThat(written).containsExactly("JOIN #c", "JOIN #c");
        assertThat(r.told).containsExactly("problem: Ada cannot join #c: Cannot join channel (+b)");

        channels.joined(channels.find("#c"));
        channels.joinRefused(banned);
        assertThat(r.told).as("a new streak is reported again").hasSize(3).last()
                .isEqualTo("problem: Ada cannot join #c: Cannot join channel (+b)");
    }

    @Test
    void aDisconnectLeavesEveryChannelWithoutRejoiningOnItsOwn() {
        Room a = roomIn("#a", Optional.empty());
        Room b = roomIn("#b", Optional.empty());
        channels.joined(channels.find("#a"));
        channels.disconnected();
        scheduler.advance(Duration.ofMinutes(1));
        assertThat(a.told).containsExactly("joined", "left: disconnected");
        assertThat(b.told).as("never in: nothing to leave").isEmpty();
        assertThat(written).isEmpty();
    }
}
