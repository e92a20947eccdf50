package dev.parley.irc;

import dev.parley.config.IrcIdentity;
import dev.parley.config.IrcNetworkConfig;
import dev.parley.config.RoomConfig;
import dev.parley.config.SeatConfig;
import dev.parley.core.Scheduler;
import dev.parley.core.SeatId;
import dev.parley.core.Telemetry;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Makes the IRC rooms of a daemon from their config, one {@link IrcNetwork} per configured network, so that all
 * rooms on a network share its connections (one per nick). Keep one instance for the daemon's lifetime.
 */
public final class IrcRooms implements AutoCloseable {
    private final Map<String, IrcNetworkConfig> configs;
    private final Scheduler scheduler;
    private final Map<String, IrcNetwork> networks = new HashMap<>();
    private final Telemetry telemetry;

    public IrcRooms(Map<String, IrcNetworkConfig> networks, Scheduler scheduler) {
        this(networks, scheduler, Telemetry.NOOP);
    }

    /** @param telemetry where the connections report their state and reconnects */
    public IrcRooms(Map<String, IrcNetworkConfig> networks, Scheduler scheduler, Telemetry telemetry) {
        this.configs = Map.copyOf(networks);
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    }

    /** The room for {@code room}, with the seats that have an IRC identity (others are simply not shown there). */
    public synchronized IrcRoom create(RoomConfig.Irc room, List<SeatConfig> seats) {
        IrcNetworkConfig config = configs.get(room.network());
        if (config == null) {
            throw new IllegalArgumentException("no irc network named \"" + room.network() + "\"");
        }
        Map<SeatId, IrcIdentity> identities = new LinkedHashMap<>();
        for (SeatConfig s : seats) {
            s.irc().ifPresent(id -> identities.put(s.id(), id));
        }
        return networks.computeIfAbsent(room.network(), n -> new IrcNetwork(config, scheduler, telemetry))
                .room(room, identities);
    }

    /** Closes what rooms left open (rooms close themselves first in an orderly shutdown). */
    @Override
    public synchronized void close() {
        networks.values().forEach(IrcNetwork::close);
        networks.clear();
    }
}
