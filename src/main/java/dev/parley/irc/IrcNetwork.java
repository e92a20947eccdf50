package dev.parley.irc;

import dev.parley.config.IrcIdentity;
import dev.parley.config.IrcNetworkConfig;
import dev.parley.config.RoomConfig;
import dev.parley.config.Secret;
import dev.parley.core.Scheduler;
import dev.parley.core.SeatId;
import dev.parley.core.Telemetry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The connections parley holds on one IRC network: one per nick, shared by every room that uses that nick. Two
 * conversations on one network share the control identity (notices come from the same "parley" in both channels,
 * instead of the second one fighting the first for its nick), and a seat shown in two channels speaks in both
 * over one connection. Create one per configured network and make its rooms with {@link #room}.
 */
public final class IrcNetwork implements AutoCloseable {
    private final IrcNetworkConfig config;
    private final Scheduler scheduler;
    private final Map<String, IrcConnection> connections = new HashMap<>();
    private final Telemetry telemetry;

    public IrcNetwork(IrcNetworkConfig config, Scheduler scheduler) {
        this(config, scheduler, Telemetry.NOOP);
    }

    /** @param telemetry where each connection reports its state and reconnects */
    public IrcNetwork(IrcNetworkConfig config, Scheduler scheduler, Telemetry telemetry) {
        this.config = Objects.requireNonNull(config, "config");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    }

    public IrcNetworkConfig config() {
        return config;
    }

    /** A room in {@code channel} on this network for the given seats; connects when the room is opened. */
    public IrcRoom room(String channel, Optional<Secret> key, Map<SeatId, IrcIdentity> identities) {
        return new IrcRoom(this, channel, key, identities);
    }

    /** The room of a {@link RoomConfig.Irc} (its network must be this one). */
    public IrcRoom room(RoomConfig.Irc room, Map<SeatId, IrcIdentity> identities) {
        return room(room.channel(), room.key(), identities);
    }

    Scheduler scheduler() {
        return scheduler;
    }

    /**
     * The connection of {@code nick}, made on first use; the first user's password and capabilities stick. Nicks
     * are told apart before any server said its CASEMAPPING, so by the protocol's default one.
     */
    synchronized IrcConnection connection(String nick, Optional<Secret> password, boolean control) {
        String key = CaseMapping.DEFAULT.fold(nick);
        IrcConnection c = connections.get(key);
        if (c == null) {
            IrcConnection[] made = new IrcConnection[1];
            made[0] = new IrcConnection(nick, password, control, config, scheduler, () -> forget(key, made[0]));
            c = made[0];
            c.telemetry(telemetry);
            connections.put(key, c);
        }
        return c;
    }

    /** A room is done with a connection; the last one out closes it, and the network forgets it at once. */
    synchronized CompletableFuture<Void> release(IrcConnection.Member member, Duration grace) {
        CompletableFuture<Void> done = member.release(grace);
        IrcConnection c = member.connection();
        if (c.isClosing()) {
            connections.remove(CaseMapping.DEFAULT.fold(c.wantedNick()), c);
        }
        return done;
    }

    private synchronized void forget(String key, IrcConnection c) {
        connections.remove(key, c);
    }

    synchronized int connectionCount() {
        return connections.size();
    }

    /** Closes every connection at once (rooms should be closed first; this is the daemon's last word). */
    @Override
    public void close() {
        Map<String, IrcConnection> all;
        synchronized (this) {
            all = new HashMap<>(connections);
            connections.clear();
        }
        all.values().forEach(c -> c.closeNow(Duration.ofSeconds(3)));
    }
}
