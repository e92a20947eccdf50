package dev.parley.config;

import java.util.List;
import java.util.Optional;

/** A Matrix homeserver: its client-server URL, the control identity, and who may run commands. */
public record MatrixServerConfig(
        String name,
        String homeserverUrl,
        String controlUser,
        Optional<Secret> controlToken,
        List<String> operators) {
    public MatrixServerConfig {
        operators = List.copyOf(operators);
    }
}
