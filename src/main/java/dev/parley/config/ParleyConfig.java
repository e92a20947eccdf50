package dev.parley.config;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** The whole validated configuration of one daemon. */
public record ParleyConfig(
        Path transcriptsDir,
        ZoneId timeZone,
        List<ConversationConfig> conversations,
        Map<String, IrcNetworkConfig> ircNetworks,
        Map<String, MatrixServerConfig> matrixServers,
        String origin) {
    public ParleyConfig {
        conversations = List.copyOf(conversations);
        ircNetworks = Map.copyOf(ircNetworks);
        matrixServers = Map.copyOf(matrixServers);
    }
}
