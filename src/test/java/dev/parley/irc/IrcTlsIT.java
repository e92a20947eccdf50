package dev.parley.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.IrcIdentity;
import dev.parley.config.IrcNetworkConfig;
import dev.parley.config.IrcOptions;
import dev.parley.core.SeatId;
import dev.parley.core.SystemScheduler;
import dev.parley.testsupport.RequireServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TLS against ngircd's TLS port: verified always, a self-signed server only when its certificate is trusted. */
class IrcTlsIT {
    private final SystemScheduler scheduler = new SystemScheduler();
    private IrcServerFixture server;

    @BeforeEach
    void start() throws Exception {
        RequireServers.assume(IrcServerFixture.Kind.NGIRCD.installed(), IrcServerFixture.Kind.NGIRCD.packageHint());
        server = IrcServerFixture.startWithTls();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        scheduler.close();
    }

    private IrcRoom room(String host, Optional<String> trusted) {
        IrcOptions options = IrcOptions.DEFAULTS.withPacing(Duration.ZERO, 1)
                .withReconnect(Duration.ofMillis(200), Duration.ofSeconds(1));
        IrcNetworkConfig net = new IrcNetworkConfig("tls", host, server.tlsPort(), true, trusted, Optional.empty(),
                "parley", "parley test", List.of(), List.of(), options);
        return new IrcRoom(net, "#secure", Optional.empty(),
                Map.of(SeatId.of("kimi"), new IrcIdentity("KimiK2", Optional.empty())), scheduler);
    }

    @Test
    void joinsOverTlsWhenTheServerCertificateIsTrusted() throws Exception {
        RawIrcClient kate = RawIrcClient.connect(server.host(), server.port(), "kate", "kate");
        kate.join("#secure");
        IrcRoom room = room("localhost", Optional.of(server.certificate().toString()));
        try {
            room.open(new RecordingListener());
            room.allJoined().get(20, TimeUnit.SECONDS);
            room.post(SeatId.of("kimi"), "over TLS");
            assertEquals("over TLS", kate.privmsgs("#secure", 1, Duration.ofSeconds(20), "KimiK2").get(0).param(1));
        } finally {
            room.closeAsync().get(10, TimeUnit.SECONDS);
            kate.close();
        }
    }

    @Test
    void refusesAnUntrustedCertificate() throws Exception {
        IrcRoom room = room("localhost", Optional.empty());
        try {
            RecordingListener listener = new RecordingListener();
            room.open(listener);
            assertThrows(TimeoutException.class, () -> room.allJoined().get(3, TimeUnit.SECONDS));
            assertTrue(listener.problems.stream().anyMatch(p -> p.contains("TLS")), listener.problems.toString());
            // Reported once per identity, not once per retry.
            assertEquals(2, listener.problems.size(), listener.problems.toString());
        } finally {
            room.closeAsync().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void refusesACertificateForAnotherHostEvenIfTrusted() throws Exception {
        // The certificate names localhost and 127.0.0.1; 127.0.0.2 reaches the same server under another name.
        Path other = Files.createTempFile("parley-cert", ".pem");
        Files.copy(server.certificate(), other, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        IrcRoom room = room("127.0.0.2", Optional.of(other.toString()));
        try {
            RecordingListener listener = new RecordingListener();
            room.open(listener);
            assertThrows(TimeoutException.class, () -> room.allJoined().get(3, TimeUnit.SECONDS));
            assertFalse(listener.presence.contains("kimi+"));
            assertTrue(listener.problems.stream().anyMatch(p -> p.contains("TLS")), listener.problems.toString());
        } finally {
            room.closeAsync().get(10, TimeUnit.SECONDS);
            Files.deleteIfExists(other);
        }
    }
}
