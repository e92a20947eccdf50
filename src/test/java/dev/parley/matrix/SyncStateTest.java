package dev.parley.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncStateTest {
    @Test
    void aTokenBelongsToItsUserAndRoom(@TempDir Path dir) throws Exception {
        SyncState s = new SyncState(dir.resolve("sub/state.json"));
        assertNull(s.load("@a:hs", "!r:hs"));
        s.save("@a:hs", "!r:hs", "s12_3");
        assertEquals("s12_3", new SyncState(dir.resolve("sub/state.json")).load("@a:hs", "!r:hs"));
        assertNull(s.load("@b:hs", "!r:hs"));
        assertNull(s.load("@a:hs", "!other:hs"));
        Files.writeString(dir.resolve("sub/state.json"), "{torn");
        assertNull(s.load("@a:hs", "!r:hs"));
    }

    @Test
    void replyFallbacksAreStripped() {
        assertEquals("my answer", InboundEvents.stripReplyFallback("> <@bob:hs> question\n> more\n\nmy answer"));
        assertEquals("no quote", InboundEvents.stripReplyFallback("no quote"));
    }
}
