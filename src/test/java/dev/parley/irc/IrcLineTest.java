package dev.parley.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IrcLineTest {
    @Test
    void parsesPrivmsgKeepingTrailingSpaces() {
        IrcLine l = IrcLine.parse(":kate!~k@host.example PRIVMSG #parley :hello  there  ");
        assertEquals("PRIVMSG", l.command());
        assertEquals(List.of("#parley", "hello  there  "), l.params());
        assertEquals("kate", l.nick());
        assertEquals("~k", l.user());
        assertEquals("host.example", l.host());
    }

    @Test
    void parsesTagsWithEscapes() {
        IrcLine l = IrcLine.parse("@account=kate;time=2026-01-01T00:00:00Z;x=a\\sb\\:c\\\\ :kate!k@h PRIVMSG #p :hi");
        assertEquals(Map.of("account", "kate", "time", "2026-01-01T00:00:00Z", "x", "a b;c\\"), l.tags());
        assertEquals("hi", l.param(1));
    }

    @Test
    void parsesNumericsAndMiddleParams() {
        IrcLine l = IrcLine.parse(":irc.local 433 * kimi :Nickname already in use");
        assertEquals("433", l.command());
        assertEquals("kimi", l.param(1));
        assertEquals("irc.local", l.nick());
        assertEquals("", l.user());
    }

    @Test
    void parsesExtendedJoinAndLinesWithoutPrefix() {
        IrcLine join = IrcLine.parse(":kate!k@h JOIN #parley kate :Kate K");
        assertEquals(List.of("#parley", "kate", "Kate K"), join.params());
        IrcLine ping = IrcLine.parse("PING :irc.local");
        assertEquals("PING", ping.command());
        assertEquals("", ping.source());
        assertEquals("irc.local", ping.param(0));
        assertEquals("", ping.param(5));
    }

    @Test
    void operatorByMaskIsCaseInsensitiveGlob() {
        OperatorRules rules = new OperatorRules(List.of("KateAccount"), List.of("kate!*@*.example.org", "mod?!*@*"));
        assertTrue(rules.isOperator("Kate", "~k", "home.EXAMPLE.org", Optional.empty()));
        assertTrue(rules.isOperator("mod1", "u", "anywhere", Optional.empty()));
        assertFalse(rules.isOperator("mod12", "u", "anywhere", Optional.empty()));
        assertFalse(rules.isOperator("kate", "~k", "example.org.evil", Optional.empty()));
        assertFalse(rules.isOperator("bob", "b", "h", Optional.empty()));
    }

    @Test
    void operatorByAccount() {
        OperatorRules rules = new OperatorRules(List.of("KateAccount"), List.of());
        assertTrue(rules.isOperator("whoever", "u", "h", Optional.of("kateaccount")));
        assertFalse(rules.isOperator("whoever", "u", "h", Optional.of("*")));
        assertFalse(rules.isOperator("kateaccount", "u", "h", Optional.empty()));
    }

    @Test
    void globSpecialCharactersAreLiteral() {
        OperatorRules rules = new OperatorRules(List.of(), List.of("a.b[c]!*@*"));
        assertTrue(rules.isOperator("a.b[c]", "u", "h", Optional.empty()));
        assertFalse(rules.isOperator("axb[c]", "u", "h", Optional.empty()));
    }

    @Test
    void backoffDoublesWithJitterAndIsCapped() {
        ReconnectDelays fixedHigh = new ReconnectDelays(Duration.ofSeconds(1), Duration.ofSeconds(10), () -> 1.0);
        assertEquals(List.of(1000L, 2000L, 4000L, 8000L, 10000L, 10000L),
                List.of(fixedHigh.next().toMillis(), fixedHigh.next().toMillis(), fixedHigh.next().toMillis(),
                        fixedHigh.next().toMillis(), fixedHigh.next().toMillis(), fixedHigh.next().toMillis()));
        fixedHigh.reset();
        assertEquals(1000L, fixedHigh.next().toMillis());
        ReconnectDelays low = new ReconnectDelays(Duration.ofSeconds(1), Duration.ofSeconds(10), () -> 0.0);
        assertEquals(500L, low.next().toMillis());
        for (int i = 0; i < 100; i++) {
            assertTrue(low.next().toMillis() <= 10_000);
        }
    }

    @Test
    void secretsAreRedactedFromLoggedLines() {
        assertEquals("PASS <redacted>", RedactingOutputRaw.redact("PASS hunter2"));
        assertEquals("AUTHENTICATE <redacted>", RedactingOutputRaw.redact("AUTHENTICATE a2ltaQBraW1pAGh1bnRlcjI="));
        assertEquals("AUTHENTICATE PLAIN", RedactingOutputRaw.redact("AUTHENTICATE PLAIN"));
        assertEquals("PRIVMSG NickServ :<redacted>", RedactingOutputRaw.redact("PRIVMSG NickServ :IDENTIFY hunter2"));
        assertEquals("JOIN #locked <redacted>", RedactingOutputRaw.redact("JOIN #locked sesame"));
        assertEquals("JOIN #open", RedactingOutputRaw.redact("JOIN #open"));
        assertEquals("PRIVMSG #c :hello", RedactingOutputRaw.redact("PRIVMSG #c :hello"));
    }
}
