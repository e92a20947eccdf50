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
        String origin,
        HttpConfig http) {
    public ParleyConfig {
        conversations = List.copyOf(conversations);
        ircNetworks = Map.copyOf(ircNetworks);
        matrixServers = Map.copyOf(matrixServers);
    }

    /** A config without the web view. */
    public ParleyConfig(Path transcriptsDir, ZoneId timeZone, List<ConversationConfig> conversations,
                        Map<String, IrcNetworkConfig> ircNetworks, Map<String, MatrixServerConfig> matrixServers,
                        String origin) {
        this(transcriptsDir, timeZone, conversations, ircNetworks, matrixServers, origin, HttpConfig.OFF);
    }
}
