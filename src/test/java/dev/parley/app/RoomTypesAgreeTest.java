package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.config.RoomConfig;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Every kind of room the config can give is one the daemon can build, and the other way round. */
class RoomTypesAgreeTest {
    @Test
    void everyRoomRecordHasAMaker() throws Exception {
        var configTypes = Arrays.stream(RoomConfig.class.getPermittedSubclasses())
                .map(c -> {
                    try {
                        return (String) c.getField("TYPE").get(null);
                    } catch (ReflectiveOperationException e) {
                        throw new AssertionError(c + " has no TYPE", e);
                    }
                }).toList();
        assertThat(configTypes).containsExactlyInAnyOrder("terminal", "irc", "matrix");
        assertThat(Rooms.types()).containsExactlyInAnyOrderElementsOf(configTypes);
    }
}
