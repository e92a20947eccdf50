package dev.parley.config;

import java.util.List;
import java.util.Optional;

/**
 * An IRC network: where to connect, the control identity's nick, and who may run commands there.
 * Operators are services account names or nick!user@host globs. {@code options} holds pacing, reply-length
 * and supervision settings ({@link IrcOptions#DEFAULTS} when the config does not set them).
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
        List<String> operatorMasks,
        IrcOptions options) {
    public IrcNetworkConfig {
        operatorAccounts = List.copyOf(operatorAccounts);
        operatorMasks = List.copyOf(operatorMasks);
        options = options == null ? IrcOptions.DEFAULTS : options;
    }

    /** The network with default {@link IrcOptions}: kept so that code written before options existed compiles. */
    public IrcNetworkConfig(String name, String host, int port, boolean tls, Optional<String> trustedCertificate,
                            Optional<Secret> serverPassword, String controlNick, String realname,
                            List<String> operatorAccounts, List<String> operatorMasks) {
        this(name, host, port, tls, trustedCertificate, serverPassword, controlNick, realname,
                operatorAccounts, operatorMasks, IrcOptions.DEFAULTS);
    }

    public IrcNetworkConfig withOptions(IrcOptions newOptions) {
        return new IrcNetworkConfig(name, host, port, tls, trustedCertificate, serverPassword, controlNick, realname,
                operatorAccounts, operatorMasks, newOptions);
    }
}
