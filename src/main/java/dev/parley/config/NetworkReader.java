package dev.parley.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads irc.networks and matrix.servers, each entry laid over its network-defaults / server-defaults block. */
final class NetworkReader {
    private final Values values;

    NetworkReader(Values values) {
        this.values = values;
    }

    Map<String, IrcNetworkConfig> ircNetworks(Node irc, Config reference, Problems problems) {
        ConfigObject defaults = irc.object("network-defaults");
        DefaultsBlocks.check(defaults, reference.getValue("irc.network-defaults"), "irc.network-defaults", problems);
        Map<String, IrcNetworkConfig> out = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : irc.object("networks").entrySet()) {
            String name = e.getKey();
            String path = "irc.networks." + name;
            if (!Values.NETWORK_NAME.matcher(name).matches()) {
                problems.add(e.getValue().origin(), path, "a network name is letters, digits, '_', '.', '-'");
            }
            Optional<Node> maybe = irc.element(e.getValue(), defaults, path);
            if (maybe.isEmpty()) {
                continue;
            }
            Node n = maybe.get();
            String host = n.text("host");
            boolean tls = n.bool("tls");
            int port = n.optLong("port", 1, 65535).map(Long::intValue).orElse(tls ? 6697 : 6667);
            Optional<String> cert = n.optString("trusted-certificate");
            if (cert.isPresent() && !Values.readableFile(cert.get())) {
                n.problem("trusted-certificate", "cannot read certificate file \"" + cert.get() + "\"");
            }
            Optional<Secret> password = values.secret(n, "server-password");
            String controlNick = Values.nick(n, "control-nick");
            String realname = n.text("realname");
            List<String> accounts = n.strings("operator-accounts");
            List<String> masks = n.strings("operator-masks");
            for (int i = 0; i < masks.size(); i++) {
                if (!masks.get(i).matches("[^!@\\s]+![^!@\\s]+@[^!@\\s]+")) {
                    problems.add(n.originOf("operator-masks"), path + ".operator-masks." + i,
                            "expected a nick!user@host glob such as \"alice!*@*.example.org\", got \"" + masks.get(i) + "\"");
                }
            }
            out.put(name, new IrcNetworkConfig(name, host, port, tls, cert, password, controlNick, realname,
                    accounts, masks, ircOptions(n)));
        }
        return out;
    }

    /** Checked here against the same rules as the record's constructor, so that it never throws on user input. */
    private static IrcOptions ircOptions(Node n) {
        IrcOptions d = IrcOptions.DEFAULTS;
        Duration lineDelay = n.duration("line-delay", Duration.ZERO);
        int burst = n.integer("burst", 1, 1000);
        int maxLines = n.integer("max-lines", 1, 1000);
        IrcOptions.Overflow overflow = n.choice("overflow", IrcOptions.Overflow.class, d.overflow());
        String cutMarker = n.string("cut-marker");
        boolean formatting = n.bool("formatting");
        boolean actions = n.bool("actions");
        boolean directMessages = n.bool("direct-messages");
        Optional<Duration> reconnectMin = n.requiredDuration("reconnect-min", Duration.ofMillis(1));
        Optional<Duration> reconnectMax = n.requiredDuration("reconnect-max", Duration.ofMillis(1));
        if (reconnectMin.isPresent() && reconnectMax.isPresent()
                && reconnectMin.get().compareTo(reconnectMax.get()) > 0) {
            n.problems().add(Values.userOrigin(n, "reconnect-min", "reconnect-max"), n.path(), "reconnect-min "
                    + Durations.format(reconnectMin.get()) + " is longer than reconnect-max "
                    + Durations.format(reconnectMax.get()));
            return d;
        }
        Duration nickRetry = n.duration("nick-retry", Duration.ofMillis(1));
        Duration pingInterval = n.duration("ping-interval", Duration.ofMillis(1));
        try {
            return new IrcOptions(lineDelay, burst, maxLines, overflow, cutMarker, formatting, actions, directMessages,
                    reconnectMin.orElse(d.reconnectMin()), reconnectMax.orElse(d.reconnectMax()), nickRetry,
                    pingInterval);
        } catch (IllegalArgumentException e) {
            n.problemHere(e.getMessage());
            return d;
        }
    }

    Map<String, MatrixServerConfig> matrixServers(Node matrix, Config reference, Problems problems) {
        ConfigObject defaults = matrix.object("server-defaults");
        DefaultsBlocks.check(defaults, reference.getValue("matrix.server-defaults"), "matrix.server-defaults", problems);
        Map<String, MatrixServerConfig> out = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : matrix.object("servers").entrySet()) {
            String name = e.getKey();
            String path = "matrix.servers." + name;
            if (!Values.NETWORK_NAME.matcher(name).matches()) {
                problems.add(e.getValue().origin(), path, "a server name is letters, digits, '_', '.', '-'");
            }
            Optional<Node> maybe = matrix.element(e.getValue(), defaults, path);
            if (maybe.isEmpty()) {
                continue;
            }
            Node n = maybe.get();
            String url = Values.httpUrl(n, "homeserver-url", true).orElse("");
            String controlUser = Values.matrixUser(n, "control-user");
            MatrixServerConfig.Mode mode = n.choice("mode", MatrixServerConfig.Mode.class,
                    MatrixServerConfig.Mode.ACCOUNTS);
            Optional<Secret> token = values.secret(n, "control-token");
            Optional<Secret> password = values.secret(n, "control-password");
            List<String> operators = n.strings("operators");
            OptionalInt powerLevel = n.optLong("operator-power-level", 0, 1_000_000)
                    .map(l -> OptionalInt.of(l.intValue())).orElse(OptionalInt.empty());
            MatrixServerConfig.Encryption encryption = new MatrixServerConfig.Encryption(n.bool("e2e-proxy"),
                    n.choice("encrypted-rooms", MatrixServerConfig.EncryptedRooms.class,
                            MatrixServerConfig.EncryptedRooms.RUN));
            if (encryption.proxy() && mode == MatrixServerConfig.Mode.APPSERVICE) {
                n.problem("e2e-proxy", "an encrypting proxy (pantalaimon) encrypts only for identities that log in "
                        + "through it: use mode = accounts with passwords (see docs/matrix.md)");
            }
            Node as = n.child("appservice");
            Optional<String> registration = as.optString("registration-file");
            String asId = as.text("id");
            Optional<String> namespace = as.optString("user-namespace");
            if (namespace.isPresent()) {
                try {
                    Pattern.compile(namespace.get());
                } catch (PatternSyntaxException bad) {
                    as.problem("user-namespace", "not a valid regular expression: " + bad.getDescription());
                }
            }
            Optional<MatrixServerConfig.Appservice> appservice = Optional.empty();
            if (mode == MatrixServerConfig.Mode.APPSERVICE) {
                if (registration.isEmpty() || registration.get().isBlank()) {
                    as.missing("registration-file", "appservice mode reads its tokens from the registration file; "
                            + "write one with \"parley matrix-registration\"");
                } else {
                    appservice = Optional.of(new MatrixServerConfig.Appservice(Path.of(registration.get()), asId,
                            namespace));
                }
            } else if (token.isEmpty() && password.isEmpty() && !n.isSet("control-token-env")
                    && !n.isSet("control-token-file") && !n.isSet("control-password-env")
                    && !n.isSet("control-password-file")) {
                n.problemHere("the control user " + (controlUser.isEmpty() ? "" : controlUser + " ")
                        + "needs control-token-env (or -file) or control-password-env (or -file) in accounts mode");
            }
            for (int i = 0; i < operators.size(); i++) {
                if (!Values.MATRIX_USER.matcher(operators.get(i)).matches()) {
                    problems.add(n.originOf("operators"), path + ".operators." + i,
                            "expected a Matrix user id such as \"@alice:example.org\", got \"" + operators.get(i) + "\"");
                }
            }
            if (mode == MatrixServerConfig.Mode.APPSERVICE && appservice.isEmpty()) {
                continue; // reported above; the record cannot be built without it
            }
            out.put(name, new MatrixServerConfig(name, url, controlUser, token, operators, mode, password, powerLevel,
                    appservice, encryption));
        }
        return out;
    }
}
