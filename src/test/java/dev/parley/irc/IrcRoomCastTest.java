package dev.parley.irc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.config.IrcIdentity;
import dev.parley.config.IrcNetworkConfig;
import dev.parley.config.IrcOptions;
import dev.parley.core.SeatId;
import dev.parley.core.SystemScheduler;
import dev.parley.testsupport.Waiting;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cast changes and the topic, against the scripted server: who joins, who leaves, and what they say first. */
class IrcRoomCastTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final SeatId KIMI = SeatId.of("kimi");
    private static final SeatId BASIL = SeatId.of("basil");

    private final SystemScheduler scheduler = new SystemScheduler();
    private final RecordingListener listener = new RecordingListener();
    private FakeIrcServer server;
    private IrcRoom room;

    @BeforeEach
    void setUp() throws Exception {
        server = new FakeIrcServer(false, "unused");
        IrcOptions options = IrcOptions.DEFAULTS.withPacing(Duration.ZERO, 1)
                .withReconnect(Duration.ofMillis(100), Duration.ofMillis(500));
        IrcNetworkConfig net = new IrcNetworkConfig("fake", "127.0.0.1", server.port(), false, Optional.empty(),
                Optional.empty(), "parley", "parley test", List.of(), List.of(), options);
        Map<SeatId, IrcIdentity> seats = new LinkedHashMap<>();
        seats.put(KIMI, new IrcIdentity("KimiK2", Optional.empty()));
        seats.put(BASIL, new IrcIdentity("Basil", Optional.empty()));
        room = new IrcRoom(net, "#c", Optional.empty(), seats, scheduler);
    }

    @AfterEach
    void tearDown() throws Exception {
        room.closeAsync().get(15, TimeUnit.SECONDS);
        server.close();
        scheduler.close();
    }

    /** Waits up to WAIT until {@code condition} holds; {@code what} names it if it never does. */
    private static void await(String what, Callable<Boolean> condition) {
        Waiting.upTo(WAIT).alias(what).until(condition);
    }

    /** The next client to join with {@code nick} (others joining meanwhile are skipped). */
    private FakeIrcServer.Client joined(String nick) throws InterruptedException {
        for (int i = 0; i < 6; i++) {
            FakeIrcServer.Client c = server.nextJoined(WAIT);
            if (c.nick.equals(nick)) {
                return c;
            }
        }
        throw new AssertionError(nick + " never joined");
    }

    @Test
    void aCastGivenBeforeOpenSaysWhoJoinsAndAllJoinedMeansThem() throws Exception {
        room.cast(Set.of(KIMI, SeatId.of("no-irc-identity")));
        room.open(listener);
        room.allJoined().get(10, TimeUnit.SECONDS);
        assertThat(server.received).contains("NICK KimiK2", "NICK parley").doesNotContain("NICK Basil");
        assertThat(listener.presence).containsExactly("kimi+");
        assertThatThrownBy(() -> room.post(BASIL, "not in")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not in the cast");
    }

    @Test
    void aSeatSentOutSaysWhatItWasGivenThenQuitsAndIsNeitherReportedAbsentNorRejoined() throws Exception {
        room.open(listener);
        room.allJoined().get(10, TimeUnit.SECONDS);
        FakeIrcServer.Client basil = joined("Basil");
        listener.awaitPresence("basil+", 1, WAIT);

        room.post(BASIL, "my last words");
        room.cast(Set.of(KIMI));
        await("Basil quits", () -> basil.lines.stream().anyMatch(l -> l.startsWith("QUIT")));
        assertThat(basil.lines).containsSubsequence("PRIVMSG #c :my last words", "QUIT :parley is leaving");
        Thread.sleep(300); // not polling: a reconnect or rejoin would come within the 100 ms reconnect delay
        assertThat(server.received.stream().filter("NICK Basil"::equals)).hasSize(1);
        assertThat(listener.presence).doesNotContain("basil-");
        assertThatThrownBy(() -> room.post(BASIL, "gone")).isInstanceOf(IllegalArgumentException.class);

        // Brought back: a fresh connection joins, and the seat is reported present again.
        room.cast(Set.of(KIMI, BASIL));
        joined("Basil");
        listener.awaitPresence("basil+", 2, WAIT);
        room.post(BASIL, "back again");
        await("Basil speaks again", () -> server.received.contains("PRIVMSG #c :back again"));
        assertThat(listener.presence).doesNotContain("basil-", "kimi-");
    }

    @Test
    void aSeatBroughtBackRightAfterItQuitComesBackOnAFreshConnectionUnderItsNick() throws Exception {
        room.open(listener);
        room.allJoined().get(10, TimeUnit.SECONDS);
        FakeIrcServer.Client basil = joined("Basil");
        room.cast(Set.of(KIMI));
        await("Basil quits", () -> basil.lines.stream().anyMatch(l -> l.startsWith("QUIT")));
        room.cast(Set.of(KIMI, BASIL));
        FakeIrcServer.Client back = joined("Basil");
        assertThat(back).isNotSameAs(basil);
        listener.awaitPresence("basil+", 2, WAIT);
        assertThat(server.received).doesNotContain("NICK Basil_");
    }

    @Test
    void aSeatSharingItsConnectionWithAnotherRoomPartsInsteadOfQuitting() throws Exception {
        IrcNetworkConfig net = new IrcNetworkConfig("fake", "127.0.0.1", server.port(), false, Optional.empty(),
                Optional.empty(), "parley", "parley test", List.of(), List.of(),
                IrcOptions.DEFAULTS.withPacing(Duration.ZERO, 1));
        try (IrcNetwork network = new IrcNetwork(net, scheduler)) {
            Map<SeatId, IrcIdentity> seats = Map.of(BASIL, new IrcIdentity("Basil", Optional.empty()));
            IrcRoom a = network.room("#a", Optional.empty(), seats);
            IrcRoom b = network.room("#b", Optional.empty(), seats);
            a.open(listener);
            b.open(new RecordingListener());
            a.allJoined().get(10, TimeUnit.SECONDS);
            b.allJoined().get(10, TimeUnit.SECONDS);
            a.cast(Set.of());
            await("Basil parts #a", () -> server.received.contains("PART #a"));
            assertThat(server.received).doesNotContain("PART #b").noneMatch(l -> l.startsWith("QUIT"));
            a.cast(Set.of(BASIL));
            await("Basil joins #a again", () -> server.received.stream().filter("JOIN #a"::equals).count() == 3);
            listener.awaitPresence("basil+", 2, WAIT);
            assertThat(server.received.stream().filter("NICK Basil"::equals)).hasSize(1);
            a.closeAsync().get(10, TimeUnit.SECONDS);
            b.closeAsync().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theTopicIsOneSanitizedLineFromTheControlNickAndARefusalIsReportedOnce() throws Exception {
        room.open(listener);
        room.allJoined().get(10, TimeUnit.SECONDS);
        FakeIrcServer.Client control = joined("parley");
        room.topic("Episode 2:\nAda and Basil\u0000 on tea\r\nQUIT :x");
        await("the topic is sent", () -> control.lines.stream().anyMatch(l -> l.startsWith("TOPIC")));
        assertThat(control.lines).contains("TOPIC #c :Episode 2: Ada and Basil on tea QUIT :x")
                .doesNotContain("QUIT :x");
        room.topic("x".repeat(600));
        await("the long topic is sent", () -> control.lines.stream().filter(l -> l.startsWith("TOPIC")).count() == 2);
        assertThat(control.lines.get(control.lines.size() - 1).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .hasSizeLessThan(510);

        control.send(":fake 482 parley #c :You're not channel operator");
        control.send(":fake 482 parley #c :You're not channel operator");
        await("the refusal is reported", () -> !listener.problems.isEmpty());
        Thread.sleep(100); // not polling: a moment in which the second refusal, were it reported too, would show
        assertThat(listener.problems).singleElement().asString().contains("may not set the topic of #c");
    }
}
