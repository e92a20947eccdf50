package dev.parley.irc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DirectMessagesTest {

    @Test
    void theFirstWordNamesAChannelWhenItHasAChannelPrefix() {
        assertThat(DirectMessages.addressedChannel("#rust !stop")).hasValue("#rust");
        assertThat(DirectMessages.addressedChannel("&local")).hasValue("&local");
        assertThat(DirectMessages.addressedChannel("!stop")).hasValue("!stop");
        assertThat(DirectMessages.addressedChannel("stop #rust")).isEmpty();
        assertThat(DirectMessages.addressedChannel(" #rust")).isEmpty();
        assertThat(DirectMessages.addressedChannel("")).isEmpty();
    }
}
