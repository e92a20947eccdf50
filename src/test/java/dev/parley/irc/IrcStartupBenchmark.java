package dev.parley.irc;

import dev.parley.config.IrcIdentity;
import dev.parley.config.IrcNetworkConfig;
import dev.parley.config.IrcOptions;
import dev.parley.core.SeatId;
import dev.parley.core.SystemScheduler;
import dev.parley.room.RoomListener;
import dev.parley.room.Inbound;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Start-up figure for the IRC room: from JVM start to the control identity and every seat joined on a local
 * ngircd. Run in a fresh JVM (see docs/irc.md):
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) dev.parley.irc.IrcStartupBenchmark [seats] [port]}.
 * Without a port it starts ngircd itself and reports that time separately (it is not parley's).
 */
public final class IrcStartupBenchmark {
    private IrcStartupBenchmark() { }

    public static void main(String[] args) throws Exception {
        int seatCount = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        long serverMs = 0;
        IrcServerFixture fixture = null;
        int port;
        if (args.length > 1) {
            port = Integer.parseInt(args[1]);
        } else {
            long t = System.nanoTime();
            fixture = IrcServerFixture.start(IrcServerFixture.Kind.NGIRCD);
            serverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t);
            port = fixture.port();
        }
        SystemScheduler scheduler = new SystemScheduler();
        IrcNetworkConfig net = new IrcNetworkConfig("bench", "127.0.0.1", port, false, Optional.empty(),
                Optional.empty(), "parley", "parley benchmark", List.of(), List.of(),
                IrcOptions.DEFAULTS.withPacing(Duration.ZERO, 1));
        Map<SeatId, IrcIdentity> seats = new LinkedHashMap<>();
        for (int i = 0; i < seatCount; i++) {
            seats.put(SeatId.of("seat" + i), new IrcIdentity("Seat" + i, Optional.empty()));
        }
        IrcRoom room = new IrcRoom(net, "#bench", Optional.empty(), seats, scheduler);
        long open = System.nanoTime();
        room.open(new RoomListener() {
            @Override
            public void onHuman(Inbound message) { }
        });
        room.allJoined().get(30, TimeUnit.SECONDS);
        long joinedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - open);
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        System.out.printf("[irc-startup] %d identities (control + %d seats) joined: room open -> joined %d ms; "
                        + "JVM start -> joined %d ms (of which starting ngircd %d ms, not parley's)%n",
                seatCount + 1, seatCount, joinedMs, uptime, serverMs);
        room.closeAsync().get(10, TimeUnit.SECONDS);
        scheduler.close();
        if (fixture != null) {
            fixture.close();
        }
    }
}
