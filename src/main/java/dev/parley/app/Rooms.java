package dev.parley.app;

import dev.parley.archive.JsonlDeliveryLog;
import dev.parley.config.ConversationConfig;
import dev.parley.config.IrcNetworkConfig;
import dev.parley.config.ParleyConfig;
import dev.parley.config.RoomConfig;
import dev.parley.config.SeatConfig;
import dev.parley.core.Scheduler;
import dev.parley.core.SeatId;
import dev.parley.core.Telemetry;
import dev.parley.irc.IrcRooms;
import dev.parley.matrix.MatrixRooms;
import dev.parley.room.DeliveryLog;
import dev.parley.room.OutboxRoom;
import dev.parley.room.Room;
import dev.parley.room.TerminalRoom;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;

/**
 * Builds the rooms a conversation is shown in, from their config. IRC rooms on one network share its connections;
 * a reload that changes the networks gets connections of its own for the rooms made from then on.
 */
final class Rooms {
    private final ParleyConfig config;
    private final InputStream stdin;
    private final PrintStream stdout;
    private final Scheduler scheduler;
    private final Supplier<OkHttpClient> http;
    private final Telemetry telemetry;
    private final Map<Map<String, IrcNetworkConfig>, IrcRooms> ircRooms = new HashMap<>();
    private JsonlDeliveryLog deliveries;

    Rooms(ParleyConfig config, InputStream stdin, PrintStream stdout, Scheduler scheduler,
          Supplier<OkHttpClient> http) {
        this(config, stdin, stdout, scheduler, http, Telemetry.NOOP);
    }

    /** @param telemetry where IRC connections and Matrix rooms report what the metrics show of them */
    Rooms(ParleyConfig config, InputStream stdin, PrintStream stdout, Scheduler scheduler,
          Supplier<OkHttpClient> http, Telemetry telemetry) {
        this.telemetry = telemetry;
        this.config = config;
        this.stdin = stdin;
        this.stdout = stdout;
        this.scheduler = scheduler;
        this.http = http;
    }

    /** Where rooms keep what must survive a restart (Matrix sync positions): beside the journals. */
    Path stateDir() {
        return config.transcriptsDir().resolve("state");
    }

    /** Makes one kind of room from its record. */
    @FunctionalInterface
    private interface Maker {
        Room make(Rooms rooms, ParleyConfig top, ConversationConfig conversation, RoomConfig room);
    }

    /**
     * Each room type config reads, by its {@link RoomConfig#type()}, with how it is built: a new type of room adds
     * a line here and its own package.
     */
    private static final Map<String, Maker> MAKERS = Map.of(
            RoomConfig.Terminal.TYPE, (rooms, top, conversation, room) -> rooms.terminal(conversation,
                    (RoomConfig.Terminal) room),
            RoomConfig.Irc.TYPE, (rooms, top, conversation, room) -> rooms.ircRooms(top.ircNetworks())
                    .create((RoomConfig.Irc) room, conversation.seats()),
            // MatrixRooms gives the client a read timeout longer than the /sync long poll.
            RoomConfig.Matrix.TYPE, (rooms, top, conversation, room) -> MatrixRooms.create(top.matrixServers(),
                    (RoomConfig.Matrix) room, conversation.seats(), rooms.stateDir(), rooms.scheduler,
                    rooms.http.get(), rooms.telemetry));

    /** The room types this daemon can build. */
    static Set<String> types() {
        return MAKERS.keySet();
    }

    /** A room of {@code conversation} with every seat of its roster, on the networks of {@code top}. */
    Room create(ParleyConfig top, ConversationConfig conversation, RoomConfig room) {
        Maker maker = MAKERS.get(room.type());
        if (maker == null) {
            throw new IllegalArgumentException("unknown room type " + room.type());
        }
        return maker.make(this, top, conversation, room);
    }

    private Room terminal(ConversationConfig conversation, RoomConfig.Terminal t) {
        Map<SeatId, String> names = new LinkedHashMap<>();
        for (SeatConfig s : conversation.seats()) {
            names.put(s.id(), s.name());
        }
        return new TerminalRoom(names, t.humanName(), t.colours(), stdin, stdout, Clock.system(config.timeZone()));
    }

    /**
     * The room with a durable outbox: what a conversation journals for it is recorded as delivered once its server
     * has it, and a resumed episode sends the rest first (keys and marks per episode; see docs/matrix.md,
     * docs/irc.md). Wrap each room once, for its whole life: the same wrapper serves every episode shown in it.
     */
    Room withOutbox(Room room) {
        return new OutboxRoom(room, deliveries());
    }

    /** Marks of how far each room delivered each episode: {@code <state>/delivered/<conversation>/<journal>.jsonl}. */
    private synchronized DeliveryLog deliveries() {
        if (deliveries == null) {
            deliveries = new JsonlDeliveryLog(stateDir().resolve("delivered"));
        }
        return deliveries;
    }

    /** One connection per nick per network, shared by every room on it, so rooms do not fight over nicks. */
    private synchronized IrcRooms ircRooms(Map<String, IrcNetworkConfig> networks) {
        return ircRooms.computeIfAbsent(networks, n -> new IrcRooms(n, scheduler, telemetry));
    }

    /** Closes the shared IRC connections the rooms left open (after the rooms themselves closed). */
    synchronized void close() {
        ircRooms.values().forEach(IrcRooms::close);
        ircRooms.clear();
        if (deliveries != null) {
            deliveries.close();
        }
    }
}
