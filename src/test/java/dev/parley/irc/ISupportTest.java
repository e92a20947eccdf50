package dev.parley.irc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ISupportTest {
    private final ISupport isupport = new ISupport();

    @Test
    void tokensAndValuesFromBothServersLines() {
        // As ngircd 26 and InspIRCd 3 sent them (measured).
        isupport.add(IrcLine.parse(":irc.parley.test 005 probe RFC2812 IRCD=ngIRCd CHARSET=UTF-8 CASEMAPPING=ascii"
                + " PREFIX=(qaohv)~&@%+ CHANTYPES=#&+ :are supported on this server"));
        assertThat(isupport.supports("RFC2812")).isTrue();
        assertThat(isupport.supports("whox")).isFalse();
        assertThat(isupport.value("PREFIX")).hasValue("(qaohv)~&@%+");
        assertThat(isupport.value("RFC2812")).hasValue("");
        assertThat(isupport.caseMapping()).isEqualTo(CaseMapping.ASCII);

        isupport.clear();
        isupport.add(IrcLine.parse(":irc.parley.test 005 probe MAXTARGETS=20 NICKLEN=30 PREFIX=(ov)@+ WHOX"
                + " :are supported by this server"));
        isupport.add(IrcLine.parse(":irc.parley.test 005 probe AWAYLEN=200 CASEMAPPING=rfc1459 CHANTYPES=#"
                + " :are supported by this server"));
        assertThat(isupport.supports("WHOX")).isTrue();
        assertThat(isupport.supports("whox")).isTrue();
        assertThat(isupport.supports("RFC2812")).as("cleared with the last session").isFalse();
        assertThat(isupport.value("NICKLEN")).hasValue("30");
        assertThat(isupport.caseMapping()).isEqualTo(CaseMapping.RFC1459);
    }

    @Test
    void theNicknameAndTheTrailerAreNoTokens() {
        isupport.add(IrcLine.parse(":s 005 WHOX EXCEPTS :are supported by this server"));
        assertThat(isupport.supports("EXCEPTS")).isTrue();
        assertThat(isupport.supports("WHOX")).isFalse();
        assertThat(isupport.supports("are supported by this server")).isFalse();
    }

    @Test
    void aNegatedTokenIsWithdrawn() {
        isupport.add(IrcLine.parse(":s 005 me WHOX CASEMAPPING=strict-rfc1459 :are supported"));
        assertThat(isupport.caseMapping()).isEqualTo(CaseMapping.STRICT_RFC1459);
        isupport.add(IrcLine.parse(":s 005 me -WHOX -CASEMAPPING :are supported"));
        assertThat(isupport.supports("WHOX")).isFalse();
        assertThat(isupport.caseMapping()).isEqualTo(CaseMapping.DEFAULT);
    }

    @Test
    void untilTheServerSaysTheMappingIsTheProtocolsDefault() {
        assertThat(isupport.caseMapping()).isEqualTo(CaseMapping.RFC1459);
        isupport.add(IrcLine.parse(":s 005 me CASEMAPPING=ascii :are supported"));
        isupport.clear();
        assertThat(isupport.caseMapping()).isEqualTo(CaseMapping.RFC1459);
    }
}
