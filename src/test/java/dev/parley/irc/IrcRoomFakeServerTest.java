package dev.parley.irc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.IrcIdentity;
import dev.parley.config.IrcNetworkConfig;
import dev.parley.config.IrcOptions;
import dev.parley.config.Secret;
import dev.parley.core.SeatId;
import dev.parley.core.SystemScheduler;
import dev.parley.room.Inbound;
import dev.parley.testsupport.Waiting;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What needs IRC services or IRCv3 features the packaged test servers lack, against a scripted server:
 * SASL PLAIN, NickServ fallback, operators by services account, direct messages, and a server that freezes.
 */
class IrcRoomFakeServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final SystemScheduler scheduler = new SystemScheduler();
    private FakeIrcServer server;
    private IrcRoom room;

    @AfterEach
    void tearDown() throws Exception {
        if (room != null) {
            room.closeAsync().get(10, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
        scheduler.close();
    }

    private IrcRoom open(IrcOptions options, List<String> operatorAccounts, Optional<Secret> seatPassword,
                         RecordingListener listener) {
        IrcNetworkConfig net = new IrcNetworkConfig("fake", "127.0.0.1", server.port(), false, Optional.empty(),
                Optional.empty(), "parley", "parley test", operatorAccounts, List.of("mask!*@*"), options);
        room = new IrcRoom(net, "#c", Optional.empty(),
                Map.of(SeatId.of("kimi"), new IrcIdentity("KimiK2", seatPassword)), scheduler);
        room.open(listener);
        return room;
    }

    private static IrcOptions options() {
        return IrcOptions.DEFAULTS.withPacing(Duration.ZERO, 1)
                .withReconnect(Duration.ofMillis(100), Duration.ofMillis(500));
    }

    private FakeIrcServer.Client joined(String nick) throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            FakeIrcServer.Client c = server.nextJoined(WAIT);
            if (c.nick.equals(nick)) {
                return c;
            }
        }
        throw new AssertionError(nick + " never joined");
    }

    /** The next {@code n} clients to join, by nick (they join in any order). */
    private Map<String, FakeIrcServer.Client> joinedAll(int n) throws InterruptedException {
        Map<String, FakeIrcServer.Client> out = new java.util.HashMap<>();
        while (out.size() < n) {
            FakeIrcServer.Client c = server.nextJoined(WAIT);
            out.put(c.nick, c);
        }
        return out;
    }

    @Test
    void saslPlainWhenTheServerOffersIt() throws Exception {
        server = new FakeIrcServer(true, "s3cret");
        open(options(), List.of(), Optional.of(new Secret("s3cret", "test")), new RecordingListener());
        FakeIrcServer.Client kimi = joined("KimiK2");
        assertEquals("KimiK2", kimi.account);
        String expected = Base64.getEncoder().encodeToString("KimiK2\0KimiK2\0s3cret".getBytes(StandardCharsets.UTF_8));
        assertTrue(server.received.contains("AUTHENTICATE " + expected), server.received.toString());
        assertFalse(server.received.stream().anyMatch(l -> l.contains("NickServ")), server.received.toString());
    }

    @Test
    void nickServIdentifyWhenThereIsNoSasl() throws Exception {
        server = new FakeIrcServer(false, "unused");
        open(options(), List.of(), Optional.of(new Secret("s3cret", "test")), new RecordingListener());
        joined("KimiK2");
        // Identified before joining, so that a channel for registered users (+r) lets the seat in.
        int identify = server.received.indexOf("PRIVMSG NickServ :IDENTIFY s3cret");
        assertTrue(identify >= 0, server.received.toString());
        assertTrue(identify < server.received.lastIndexOf("JOIN #c"), server.received.toString());
        assertFalse(server.received.stream().anyMatch(l -> l.startsWith("AUTHENTICATE")));
    }

    @Test
    void operatorsByServicesAccountFromTagsExtendedJoinAndAccountNotify() throws Exception {
        server = new FakeIrcServer(false, "unused");
        RecordingListener listener = new RecordingListener();
        open(options(), List.of("KateAcct", "BobAcct"), Optional.empty(), listener);
        FakeIrcServer.Client control = joined("parley");
        assertTrue(control.hasCap("account-tag") && control.hasCap("extended-join") && control.hasCap("account-notify"));

        assertFalse(server.received.stream().anyMatch(l -> l.startsWith("WHO")), "account-tag makes lookups moot");
        control.send("@account=kateacct :kate!k@somewhere PRIVMSG #c :!stop");
        control.send("@account=mallory :mallory!m@somewhere PRIVMSG #c :!stop");
        control.send(":bob!b@elsewhere JOIN #c BobAcct :Bob");
        control.send(":bob!b@elsewhere PRIVMSG #c :as bob");
        control.send(":bob!b@elsewhere ACCOUNT *");
        control.send(":bob!b@elsewhere PRIVMSG #c :bob logged out");
        control.send(":eve!e@x JOIN #c * :Eve");
        control.send(":eve!e@x ACCOUNT BobAcct");
        control.send(":eve!e@x NICK eve2");
        control.send(":eve2!e@x PRIVMSG #c :eve logged in and renamed");
        control.send(":mask!m@x PRIVMSG #c :by mask");
        List<Inbound> got = listener.humans(6, WAIT);
        assertEquals(List.of(
                new Inbound("kate", "!stop", true, false, false),
                new Inbound("mallory", "!stop", false, false, false),
                new Inbound("bob", "as bob", true, false, false),
                new Inbound("bob", "bob logged out", false, false, false),
                new Inbound("eve2", "eve logged in and renamed", true, false, false),
                new Inbound("mask", "by mask", true, false, false)), got);
    }

    /** Waits until the server sent a line starting with {@code prefix}: the client has it (or soon will). */
    private void awaitSent(String prefix) {
        Waiting.upTo(WAIT).untilAsserted(() -> assertThat(server.sent)
                .as("the server sent %s; it received %s", prefix, server.received)
                .anyMatch(l -> l.startsWith(prefix)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void operatorsAlreadyInTheChannelAreRecognisedByWhoxOrWhois(boolean whox) throws Exception {
        server = new FakeIrcServer(false, "unused");
        server.capsOffered = "extended-join account-notify"; // no account-tag: messages carry no account
        server.whox = whox;
        server.channelUsers.put("kate", "KateAcct");
        server.channelUsers.put("mallory", "0");
        RecordingListener listener = new RecordingListener();
        open(options(), List.of("KateAcct"), Optional.empty(), listener);
        Map<String, FakeIrcServer.Client> both = joinedAll(2);
        FakeIrcServer.Client control = both.get("parley");
        if (whox) {
            awaitSent(":fake 315 parley #c");
            assertTrue(server.received.stream().anyMatch(l -> l.matches("WHO #c %tuhna,\\d+")), server.received.toString());
            assertFalse(server.received.stream().anyMatch(l -> l.startsWith("WHOIS")), server.received.toString());
        } else {
            awaitSent(":fake 318 parley kate");
            awaitSent(":fake 318 parley mallory");
            // Only the humans: not our own identities.
            assertEquals(List.of("WHOIS kate", "WHOIS mallory"),
                    server.received.stream().filter(l -> l.startsWith("WHOIS")).sorted().toList());
        }
        control.send(":kate!k@somewhere PRIVMSG #c :!stop");
        control.send(":mallory!m@somewhere PRIVMSG #c :!stop");
        assertEquals(List.of(new Inbound("kate", "!stop", true, false, false),
                new Inbound("mallory", "!stop", false, false, false)), listener.humans(2, WAIT));
    }

    @Test
    void noticesCtcpAndSeatsAreIgnoredDirectMessagesOnlyWhenEnabled() throws Exception {
        server = new FakeIrcServer(false, "unused");
        RecordingListener listener = new RecordingListener();
        open(options().withDirectMessages(true), List.of(), Optional.empty(), listener);
        FakeIrcServer.Client control = joined("parley");
        control.send(":otherbot!o@x NOTICE #c :I am a bot");
        control.send(":kate!k@x PRIVMSG #c :\u0001VERSION\u0001");
        control.send(":KimiK2!parley@fake.host PRIVMSG #c :a seat's own line");
        control.send(":kate!k@x PRIVMSG parley :psst");
        control.send(":kate!k@x PRIVMSG KimiK2 :to a seat, not for us");
        control.send(":kate!k@x PRIVMSG #c :\u0001ACTION waves\u0001");
        List<Inbound> got = listener.humans(2, WAIT);
        assertThat(got).containsExactly(new Inbound("kate", "psst", false, false, true),
                new Inbound("kate", "waves", false, true, false));
        Thread.sleep(100); // not polling: a moment in which an ignored line, were it passed on late, would show
        assertThat(listener.humans).isEmpty();
    }

    @Test
    void aNickASeatOnceHadIsAHumanAgainOnceTheSeatLeftIt() throws Exception {
        server = new FakeIrcServer(false, "unused");
        RecordingListener listener = new RecordingListener();
        open(options(), List.of(), Optional.empty(), listener);
        Map<String, FakeIrcServer.Client> both = joinedAll(2);
        FakeIrcServer.Client control = both.get("parley");
        FakeIrcServer.Client kimi = both.get("KimiK2");
        // Services rename the seat (as they do to an unidentified nick); both connections see it.
        control.send(":KimiK2!parley@fake.host NICK Guest42");
        kimi.send(":KimiK2!parley@fake.host NICK Guest42");
        control.send(":Guest42!parley@fake.host PRIVMSG #c :the seat, renamed");
        Waiting.upTo(WAIT).untilAsserted(() -> assertThat(room.currentNick(SeatId.of("kimi"))).isEqualTo("Guest42"));
        // The seat drops and comes back on its wanted nick; later a human is given Guest42.
        control.send(":Guest42!parley@fake.host QUIT :connection reset");
        kimi.close();
        joined("KimiK2");
        control.send(":Guest42!human@elsewhere PRIVMSG #c :I am a human now");
        assertThat(listener.humans(1, WAIT))
                .containsExactly(new Inbound("Guest42", "I am a human now", false, false, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rfc1459", "ascii"})
    void aSeatIsToldFromHumansThroughTheServersCaseMapping(String caseMapping) throws Exception {
        server = new FakeIrcServer(false, "unused");
        server.caseMapping = caseMapping;
        RecordingListener listener = new RecordingListener();
        IrcNetworkConfig net = new IrcNetworkConfig("fake", "127.0.0.1", server.port(), false, Optional.empty(),
                Optional.empty(), "parley", "parley test", List.of(), List.of(), options());
        room = new IrcRoom(net, "#c", Optional.empty(),
                Map.of(SeatId.of("kimi"), new IrcIdentity("Kimi[K2]", Optional.empty())), scheduler);
        room.open(listener);
        FakeIrcServer.Client control = joinedAll(2).get("parley");
        // Under rfc1459, kimi{k2} is the seat's own nick; under ascii it is somebody else.
        control.send(":kimi{k2}!parley@fake.host PRIVMSG #C :said by kimi{k2}");
        control.send(":kate!k@x PRIVMSG #c :the last line");
        List<Inbound> expected = caseMapping.equals("rfc1459")
                ? List.of(new Inbound("kate", "the last line", false, false, false))
                : List.of(new Inbound("kimi{k2}", "said by kimi{k2}", false, false, false),
                        new Inbound("kate", "the last line", false, false, false));
        assertThat(listener.humans(expected.size(), WAIT)).isEqualTo(expected);
        Thread.sleep(100); // not polling: a moment in which the seat's own line, taken for a human's, would show
        assertThat(listener.humans).isEmpty();
    }

    @Test
    void aDirectMessageToASharedControlNickReachesOnlyTheRoomItNames() throws Exception {
        server = new FakeIrcServer(false, "unused");
        IrcNetworkConfig net = new IrcNetworkConfig("fake", "127.0.0.1", server.port(), false, Optional.empty(),
                Optional.empty(), "parley", "parley test", List.of(), List.of(), options().withDirectMessages(true));
        try (IrcNetwork network = new IrcNetwork(net, scheduler)) {
            IrcRoom a = network.room("#a", Optional.empty(), Map.of());
            IrcRoom b = network.room("#b", Optional.empty(), Map.of());
            RecordingListener heardA = new RecordingListener();
            RecordingListener heardB = new RecordingListener();
            a.open(heardA);
            b.open(heardB);
            a.allJoined().get(10, TimeUnit.SECONDS);
            b.allJoined().get(10, TimeUnit.SECONDS);
            FakeIrcServer.Client control = server.nextJoined(WAIT);
            // Naming no channel: no conversation gets it (one private !stop must not stop them all); the sender
            // is told how to name one, once.
            control.send(":kate!k@x PRIVMSG parley :!stop");
            control.send(":kate!k@x PRIVMSG parley :#B !stop");
            control.send(":kate!k@x PRIVMSG parley :#nowhere !pause");
            assertThat(heardB.humans(1, WAIT)).containsExactly(new Inbound("kate", "!stop", false, false, true));
            Waiting.upTo(WAIT).until(() -> server.received.stream()
                    .filter(l -> l.startsWith("NOTICE kate :")).count() >= 2);
            List<String> notices = server.received.stream().filter(l -> l.startsWith("NOTICE kate :")).toList();
            assertThat(notices).as(server.received.toString()).hasSize(2);
            assertThat(notices.get(0)).contains("#a", "#b");
            Thread.sleep(200); // not polling: a moment in which a message to a room, or a third notice, would show
            assertThat(heardA.humans).isEmpty();
            assertThat(heardB.humans).isEmpty();
            assertThat(server.received).filteredOn(l -> l.startsWith("NOTICE kate :")).hasSize(2);
            a.closeAsync().get(10, TimeUnit.SECONDS);
            b.closeAsync().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void directMessagesAreIgnoredByDefault() throws Exception {
        server = new FakeIrcServer(false, "unused");
        RecordingListener listener = new RecordingListener();
        open(options(), List.of(), Optional.empty(), listener);
        FakeIrcServer.Client control = joined("parley");
        control.send(":kate!k@x PRIVMSG parley :psst");
        control.send(":kate!k@x PRIVMSG #c :in the channel");
        assertEquals(List.of(new Inbound("kate", "in the channel", false, false, false)), listener.humans(1, WAIT));
    }

    @Test
    void aFrozenServerIsDetectedAndTheSeatReconnects() throws Exception {
        server = new FakeIrcServer(false, "unused");
        RecordingListener listener = new RecordingListener();
        IrcOptions o = options();
        IrcOptions quickPing = new IrcOptions(o.lineDelay(), o.burst(), o.maxLines(), o.overflow(), o.cutMarker(),
                o.formatting(), o.actions(), o.directMessages(), o.reconnectMin(), o.reconnectMax(), o.nickRetry(),
                Duration.ofMillis(300));
        open(quickPing, List.of(), Optional.empty(), listener);
        joined("KimiK2");
        listener.awaitPresence("kimi+", 1, WAIT);
        server.goSilent(true);
        listener.awaitPresence("kimi-", 1, WAIT);
        room.post(SeatId.of("kimi"), "said while away");
        server.goSilent(false);
        listener.awaitPresence("kimi+", 2, WAIT);
        Waiting.upTo(WAIT).until(() -> server.received.contains("PRIVMSG #c :said while away"));
        assertThat(server.received).filteredOn("PRIVMSG #c :said while away"::equals).hasSize(1);
    }

    @Test
    void postsMadeBeforeOpenWaitAndGoOutAfterTheJoin() throws Exception {
        server = new FakeIrcServer(false, "unused");
        IrcNetworkConfig net = new IrcNetworkConfig("fake", "127.0.0.1", server.port(), false, Optional.empty(),
                Optional.empty(), "parley", "parley test", List.of(), List.of(), options());
        room = new IrcRoom(net, "#c", Optional.empty(),
                Map.of(SeatId.of("kimi"), new IrcIdentity("KimiK2", Optional.empty())), scheduler);
        room.post(SeatId.of("kimi"), "early\nbird");
        room.open(new RecordingListener());
        joined("KimiK2");
        Waiting.upTo(WAIT).until(() -> server.received.contains("PRIVMSG #c :bird"));
        assertThat(server.received).filteredOn(l -> l.startsWith("PRIVMSG #c"))
                .containsExactly("PRIVMSG #c :early", "PRIVMSG #c :bird");
        assertThat(server.received.indexOf("PRIVMSG #c :early")).isGreaterThan(server.received.indexOf("JOIN #c"));
    }

    @Test
    void badInputIsRefusedWhereItEnters() {
        IrcNetworkConfig net = new IrcNetworkConfig("fake", "127.0.0.1", 6667, false, Optional.empty(),
                Optional.empty(), "parley", "parley test", List.of(), List.of(), options());
        Map<SeatId, IrcIdentity> ok = Map.of(SeatId.of("kimi"), new IrcIdentity("KimiK2", Optional.empty()));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new IrcRoom(net, "parley", Optional.empty(), ok, scheduler));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new IrcRoom(net, "#a b", Optional.empty(), ok, scheduler));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new IrcRoom(net, "#c", Optional.empty(),
                        Map.of(SeatId.of("kimi"), new IrcIdentity("Kimi K2", Optional.empty())), scheduler));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new IrcRoom(net, "#c", Optional.empty(),
                        Map.of(SeatId.of("kimi"), new IrcIdentity("PARLEY", Optional.empty())), scheduler));
        IrcRoom r = new IrcRoom(net, "#c", Optional.empty(), ok, scheduler);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> r.post(SeatId.of("nobody"), "hi"));
        r.close();
    }

    @Test
    void passwordsNeverReachTheLogEvenWithPircBotXAtDebug() throws Exception {
        ch.qos.logback.classic.Logger pircbotx =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.pircbotx");
        ch.qos.logback.classic.Logger ours =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.parley.irc");
        ch.qos.logback.classic.Level before = pircbotx.getLevel();
        ch.qos.logback.classic.Level oursBefore = ours.getLevel();
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
                new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        ch.qos.logback.classic.Logger root =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        pircbotx.setLevel(ch.qos.logback.classic.Level.DEBUG);
        ours.setLevel(ch.qos.logback.classic.Level.DEBUG);
        try {
            server = new FakeIrcServer(false, "unused");
            IrcNetworkConfig net = new IrcNetworkConfig("fake", "127.0.0.1", server.port(), false, Optional.empty(),
                    Optional.of(new Secret("serverpass-77", "test")), "parley", "parley test", List.of(), List.of(),
                    options());
            room = new IrcRoom(net, "#c", Optional.of(new Secret("chankey-55", "test")),
                    Map.of(SeatId.of("kimi"), new IrcIdentity("KimiK2", Optional.of(new Secret("nickpass-99", "t")))),
                    scheduler);
            room.open(new RecordingListener());
            joined("KimiK2");
            assertTrue(server.received.contains("PASS serverpass-77"), server.received.toString());
            assertTrue(server.received.contains("PRIVMSG NickServ :IDENTIFY nickpass-99"), server.received.toString());
            assertTrue(server.received.contains("JOIN #c chankey-55"), server.received.toString());
            List<ch.qos.logback.classic.spi.ILoggingEvent> events;
            synchronized (logs) { // AppenderBase.doAppend holds this lock while other threads log
                events = List.copyOf(logs.list);
            }
            String all = events.stream().map(e -> e.getFormattedMessage()).reduce("", (a, b) -> a + "\n" + b);
            for (String secret : List.of("serverpass-77", "nickpass-99", "chankey-55")) {
                assertFalse(all.contains(secret), secret + " leaked into the log");
            }
            assertTrue(all.contains("PRIVMSG NickServ :<redacted>"), "the lines were logged, redacted: " + all);
        } finally {
            root.detachAppender(logs);
            pircbotx.setLevel(before);
            ours.setLevel(oursBefore);
        }
    }

    @Test
    void roomsFromConfigShareOneConnectionPerNickPerNetwork() throws Exception {
        server = new FakeIrcServer(false, "unused");
        IrcNetworkConfig net = new IrcNetworkConfig("fake", "127.0.0.1", server.port(), false, Optional.empty(),
                Optional.empty(), "parley", "parley test", List.of(), List.of(), options());
        List<dev.parley.config.SeatConfig> seats = List.of(dev.parley.testsupport.TestConfigs.seat("kimi", "KimiK2"),
                new dev.parley.config.SeatConfig(SeatId.of("quiet"), "Quiet", Optional.empty(), Optional.empty(),
                        dev.parley.testsupport.TestConfigs.model("replay", "x"), "", 6000));
        try (IrcRooms rooms = new IrcRooms(Map.of("fake", net), scheduler)) {
            IrcRoom a = rooms.create(new dev.parley.config.RoomConfig.Irc("fake", "#a", Optional.empty()), seats);
            IrcRoom b = rooms.create(new dev.parley.config.RoomConfig.Irc("fake", "#b", Optional.empty()), seats);
            a.open(new RecordingListener());
            b.open(new RecordingListener());
            a.allJoined().get(10, TimeUnit.SECONDS);
            b.allJoined().get(10, TimeUnit.SECONDS);
            assertEquals(1, server.received.stream().filter("NICK KimiK2"::equals).count(), server.received.toString());
            assertEquals(1, server.received.stream().filter("NICK parley"::equals).count(), server.received.toString());
            assertTrue(server.received.containsAll(List.of("JOIN #a", "JOIN #b")), server.received.toString());
            assertEquals(null, a.currentNick(SeatId.of("quiet")), "a seat without an IRC identity is not shown");
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> rooms.create(
                    new dev.parley.config.RoomConfig.Irc("nowhere", "#a", Optional.empty()), seats));
            a.closeAsync().get(10, TimeUnit.SECONDS);
            b.closeAsync().get(10, TimeUnit.SECONDS);
        }
    }
}
