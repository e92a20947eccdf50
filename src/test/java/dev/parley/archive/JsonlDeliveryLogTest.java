package dev.parley.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlDeliveryLogTest {
    private static final String EPISODE = "talk/talk-20260101-000000";

    @TempDir
    Path dir;

    @Test
    void marksSurviveARestartPerRoomAndEpisodeAndTheHighestWins() {
        JsonlDeliveryLog log = new JsonlDeliveryLog(dir);
        log.delivered("irc #a on net", EPISODE, 5);
        log.delivered("irc #a on net", EPISODE, 3);
        log.delivered("matrix !r:hs", EPISODE, 9);

        JsonlDeliveryLog restarted = new JsonlDeliveryLog(dir);
        assertThat(restarted.deliveredUpTo("irc #a on net", EPISODE)).isEqualTo(5);
        assertThat(restarted.deliveredUpTo("matrix !r:hs", EPISODE)).isEqualTo(9);
        assertThat(restarted.deliveredUpTo("matrix !r:hs", "talk/other")).isZero();
        assertThat(dir.resolve("talk/talk-20260101-000000.jsonl")).isRegularFile();
    }

    @Test
    void aLineTornByAKillCostsNothingButItself() throws Exception {
        new JsonlDeliveryLog(dir).delivered("room", EPISODE, 7);
        Files.write(dir.resolve("talk/talk-20260101-000000.jsonl"), "{\"room\":\"room\",\"se".getBytes(
                StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        assertThat(new JsonlDeliveryLog(dir).deliveredUpTo("room", EPISODE)).isEqualTo(7);
    }

    @Test
    void aMarkThatCannotBeWrittenIsKeptInMemoryAndNothingThrows() throws Exception {
        Files.writeString(dir.resolve("talk"), "a file where the episode's folder should be");
        JsonlDeliveryLog log = new JsonlDeliveryLog(dir);
        log.delivered("room", EPISODE, 4);

        assertThat(log.deliveredUpTo("room", EPISODE)).isEqualTo(4);
    }
}
