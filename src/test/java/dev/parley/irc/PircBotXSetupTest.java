package dev.parley.irc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PircBotXSetupTest {
    @Test
    void channelTalkIsReadOnlyFromTheRawLineButCtcpAndEverythingElseStillReachPircBotX() {
        assertThat(PircBotXSetup.talk(IrcLine.parse(":ada!a@h PRIVMSG #parley :hello there"))).isTrue();
        assertThat(PircBotXSetup.talk(IrcLine.parse(":srv NOTICE ada :*** Looking up your hostname"))).isTrue();
        assertThat(PircBotXSetup.talk(IrcLine.parse("@+typing=active :ada!a@h PRIVMSG #parley :x"))).isTrue();
        assertThat(PircBotXSetup.talk(IrcLine.parse(":kate!k@h PRIVMSG ada :\u0001VERSION\u0001"))).isFalse();
        assertThat(PircBotXSetup.talk(IrcLine.parse(":kate!k@h PRIVMSG ada :\u0001PING 123\u0001"))).isFalse();
        assertThat(PircBotXSetup.talk(IrcLine.parse("PING :irc.example"))).isFalse();
        assertThat(PircBotXSetup.talk(IrcLine.parse(":srv 001 ada :Welcome"))).isFalse();
        assertThat(PircBotXSetup.talk(IrcLine.parse(":ada!a@h JOIN #parley"))).isFalse();
    }
}
