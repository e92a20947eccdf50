package dev.parley.irc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.config.IrcIdentity;
import dev.parley.config.IrcNetworkConfig;
import dev.parley.config.IrcOptions;
import dev.parley.core.SeatId;
import dev.parley.core.SystemScheduler;
import dev.parley.core.Telemetry;
import dev.parley.testsupport.RequireServers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the connections report for /metrics, on a real ngircd that is killed and started again. */
class IrcTelemetryIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** The last state each nick reported, and how many reconnects. */
    private static final class Recording implements Telemetry {
        final Map<String, Boolean> up = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> reconnects = new ConcurrentHashMap<>();

        @Override
        public void ircConnection(String network, String nick, boolean connected) {
            up.put(network + "/" + nick, connected);
        }

        @Override
        public void ircReconnect(String network, String nick) {
            reconnects.computeIfAbsent(network + "/" + nick, k -> new AtomicInteger()).incrementAndGet();
        }
    }

    @Test
    void connectionsReportUpDownAndEachReconnect() throws Exception {
        RequireServers.assume(IrcServerFixture.Kind.NGIRCD.installed(), IrcServerFixture.Kind.NGIRCD.packageHint());
        SystemScheduler scheduler = new SystemScheduler();
        Recording telemetry = new Recording();
        IrcOptions options = IrcOptions.DEFAULTS.withPacing(Duration.ZERO, 1)
                .withReconnect(Duration.ofMillis(500), Duration.ofSeconds(2));
        try (IrcServerFixture s = IrcServerFixture.start(IrcServerFixture.Kind.NGIRCD)) {
            IrcNetworkConfig config = new IrcNetworkConfig("local", s.host(), s.port(), false, Optional.empty(),
                    Optional.empty(), "parley", "parley test", List.of(), List.of(), options);
            IrcNetwork network = new IrcNetwork(config, scheduler, telemetry);
            IrcRoom room = network.room("#metrics", Optional.empty(),
                    Map.of(SeatId.of("ada"), new IrcIdentity("Ada", Optional.empty())));
            RecordingListener listener = new RecordingListener();
            try {
                room.open(listener);
                room.allJoined().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(telemetry.up).containsEntry("local/parley", true).containsEntry("local/Ada", true);
                assertThat(telemetry.reconnects).isEmpty();

                s.kill();
                await().atMost(WAIT).until(() -> Boolean.FALSE.equals(telemetry.up.get("local/parley"))
                        && Boolean.FALSE.equals(telemetry.up.get("local/Ada")));
                await().atMost(WAIT).until(() -> telemetry.reconnects.containsKey("local/Ada"));
                s.restart();
                await().atMost(WAIT).until(() -> Boolean.TRUE.equals(telemetry.up.get("local/parley"))
                        && Boolean.TRUE.equals(telemetry.up.get("local/Ada")));
                assertThat(telemetry.reconnects.get("local/parley").get()).isGreaterThanOrEqualTo(1);
                assertThat(telemetry.reconnects.get("local/Ada").get()).isGreaterThanOrEqualTo(1);
                System.out.printf("IrcTelemetryIT: reconnect attempts while the server was down: %s%n",
                        telemetry.reconnects);
            } finally {
                room.close();
                network.close();
                scheduler.close();
            }
        }
    }
}
