package dev.parley.config;

import java.util.List;
import java.util.Optional;

/**
 * An IRC network: where to connect, the control identity's nick, and who may run commands there.
 * Operators are services account names or nick!user@host globs.
 */
public record IrcNetworkConfig(
        String name,
        String host,
        int port,
        boolean tls,
        Optional<String> trustedCertificate,
        Optional<Secret> serverPassword,
        String controlNick,
        String realname,
        List<String> operatorAccounts,
        List<String> operatorMasks) {
    public IrcNetworkConfig {
        operatorAccounts = List.copyOf(operatorAccounts);
        operatorMasks = List.copyOf(operatorMasks);
    }
}
