package dev.parley.app;

import dev.parley.config.ConversationConfig;
import dev.parley.config.ParleyConfig;
import dev.parley.config.RoomConfig;
import dev.parley.config.SeatConfig;
import dev.parley.core.SeatId;
import dev.parley.room.Room;
import dev.parley.room.TerminalRoom;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the rooms a conversation is shown in, from their config. */
final class Rooms {
    private final ParleyConfig config;
    private final InputStream stdin;
    private final PrintStream stdout;

    Rooms(ParleyConfig config, InputStream stdin, PrintStream stdout) {
        this.config = config;
        this.stdin = stdin;
        this.stdout = stdout;
    }

    Room create(ConversationConfig conversation, RoomConfig room) {
        Map<SeatId, String> names = new LinkedHashMap<>();
        for (SeatConfig s : conversation.seats()) {
            names.put(s.id(), s.name());
        }
        if (room instanceof RoomConfig.Terminal t) {
            return new TerminalRoom(names, t.humanName(), t.colours(), stdin, stdout, Clock.system(config.timeZone()));
        }
        throw new IllegalArgumentException("room type " + room.getClass().getSimpleName().toLowerCase()
                + " is not available in this build");
    }
}
