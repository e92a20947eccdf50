package dev.parley.room;

import dev.parley.core.SeatId;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local terminal as a room: messages are printed with a timestamp and the speaker's name (in colour only
 * on a terminal), each line typed on stdin is the local human's message (they are the operator), and
 * end of input is not a stop: the conversation goes on without them.
 */
public final class TerminalRoom implements Room {
    private static final Logger log = LoggerFactory.getLogger(TerminalRoom.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final String[] PALETTE = {"\u001b[36m", "\u001b[35m", "\u001b[33m", "\u001b[32m", "\u001b[34m"};
    private static final String DIM = "\u001b[2m";
    private static final String RESET = "\u001b[0m";

    private final Map<SeatId, String> seatNames;
    private final String humanName;
    private final boolean colours;
    private final InputStream in;
    private final PrintStream out;
    private final Clock clock;
    /** The seats in the room: all of them until told otherwise. */
    private Set<SeatId> cast;
    private RoomListener listener;
    private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "terminal-stdin");
        t.setDaemon(true);
        return t;
    });

    public TerminalRoom(Map<SeatId, String> seatNames, String humanName, boolean colours,
                        InputStream in, PrintStream out, Clock clock) {
        this.seatNames = Map.copyOf(seatNames);
        this.humanName = humanName;
        this.colours = colours;
        this.in = in;
        this.out = out;
        this.clock = clock;
        this.cast = this.seatNames.keySet();
    }

    @Override
    public String name() {
        return "the terminal";
    }

    @Override
    public void open(RoomListener roomListener) {
        synchronized (this) {
            this.listener = roomListener;
            cast.forEach(s -> roomListener.onSeatPresence(s, true));
        }
        reader.execute(() -> readLines(roomListener));
    }

    /** Seats "join" the terminal at once; nothing is printed for those who come and go but the host's notices. */
    @Override
    public synchronized void cast(Set<SeatId> seats) {
        Set<SeatId> before = cast;
        cast = Set.copyOf(seats);
        if (listener != null) {
            seats.stream().filter(s -> !before.contains(s)).forEach(s -> listener.onSeatPresence(s, true));
        }
    }

    private void readLines(RoomListener listener) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    listener.onHuman(Inbound.say(humanName, line, true));
                }
            }
        } catch (java.io.IOException e) {
            log.debug("stdin closed", e);
        }
    }

    @Override
    public synchronized void post(SeatId seat, String text) {
        String name = seatNames.getOrDefault(seat, seat.value());
        String colour = colours ? PALETTE[Math.floorMod(seat.hashCode(), PALETTE.length)] : "";
        String[] lines = safe(text).split("\n", -1);
        out.println(stamp() + colour + name + (colours ? RESET : "") + ": " + lines[0]);
        String indent = " ".repeat(stamp().length() + name.length() + 2);
        for (int i = 1; i < lines.length; i++) {
            out.println(indent + lines[i]);
        }
        out.flush();
    }

    @Override
    public synchronized void notice(String text) {
        out.println(stamp() + (colours ? DIM : "") + "* " + safe(text).replace("\n", " ") + (colours ? RESET : ""));
        out.flush();
    }

    @Override
    public synchronized void relay(String sender, String text) {
        out.println(stamp() + "<" + safe(sender) + "> " + safe(text));
        out.flush();
    }

    @Override
    public void close() {
        reader.shutdownNow();
        out.flush();
    }

    private String stamp() {
        return "[" + LocalTime.now(clock).format(TIME) + "] ";
    }

    /** A model's text must not drive the terminal: escape sequences and other controls are shown, not obeyed. */
    static String safe(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp == '\n' || cp == '\t' || !Character.isISOControl(cp)) {
                sb.appendCodePoint(cp);
            } else if (cp != '\r') {
                sb.append(String.format("\\u%04x", cp));
            }
        });
        return sb.toString();
    }
}
