package dev.parley.irc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.config.IrcIdentity;
import dev.parley.config.IrcNetworkConfig;
import dev.parley.config.IrcOptions;
import dev.parley.core.SeatId;
import dev.parley.core.SystemScheduler;
import dev.parley.testsupport.RequireServers;
import dev.parley.testsupport.Waiting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Cast changes and the topic on real ngircd and InspIRCd, seen by a raw-socket human in the channel: the JOIN of
 * a seat brought in, the PART (or QUIT) of one sent out, nobody rejoining on their own, and the TOPIC.
 */
class IrcRoomCastIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final SeatId KIMI = SeatId.of("kimi");
    private static final SeatId CLAUDE = SeatId.of("claude");

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final SystemScheduler scheduler = new SystemScheduler();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            AutoCloseable c = cleanup.get(i);
            if (c instanceof IrcRoom room) {
                room.closeAsync().get(15, TimeUnit.SECONDS);
            } else {
                c.close();
            }
        }
        scheduler.close();
    }

    private IrcServerFixture server(IrcServerFixture.Kind kind) throws Exception {
        RequireServers.assume(kind.installed(), kind.packageHint());
        IrcServerFixture s = IrcServerFixture.start(kind);
        cleanup.add(s);
        return s;
    }

    private IrcNetwork network(IrcServerFixture s) {
        IrcOptions fast = IrcOptions.DEFAULTS.withPacing(Duration.ZERO, 1)
                .withReconnect(Duration.ofMillis(200), Duration.ofSeconds(2));
        IrcNetwork network = new IrcNetwork(new IrcNetworkConfig("test", s.host(), s.port(), false, Optional.empty(),
                Optional.empty(), "parley", "parley test", List.of(), List.of(), fast), scheduler);
        cleanup.add(network);
        return network;
    }

    private RawIrcClient human(IrcServerFixture s, String nick, String... channels) throws Exception {
        RawIrcClient c = RawIrcClient.connect(s.host(), s.port(), nick, nick.toLowerCase());
        cleanup.add(c);
        for (String channel : channels) {
            c.join(channel);
        }
        return c;
    }

    private static Map<SeatId, IrcIdentity> seats(SeatId... ids) {
        Map<SeatId, IrcIdentity> m = new LinkedHashMap<>();
        for (SeatId id : ids) {
            m.put(id, new IrcIdentity(id.equals(KIMI) ? "KimiK2" : "Claude", Optional.empty()));
        }
        return m;
    }

    private IrcRoom room(IrcNetwork network, String channel, Map<SeatId, IrcIdentity> seats) {
        IrcRoom room = network.room(channel, Optional.empty(), seats);
        cleanup.add(room);
        return room;
    }

    private static boolean is(IrcLine l, String command, String nick) {
        return l.command().equals(command) && l.nick().equals(nick);
    }

    @ParameterizedTest
    @EnumSource(IrcServerFixture.Kind.class)
    void seatsJoinAndLeaveWithTheCastAndNobodyRejoinsOnTheirOwn(IrcServerFixture.Kind kind) throws Exception {
        IrcServerFixture s = server(kind);
        RawIrcClient kate = human(s, "kate", "#parley", "#other");
        IrcNetwork network = network(s);
        IrcRoom parley = room(network, "#parley", seats(KIMI, CLAUDE));
        IrcRoom other = room(network, "#other", seats(CLAUDE));
        RecordingListener heard = new RecordingListener();
        parley.cast(Set.of(KIMI));
        parley.open(heard);
        other.open(new RecordingListener());
        parley.allJoined().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        other.allJoined().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(kate.allLines()).noneMatch(l -> is(l, "JOIN", "Claude") && l.param(0).equals("#parley"));

        // Brought in: a JOIN the audience sees, then it speaks.
        parley.cast(Set.of(KIMI, CLAUDE));
        kate.await(l -> is(l, "JOIN", "Claude") && l.param(0).equals("#parley"), WAIT);
        heard.awaitPresence("claude+", 1, WAIT);
        parley.post(CLAUDE, "hello, I just came in");
        parley.post(CLAUDE, "and I am off again");

        // Sent out: its last words first, then a PART (its connection still serves #other), no QUIT.
        parley.cast(Set.of(KIMI));
        assertThat(kate.privmsgs("#parley", 2, WAIT, "Claude")).extracting(l -> l.param(1))
                .containsExactly("hello, I just came in", "and I am off again");
        kate.await(l -> is(l, "PART", "Claude") && l.param(0).equals("#parley"), WAIT);
        // Not polling: several reconnect delays, so that a seat that rejoined by itself would be back by now.
        Thread.sleep(2000);
        assertThat(kate.allLines()).noneMatch(l -> is(l, "QUIT", "Claude"));
        assertThat(kate.allLines().stream().filter(l -> is(l, "JOIN", "Claude") && l.param(0).equals("#parley")))
                .hasSize(1);
        assertThat(heard.presence).doesNotContain("claude-");

        // Out of its last channel: it QUITs. Brought back later: a fresh connection joins.
        other.cast(Set.of());
        kate.await(l -> is(l, "QUIT", "Claude"), WAIT);
        parley.cast(Set.of(KIMI, CLAUDE));
        kate.await(l -> is(l, "JOIN", "Claude") && l.param(0).equals("#parley"), WAIT);
        heard.awaitPresence("claude+", 2, WAIT);
        parley.post(CLAUDE, "back for the next episode");
        assertThat(kate.privmsgs("#parley", 1, WAIT, "Claude")).extracting(l -> l.param(1))
                .containsExactly("back for the next episode");
        assertThat(heard.presence).doesNotContain("claude-", "kimi-");
    }

    @ParameterizedTest
    @EnumSource(IrcServerFixture.Kind.class)
    void theTopicIsSetByTheControlNickOnceItMayAndARefusalIsReported(IrcServerFixture.Kind kind) throws Exception {
        IrcServerFixture s = server(kind);
        RawIrcClient kate = human(s, "kate", "#parley"); // first in: channel operator
        kate.send("MODE #parley +t"); // not echoed where new channels are +t already (InspIRCd): ask after
        kate.send("MODE #parley");
        assertThat(kate.await(l -> l.command().equals("324"), WAIT).param(2)).contains("t");
        IrcRoom room = room(network(s), "#parley", seats(KIMI));
        RecordingListener heard = new RecordingListener();
        room.open(heard);
        room.allJoined().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        room.topic("refused: parley is no channel operator yet");
        Waiting.upTo(WAIT).until(() -> !heard.problems.isEmpty());
        assertThat(heard.problems).singleElement().asString().contains("may not set the topic of #parley");

        kate.send("MODE #parley +o parley");
        kate.await(l -> l.command().equals("MODE") && l.params().contains("parley"), WAIT);
        room.topic("Episode 2: Kimi on tea\nsecond line\u0000");
        IrcLine topic = kate.await(l -> l.command().equals("TOPIC"), WAIT);
        assertThat(topic.nick()).isEqualTo("parley");
        assertThat(topic.param(0)).isEqualTo("#parley");
        assertThat(topic.param(1)).isEqualTo("Episode 2: Kimi on tea second line");
        assertThat(heard.problems).hasSize(1);
    }
}
