package dev.parley.irc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.IrcIdentity;
import dev.parley.config.IrcNetworkConfig;
import dev.parley.config.IrcOptions;
import dev.parley.core.SeatId;
import dev.parley.core.SystemScheduler;
import dev.parley.room.Inbound;
import dev.parley.room.Parcel;
import dev.parley.testsupport.RequireServers;
import dev.parley.testsupport.Waiting;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * IrcRoom against real ngircd and InspIRCd, started by the test on a free loopback port, with a raw-socket human
 * in the channel checking what really went over the wire.
 */
class IrcRoomIT {
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
                room.closeAsync().get(10, TimeUnit.SECONDS);
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

    private static IrcOptions fast() {
        return IrcOptions.DEFAULTS.withPacing(Duration.ZERO, 1).withLines(1000, IrcOptions.Overflow.FULL)
                .withReconnect(Duration.ofMillis(200), Duration.ofSeconds(2));
    }

    private static IrcNetworkConfig network(IrcServerFixture s, String controlNick, List<String> masks,
                                            IrcOptions options) {
        return new IrcNetworkConfig("test", s.host(), s.port(), false, Optional.empty(), Optional.empty(),
                controlNick, "parley test", List.of(), masks, options);
    }

    private IrcRoom room(IrcNetworkConfig net, String channel, Map<SeatId, IrcIdentity> seats,
                         RecordingListener listener) throws Exception {
        IrcRoom room = new IrcRoom(net, channel, Optional.empty(), seats, scheduler);
        cleanup.add(room);
        long t0 = System.nanoTime();
        room.open(listener);
        room.allJoined().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        System.out.printf("[irc] %s: open -> %d identities joined in %d ms%n", room.name(), seats.size() + 1,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return room;
    }

    private static Map<SeatId, IrcIdentity> seats(String... idAndNick) {
        Map<SeatId, IrcIdentity> m = new LinkedHashMap<>();
        for (int i = 0; i < idAndNick.length; i += 2) {
            m.put(SeatId.of(idAndNick[i]), new IrcIdentity(idAndNick[i + 1], Optional.empty()));
        }
        return m;
    }

    private RawIrcClient human(IrcServerFixture s, String nick, String channel) throws Exception {
        RawIrcClient c = RawIrcClient.connect(s.host(), s.port(), nick, nick.toLowerCase());
        cleanup.add(c);
        if (channel != null) {
            c.join(channel);
        }
        return c;
    }

    private static List<String> texts(List<IrcLine> lines) {
        return lines.stream().map(l -> l.param(1)).toList();
    }

    @ParameterizedTest
    @EnumSource(IrcServerFixture.Kind.class)
    void seatsSpeakAsTheirOwnNicksInOrder(IrcServerFixture.Kind kind) throws Exception {
        IrcServerFixture s = server(kind);
        RawIrcClient kate = human(s, "kate", "#parley");
        RecordingListener listener = new RecordingListener();
        IrcRoom room = room(network(s, "parley", List.of(), fast()), "#parley",
                seats("kimi", "KimiK2", "claude", "Claude"), listener);
        assertTrue(listener.presence.containsAll(List.of("kimi+", "claude+")), listener.presence.toString());

        for (int i = 0; i < 30; i++) {
            room.post(KIMI, "kimi says " + i);
            room.post(CLAUDE, "claude says " + i);
        }
        List<IrcLine> got = kate.privmsgs("#parley", 60, WAIT, "KimiK2", "Claude");
        assertEquals(IntStream.range(0, 30).mapToObj(i -> "kimi says " + i).toList(),
                texts(got.stream().filter(l -> l.nick().equals("KimiK2")).toList()));
        assertEquals(IntStream.range(0, 30).mapToObj(i -> "claude says " + i).toList(),
                texts(got.stream().filter(l -> l.nick().equals("Claude")).toList()));

        room.notice("parley: conversation started");
        IrcLine notice = kate.await(l -> l.command().equals("NOTICE") && l.param(0).equals("#parley"), WAIT);
        assertEquals("parley", notice.nick());
        assertEquals("parley: conversation started", notice.param(1));

        room.post(KIMI, "/me waves");
        IrcLine action = kate.await(l -> l.command().equals("PRIVMSG") && l.nick().equals("KimiK2"), WAIT);
        assertEquals("\u0001ACTION waves\u0001", action.param(1));
        assertTrue(listener.humans.isEmpty(), "seat or control messages were taken for a human's: " + listener.humans);
    }

    @ParameterizedTest
    @EnumSource(IrcServerFixture.Kind.class)
    void longRepliesFromTwoSeatsAndANoticeNeverInterleave(IrcServerFixture.Kind kind) throws Exception {
        IrcServerFixture s = server(kind);
        RawIrcClient kate = human(s, "kate", "#parley");
        // Paced like the defaults (a burst of 4, then one line per delay), with a shorter delay to keep it quick:
        // each seat's own queue alone would let the second reply start while the first is still going out.
        IrcOptions paced = fast().withPacing(Duration.ofMillis(150), 4);
        IrcRoom room = room(network(s, "parley", List.of(), paced), "#parley",
                seats("kimi", "KimiK2", "claude", "Claude"), new RecordingListener());
        String kimiReply = IntStream.range(0, 10).mapToObj(i -> "kimi line " + i).collect(Collectors.joining("\n"));
        String claudeReply = IntStream.range(0, 10).mapToObj(i -> "claude line " + i)
                .collect(Collectors.joining("\n"));
        long t0 = System.nanoTime();
        room.post(KIMI, kimiReply);
        room.post(CLAUDE, claudeReply);
        room.notice("Conversation ended");
        kate.await(l -> l.command().equals("NOTICE") && l.param(1).equals("Conversation ended"), WAIT);
        System.out.printf("[irc] %s: 2 x 10 lines and a notice delivered in %d ms%n", kind,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        List<String> seen = kate.allLines().stream()
                .filter(l -> (l.command().equals("PRIVMSG") || l.command().equals("NOTICE"))
                        && l.param(0).equals("#parley"))
                .map(l -> l.nick() + ": " + l.param(1)).toList();
        List<String> expected = new ArrayList<>();
        IntStream.range(0, 10).forEach(i -> expected.add("KimiK2: kimi line " + i));
        IntStream.range(0, 10).forEach(i -> expected.add("Claude: claude line " + i));
        expected.add("parley: Conversation ended");
        assertEquals(expected, seen);
    }

    @ParameterizedTest
    @EnumSource(IrcServerFixture.Kind.class)
    void accountsOfUsersAlreadyInTheChannelAreAskedForAndTheServerAnswers(IrcServerFixture.Kind kind)
            throws Exception {
        IrcServerFixture s = server(kind);
        RawIrcClient kate = human(s, "kate", "#parley");
        boolean whox = kate.allLines().stream().anyMatch(l -> l.command().equals("005")
                && l.params().stream().anyMatch(p -> p.equals("WHOX") || p.startsWith("WHOX=")));
        ch.qos.logback.classic.Logger wire = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.pircbotx");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
                new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        ch.qos.logback.classic.Level levelBefore = wire.getLevel();
        wire.setLevel(ch.qos.logback.classic.Level.INFO); // PircBotX logs every line in and out at INFO
        wire.addAppender(logs);
        try {
            RecordingListener listener = new RecordingListener();
            // No services on the test servers: nobody has an account, so the lookup must find none, harmlessly.
            IrcNetworkConfig net = new IrcNetworkConfig("test", s.host(), s.port(), false, Optional.empty(),
                    Optional.empty(), "parley", "parley test", List.of("KateAcct"), List.of(), fast());
            room(net, "#parley", seats("kimi", "KimiK2"), listener);
            String query = whox ? "WHO #parley %tuhna,152" : "WHOIS kate";
            String answer = whox ? " 354 parley 152 " : " 318 parley kate ";
            Waiting.upTo(WAIT).untilAsserted(() -> assertThat(logged(logs)).as("an answer to %s", query)
                    .anyMatch(l -> l.contains(answer)));
            assertThat(logged(logs)).anyMatch(l -> l.endsWith(query));
            System.out.printf("[irc] %s: WHOX %s; asked with %s%n", kind, whox ? "offered" : "not offered", query);
            kate.say("#parley", "!stop");
            assertEquals(List.of(new Inbound("kate", "!stop", false, false, false)), listener.humans(1, WAIT));
            assertTrue(listener.problems.isEmpty(), listener.problems.toString());
        } finally {
            wire.detachAppender(logs);
            wire.setLevel(levelBefore);
        }
    }

    @ParameterizedTest
    @EnumSource(IrcServerFixture.Kind.class)
    void humansReachTheListenerInServerOrderWithTheirOperatorFlag(IrcServerFixture.Kind kind) throws Exception {
        IrcServerFixture s = server(kind);
        RecordingListener listener = new RecordingListener();
        IrcRoom room = room(network(s, "parley", List.of("kate!*@*"), fast()), "#parley",
                seats("kimi", "KimiK2"), listener);
        RawIrcClient watcher = human(s, "watcher", "#parley");
        RawIrcClient kate = human(s, "kate", "#parley");
        RawIrcClient bob = human(s, "bob", "#parley");

        bob.say("#parley", "!stop");
        kate.action("#parley", "nods");
        bob.send("NOTICE #parley :a notice is never a command");
        room.post(KIMI, "a seat is not a human");
        Thread bobTalks = new Thread(() -> {
            try {
                for (int i = 0; i < 150; i++) {
                    bob.say("#parley", "b" + i);
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        bobTalks.start();
        for (int i = 0; i < 150; i++) {
            kate.say("#parley", "k" + i);
        }
        bobTalks.join();

        List<Inbound> got = listener.humans(302, WAIT);
        assertTrue(got.contains(new Inbound("bob", "!stop", false, false, false)), got.toString());
        assertTrue(got.contains(new Inbound("kate", "nods", true, true, false)), got.toString());
        for (Inbound m : got) {
            assertEquals(m.sender().equals("kate"), m.operator(), m.toString());
            assertFalse(m.text().contains("notice") || m.text().contains("seat"), m.toString());
        }
        // The watcher sees the server's order; the listener must have the very same order.
        List<String> serverOrder = watcher.privmsgs("#parley", 302, WAIT, "kate", "bob").stream()
                .map(l -> l.nick() + ":" + l.param(1)).toList();
        List<String> listenerOrder = got.stream()
                .map(m -> m.sender() + ":" + (m.action() ? "\u0001ACTION " + m.text() + "\u0001" : m.text()))
                .toList();
        assertEquals(serverOrder, listenerOrder);
        Thread.sleep(300); // not polling: a moment in which an extra message, were one passed on, would show
        assertTrue(listener.humans.isEmpty(), "unexpected extra messages: " + listener.humans);
    }

    @ParameterizedTest
    @EnumSource(IrcServerFixture.Kind.class)
    void hostileTextArrivesIntactAndNobodyIsDisconnected(IrcServerFixture.Kind kind) throws Exception {
        IrcServerFixture s = server(kind);
        RawIrcClient kate = human(s, "kate", "#parley");
        RecordingListener listener = new RecordingListener();
        IrcRoom room = room(network(s, "parley", List.of(), fast()), "#parley", seats("kimi", "KimiK2"), listener);

        StringBuilder big = new StringBuilder();
        String[] parts = {"Hello world, ", "😀 ", "naïve café ", "日本語のテキスト ", "👩‍👩‍👧 family ", "e\u0301 ",
                "supercalifragilisticexpialidocious", " — ", "🇫🇷🇩🇪 ", "x"};
        for (int i = 0; big.length() < 3000; i++) {
            big.append(parts[i % parts.length]);
        }
        List<String> posts = List.of("before\r\nQUIT :x", "bare\nlf", "bare\rcr", "nul\u0000byte", big.toString(),
                "tab\there\u0001ACTION fake\u0001", "", "after");
        posts.forEach(p -> room.post(KIMI, p));

        List<String> expectedLines = posts.stream()
                .flatMap(p -> IrcText.splitLines(p).stream())
                .map(l -> IrcText.sanitizeLine(l, false))
                .filter(l -> !l.isBlank()).toList();
        List<IrcLine> got = new ArrayList<>();
        while (got.isEmpty() || !got.get(got.size() - 1).param(1).equals("after")) {
            got.addAll(kate.privmsgs("#parley", 1, WAIT, "KimiK2"));
        }
        List<String> texts = texts(got);
        // A blank reply is one message of a single space (ngircd relays it with the space stripped).
        assertTrue(texts.get(texts.size() - 2).isBlank(), texts.get(texts.size() - 2));
        assertEquals(List.of("before", "QUIT :x", "bare", "lf", "bare", "cr", "nulbyte"), texts.subList(0, 7));
        // Every character arrives, in order; only the spaces where a long line was wrapped are gone.
        assertEquals(String.join(" ", expectedLines).replace(" ", ""), String.join(" ", texts).replace(" ", ""));
        assertEquals(List.of(String.join(" ", expectedLines).split(" +")), List.of(String.join(" ", texts).split(" +")));
        assertTrue(texts.size() > 9, "the 3,000-character line should have been split");
        for (IrcLine l : got) {
            assertFalse(l.param(1).contains("\uFFFD"), "broken character in " + l.param(1));
            String relayed = ":" + l.source() + " PRIVMSG " + l.param(0) + " :" + l.param(1) + "\r\n";
            assertTrue(relayed.getBytes(StandardCharsets.UTF_8).length <= 512, "over 512 bytes: " + relayed);
        }
        // Nobody was thrown out: no QUIT seen, presence never dropped, the seat still speaks.
        assertTrue(kate.allLines().stream().noneMatch(l -> l.command().equals("QUIT")), kate.allLines().toString());
        assertEquals(List.of("kimi+"), listener.presence);
        room.post(KIMI, "still here");
        assertEquals("still here", kate.privmsgs("#parley", 1, WAIT, "KimiK2").get(0).param(1));
    }

    @ParameterizedTest
    @EnumSource(IrcServerFixture.Kind.class)
    void serverKilledAndRestartedNothingLostNothingTwice(IrcServerFixture.Kind kind) throws Exception {
        IrcServerFixture s = server(kind);
        RawIrcClient kate = human(s, "kate", "#parley");
        RecordingListener listener = new RecordingListener();
        // A first reconnect no sooner than 1.5 s, so that the human is back in the channel before the seats.
        IrcOptions options = fast().withReconnect(Duration.ofSeconds(3), Duration.ofSeconds(4));
        IrcRoom room = room(network(s, "parley", List.of(), options), "#parley",
                seats("kimi", "KimiK2", "claude", "Claude"), listener);

        List<CompletableFuture<Void>> acknowledged = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            acknowledged.add(room.deliver(Parcel.post(new Parcel.Key("it/kill", 2 * i + 1), KIMI, "kimi " + i)));
            acknowledged.add(room.deliver(Parcel.post(new Parcel.Key("it/kill", 2 * i + 2), CLAUDE, "claude " + i)));
        }
        kate.privmsgs("#parley", 10, WAIT, "KimiK2", "Claude");
        // Lines the server has not acknowledged (its PONG) when it dies are sent again: at least once is all IRC
        // allows (docs/irc.md). The promise tested here is that acknowledged lines are never repeated.
        CompletableFuture.allOf(acknowledged.toArray(CompletableFuture[]::new))
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        long killedAt = System.nanoTime();
        s.kill();
        listener.awaitPresence("kimi-", 1, WAIT);
        listener.awaitPresence("claude-", 1, WAIT);
        for (int i = 5; i < 15; i++) {
            room.post(KIMI, "kimi " + i);
            room.post(CLAUDE, "claude " + i);
        }
        Thread.sleep(300); // not polling: the server stays down a moment, with the posts waiting
        s.restart();
        RawIrcClient kate2 = human(s, "kate", "#parley");
        List<IrcLine> got = kate2.privmsgs("#parley", 20, Duration.ofSeconds(40), "KimiK2", "Claude");
        System.out.printf("[irc] %s: server down and back, seats rejoined and delivered in %d ms%n", kind,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
        assertEquals(IntStream.range(5, 15).mapToObj(i -> "kimi " + i).toList(),
                texts(got.stream().filter(l -> l.nick().equals("KimiK2")).toList()));
        assertEquals(IntStream.range(5, 15).mapToObj(i -> "claude " + i).toList(),
                texts(got.stream().filter(l -> l.nick().equals("Claude")).toList()));
        // The human saw both seats come back: the messages were held until the rejoin, not sent into the void.
        List<String> joins = kate2.allLines().stream().filter(l -> l.command().equals("JOIN")).map(IrcLine::nick)
                .collect(Collectors.toList());
        assertTrue(joins.containsAll(List.of("KimiK2", "Claude")), joins.toString());
        listener.awaitPresence("kimi+", 2, WAIT);
        listener.awaitPresence("claude+", 2, WAIT);

        room.post(KIMI, "kimi after");
        assertEquals("kimi after", kate2.privmsgs("#parley", 1, WAIT, "KimiK2").get(0).param(1));
        Thread.sleep(300); // not polling: a moment in which a message sent twice would show
        assertTrue(kate2.allLines().stream().filter(l -> l.command().equals("PRIVMSG"))
                .map(l -> l.param(1)).distinct().count() == 21, "a message arrived twice: " + kate2.allLines());
    }

    @ParameterizedTest
    @EnumSource(IrcServerFixture.Kind.class)
    void nickCollisionUsesAFallbackThenTakesTheNickBack(IrcServerFixture.Kind kind) throws Exception {
        IrcServerFixture s = server(kind);
        RawIrcClient squatter = human(s, "KimiK2", "#parley");
        RawIrcClient kate = human(s, "kate", "#parley");
        RecordingListener listener = new RecordingListener();
        IrcOptions options = fast().withNickRetry(Duration.ofMillis(500));
        IrcRoom room = room(network(s, "parley", List.of(), options), "#parley", seats("kimi", "KimiK2"), listener);

        assertEquals("KimiK2_", room.currentNick(KIMI));
        room.post(KIMI, "speaking as a fallback");
        assertEquals("KimiK2_", kate.privmsgs("#parley", 1, WAIT, "KimiK2_").get(0).nick());

        squatter.say("#parley", "I am the human who has the nick");
        Inbound fromSquatter = listener.humans(1, WAIT).get(0);
        assertEquals("KimiK2", fromSquatter.sender());

        squatter.close();
        Waiting.upTo(WAIT).untilAsserted(() -> assertThat(room.currentNick(KIMI)).isEqualTo("KimiK2"));
        room.post(KIMI, "my own nick again");
        IrcLine back = kate.await(l -> l.command().equals("PRIVMSG") && l.param(1).equals("my own nick again"), WAIT);
        assertEquals("KimiK2", back.nick());
        Thread.sleep(200); // not polling: a moment in which the seat's line, were it taken for a human's, would show
        assertTrue(listener.humans.isEmpty(), "the seat's own messages were taken for a human's: " + listener.humans);
    }

    @ParameterizedTest
    @EnumSource(IrcServerFixture.Kind.class)
    void twoRoomsInTwoChannelsAtOnce(IrcServerFixture.Kind kind) throws Exception {
        IrcServerFixture s = server(kind);
        RawIrcClient kate = human(s, "kate", "#one");
        kate.join("#two");
        RecordingListener l1 = new RecordingListener();
        RecordingListener l2 = new RecordingListener();
        IrcRoom one = room(network(s, "parley1", List.of(), fast()), "#one", seats("kimi", "Kimi1", "claude", "Claude1"), l1);
        IrcRoom two = room(network(s, "parley2", List.of(), fast()), "#two", seats("kimi", "Kimi2", "claude", "Claude2"), l2);
        for (int i = 0; i < 20; i++) {
            one.post(KIMI, "one " + i);
            two.post(CLAUDE, "two " + i);
        }
        List<IrcLine> got = kate.privmsgs("#one", 20, WAIT, "Kimi1");
        assertEquals(IntStream.range(0, 20).mapToObj(i -> "one " + i).toList(), texts(got));
        Waiting.upTo(WAIT).untilAsserted(() -> assertThat(kate.allLines())
                .filteredOn(l -> l.command().equals("PRIVMSG") && l.param(0).equals("#two"))
                .hasSizeGreaterThanOrEqualTo(20));
        List<IrcLine> inTwo = kate.allLines().stream()
                .filter(l -> l.command().equals("PRIVMSG") && l.param(0).equals("#two")).toList();
        assertThat(texts(inTwo)).isEqualTo(IntStream.range(0, 20).mapToObj(i -> "two " + i).toList());
        assertThat(inTwo).allMatch(l -> l.nick().equals("Claude2"));

        kate.say("#two", "only for room two");
        assertEquals("only for room two", l2.humans(1, WAIT).get(0).text());
        Thread.sleep(200); // not polling: a moment in which room one, were it to hear room two, would show it
        assertTrue(l1.humans.isEmpty(), "room one heard room two: " + l1.humans);
    }

    @ParameterizedTest
    @EnumSource(IrcServerFixture.Kind.class)
    void aKickedSeatComesBackAndSpeaksWhatWasSaidMeanwhile(IrcServerFixture.Kind kind) throws Exception {
        IrcServerFixture s = server(kind);
        RawIrcClient op = human(s, "chanop", "#parley"); // first in the channel: channel operator
        RecordingListener listener = new RecordingListener();
        IrcRoom room = room(network(s, "parley", List.of(), fast()), "#parley", seats("kimi", "KimiK2"), listener);
        op.send("KICK #parley KimiK2 :out you go");
        listener.awaitPresence("kimi-", 1, WAIT);
        room.post(KIMI, "said while kicked");
        listener.awaitPresence("kimi+", 2, WAIT);
        IrcLine back = op.await(l -> l.command().equals("PRIVMSG") && l.nick().equals("KimiK2"), WAIT);
        assertEquals("said while kicked", back.param(1));
    }

    /** A human channel operator in #locked, which now has the key "sesame". */
    private RawIrcClient lockedChannel(IrcServerFixture s) throws Exception {
        RawIrcClient op = human(s, "chanop", "#locked");
        op.send("MODE #locked +k sesame");
        op.await(l -> l.command().equals("MODE") && l.param(0).equals("#locked"), WAIT);
        return op;
    }

    private IrcRoom openLocked(IrcServerFixture s, String key, RecordingListener listener) throws Exception {
        IrcRoom room = new IrcRoom(network(s, "parley", List.of(), fast()), "#locked",
                Optional.of(new dev.parley.config.Secret(key, "test")), seats("kimi", "KimiK2"), scheduler);
        cleanup.add(room);
        room.open(listener);
        return room;
    }

    @ParameterizedTest
    @EnumSource(IrcServerFixture.Kind.class)
    void joinsAChannelWithAKey(IrcServerFixture.Kind kind) throws Exception {
        IrcServerFixture s = server(kind);
        RawIrcClient op = lockedChannel(s);
        RecordingListener listener = new RecordingListener();
        IrcRoom room = openLocked(s, "sesame", listener);
        room.allJoined().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        room.post(KIMI, "the key worked");
        assertEquals("the key worked", op.privmsgs("#locked", 1, WAIT, "KimiK2").get(0).param(1));
    }

    @ParameterizedTest
    @EnumSource(IrcServerFixture.Kind.class)
    void aWrongChannelKeyIsReportedAsAProblem(IrcServerFixture.Kind kind) throws Exception {
        IrcServerFixture s = server(kind);
        lockedChannel(s);
        RecordingListener listener = new RecordingListener();
        IrcRoom room = openLocked(s, "wrong", listener);
        Waiting.upTo(WAIT).until(() -> !listener.problems.isEmpty());
        assertThat(listener.problems).anyMatch(p -> p.contains("cannot join #locked"));
        Thread.sleep(2500); // not polling: several quiet retries, each of which must not report again
        assertEquals(2, listener.problems.size(), "once per identity, not on every retry: " + listener.problems);
        assertFalse(room.allJoined().isDone());
    }

    @ParameterizedTest
    @EnumSource(IrcServerFixture.Kind.class)
    void roomsOfOneNetworkShareTheirIdentities(IrcServerFixture.Kind kind) throws Exception {
        IrcServerFixture s = server(kind);
        RawIrcClient kate = human(s, "kate", "#one");
        kate.join("#two");
        IrcNetwork network = new IrcNetwork(network(s, "parley", List.of(), fast()), scheduler);
        cleanup.add(network);
        RecordingListener l1 = new RecordingListener();
        RecordingListener l2 = new RecordingListener();
        // The same seats (and the same control nick) shown in two channels at once.
        IrcRoom one = network.room("#one", Optional.empty(), seats("kimi", "KimiK2", "claude", "Claude"));
        IrcRoom two = network.room("#two", Optional.empty(), seats("kimi", "KimiK2", "claude", "Claude"));
        cleanup.add(one);
        cleanup.add(two);
        one.open(l1);
        two.open(l2);
        one.allJoined().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        two.allJoined().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(3, network.connectionCount(), "one connection per nick");
        assertEquals("KimiK2", one.currentNick(KIMI));
        assertEquals("KimiK2", two.currentNick(KIMI));

        one.post(KIMI, "in one");
        two.post(KIMI, "in two");
        one.notice("notice in one");
        // Different channels have their own queues: no order between them, so look at everything received.
        IrcLine inOne = seen(kate, l -> l.command().equals("PRIVMSG") && l.param(1).equals("in one"));
        IrcLine inTwo = seen(kate, l -> l.command().equals("PRIVMSG") && l.param(1).equals("in two"));
        assertEquals(List.of("#one", "KimiK2", "#two", "KimiK2"),
                List.of(inOne.param(0), inOne.nick(), inTwo.param(0), inTwo.nick()));
        IrcLine notice = seen(kate, l -> l.command().equals("NOTICE") && l.param(0).equals("#one"));
        assertEquals("parley", notice.nick());

        kate.say("#two", "hello two");
        assertEquals("hello two", l2.humans(1, WAIT).get(0).text());

        // Closing one room leaves its channel but keeps the identities for the other.
        one.closeAsync().get(10, TimeUnit.SECONDS);
        kate.await(l -> l.command().equals("PART") && l.nick().equals("KimiK2") && l.param(0).equals("#one"), WAIT);
        two.post(CLAUDE, "still in two");
        IrcLine still = kate.await(l -> l.command().equals("PRIVMSG") && l.param(1).equals("still in two"), WAIT);
        assertEquals("Claude", still.nick());
        assertTrue(kate.allLines().stream().noneMatch(l -> l.command().equals("QUIT")), kate.allLines().toString());
        assertTrue(l1.humans.isEmpty(), "room one heard room two: " + l1.humans);
        two.closeAsync().get(10, TimeUnit.SECONDS);
        kate.await(l -> l.command().equals("QUIT") && l.nick().equals("KimiK2"), WAIT);
        assertEquals(0, network.connectionCount());
    }

    @ParameterizedTest
    @EnumSource(IrcServerFixture.Kind.class)
    void typingIsShownWhereTheServerRelaysClientTags(IrcServerFixture.Kind kind) throws Exception {
        IrcServerFixture s = server(kind);
        RawIrcClient kate = RawIrcClient.connect(s.host(), s.port(), "kate", "kate", "message-tags");
        cleanup.add(kate);
        kate.join("#parley");
        IrcRoom room = room(network(s, "parley", List.of(), fast()), "#parley", seats("kimi", "KimiK2"),
                new RecordingListener());
        room.typing(KIMI, true);
        room.post(KIMI, "typed it");
        room.typing(KIMI, false);
        kate.privmsgs("#parley", 1, WAIT, "KimiK2");
        room.post(KIMI, "marker");
        kate.privmsgs("#parley", 1, WAIT, "KimiK2");
        List<String> tagmsgs = kate.allLines().stream().filter(l -> l.command().equals("TAGMSG"))
                .map(l -> l.nick() + " " + l.tags().get("+typing")).toList();
        if (kind == IrcServerFixture.Kind.INSPIRCD) {
            // InspIRCd with ircv3_ctctags relays client tags: active before the message, done after.
            assertEquals(List.of("KimiK2 active", "KimiK2 done"), tagmsgs);
        } else {
            // ngircd has no client tags: nothing is sent (and nothing breaks).
            assertEquals(List.of(), tagmsgs);
        }
    }

    /** The first line received so far (or within WAIT) that matches, without consuming anything. */
    private static IrcLine seen(RawIrcClient c, java.util.function.Predicate<IrcLine> what) {
        Waiting.upTo(WAIT).untilAsserted(() -> assertThat(c.allLines()).anyMatch(what));
        return c.allLines().stream().filter(what).findFirst().orElseThrow();
    }

    /** The messages a list appender caught so far. */
    private static List<String> logged(
            ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs) {
        synchronized (logs) { // AppenderBase.doAppend holds this lock while other threads log
            return logs.list.stream().map(e -> e.getFormattedMessage()).toList();
        }
    }
}
