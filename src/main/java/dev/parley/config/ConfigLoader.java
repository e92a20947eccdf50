package dev.parley.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import dev.parley.config.ConversationConfig.TurnPolicyKind;
import dev.parley.core.SeatId;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * Reads a HOCON file into a validated {@link ParleyConfig}, the only place in parley that looks up config keys.
 *
 * <p>The file is laid over {@code reference.conf} (every key with its default and a comment), {@code ${?VAR}}
 * substitutions are resolved against the environment, and each element of the lists and maps of objects is laid
 * over its {@code *-defaults} block. Every problem found (typos with a "did you mean", wrong types, bad values,
 * missing keys, names of networks that are not defined, unset secrets) is collected and thrown together in one
 * {@link ConfigException}, each located by file:line and key path.
 *
 * <p>Secrets are read here, once, from the environment variable or file the config names; the config itself never
 * holds them. The environment and "is there a console" are injectable so tests need no real ones.
 */
public final class ConfigLoader {
    /** The model providers parley has; the provider key must name one of them. */
    public static final List<String> PROVIDERS = List.of("openai", "anthropic", "replay");

    /** The name configs loaded by {@link #loadDefault()} are known by. */
    public static final String DEFAULT_RESOURCE = "parley-default.conf";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern NETWORK_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    // RFC 2812 nick characters; length up to 30 (InspIRCd/ngircd as configured in tests; servers may allow less).
    private static final Pattern NICK = Pattern.compile("[A-Za-z\\[\\]\\\\`_^{|}][A-Za-z0-9\\[\\]\\\\`_^{|}-]{0,29}");
    private static final Pattern CHANNEL = Pattern.compile("[#&+!][^\\s,\\x07:]{1,49}");
    private static final Pattern MATRIX_USER = Pattern.compile("@[^:\\s]+:\\S+");
    private static final Pattern MATRIX_ROOM = Pattern.compile("[#!][^:\\s]+:\\S+");

    private final Map<String, String> env;
    private final BooleanSupplier consoleAttached;

    /** Reads secrets from the real environment; "auto" colours look at the real console. */
    public ConfigLoader() {
        this(System.getenv(), () -> System.console() != null);
    }

    /**
     * @param env             the environment secrets and {@code ${?VAR}} substitutions are read from
     * @param consoleAttached whether stdout is a terminal, for {@code colours = auto}
     */
    public ConfigLoader(Map<String, String> env, BooleanSupplier consoleAttached) {
        this.env = Map.copyOf(env);
        this.consoleAttached = consoleAttached;
    }

    /** For tests: the given environment and no console. */
    public static ConfigLoader withEnvironment(Map<String, String> env) {
        return new ConfigLoader(env, () -> false);
    }

    /** Loads a config file; the path as given is what problems name ("conf/parley.conf:12: ..."). */
    public ParleyConfig load(Path file) {
        Problems problems = new Problems();
        Config parsed;
        try {
            if (!Files.isRegularFile(file)) {
                throw new ConfigException(List.of(new ConfigProblem(file.toString(), -1, "",
                        Files.exists(file) ? "not a regular file" : "no such file")));
            }
            ConfigSyntax syntax = file.toString().endsWith(".json") ? ConfigSyntax.JSON : ConfigSyntax.CONF;
            parsed = ConfigFactory.parseFile(file.toFile(),
                    ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(syntax));
        } catch (com.typesafe.config.ConfigException e) {
            throw syntaxProblem(e, file.toString());
        }
        return read(parsed, file.toString(), problems);
    }

    /** Loads the configuration built into parley (a short demo in the terminal, no network, no keys). */
    public ParleyConfig loadDefault() {
        Config parsed;
        try {
            parsed = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), DEFAULT_RESOURCE,
                    ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(ConfigSyntax.CONF));
        } catch (com.typesafe.config.ConfigException e) {
            throw syntaxProblem(e, DEFAULT_RESOURCE);
        }
        return read(parsed, DEFAULT_RESOURCE, new Problems());
    }

    /** Loads config text, as if from a file named {@code originName} (for tests and tools). */
    public ParleyConfig load(String hoconText, String originName) {
        Config parsed;
        try {
            parsed = ConfigFactory.parseString(hoconText,
                    ConfigParseOptions.defaults().setOriginDescription(originName).setSyntax(ConfigSyntax.CONF));
        } catch (com.typesafe.config.ConfigException e) {
            throw syntaxProblem(e, originName);
        }
        return read(parsed, originName, new Problems());
    }

    private static ConfigException syntaxProblem(com.typesafe.config.ConfigException e, String name) {
        ConfigOrigin o = e.origin();
        String message = e.getMessage();
        if (o != null && message.startsWith(o.description() + ": ")) {
            message = message.substring(o.description().length() + 2);
        }
        return new ConfigException(List.of(new ConfigProblem(o == null ? name : Problems.fileOf(o),
                o == null ? -1 : o.lineNumber(), "", message)));
    }

    // ---------------------------------------------------------------- the whole file

    private ParleyConfig read(Config parsed, String originName, Problems problems) {
        Config reference = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "reference.conf",
                ConfigParseOptions.defaults().setAllowMissing(false)).resolve();
        Map<String, Object> envValues = new HashMap<>(env);
        Config resolved;
        try {
            // The environment is the last fallback, so ${?VAR} finds variables but never overrides a key.
            resolved = parsed.withFallback(reference).withFallback(ConfigValueFactory.fromMap(envValues))
                    .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
        } catch (com.typesafe.config.ConfigException.UnresolvedSubstitution e) {
            ConfigException ce = syntaxProblem(e, originName);
            ConfigProblem p = ce.problems().get(0);
            throw new ConfigException(List.of(new ConfigProblem(p.file(), p.line(), "", p.message()
                    + " (no such key or environment variable; write ${?NAME} to make it optional)")));
        } catch (com.typesafe.config.ConfigException e) {
            throw syntaxProblem(e, originName);
        }

        ConfigObject ownRoot = resolved.root();
        for (String key : resolved.root().keySet()) {
            if (!parsed.root().containsKey(key)) {
                ownRoot = ownRoot.withoutKey(key);
            }
        }
        Node root = new Node(resolved.root(), ownRoot, "", parsed.root().origin(), problems);

        Path transcriptsDir = path(root, "transcripts-dir");
        ZoneId zone = zone(root, "time-zone");

        ConfigObject conversationDefaults = root.object("conversation-defaults");
        ConfigObject seatDefaults = root.object("seat-defaults");
        ConfigObject roomDefaults = root.object("room-defaults");
        for (String key : List.of("conversation-defaults", "seat-defaults", "room-defaults")) {
            checkDefaults(resolved.root().get(key), reference.root().get(key), key, problems);
        }

        Map<String, IrcNetworkConfig> networks = ircNetworks(root.child("irc"), reference, problems);
        Map<String, MatrixServerConfig> servers = matrixServers(root.child("matrix"), reference, problems);

        List<ConversationConfig> conversations = new ArrayList<>();
        List<ConfigOrigin> conversationOrigins = new ArrayList<>();
        ConfigValue convValue = root.raw("conversations");
        if (convValue == null) {
            root.missing("conversations", "a list of at least one conversation");
        } else {
            List<ConfigValue> list = root.list("conversations");
            if (convValue.valueType() == ConfigValueType.LIST && list.isEmpty()) {
                root.problem("conversations", "needs at least one conversation");
            }
            for (int i = 0; i < list.size(); i++) {
                Optional<Node> n = root.element(list.get(i), conversationDefaults, "conversations." + i);
                if (n.isPresent()) {
                    conversations.add(conversation(n.get(), seatDefaults, roomDefaults, networks, servers));
                    conversationOrigins.add(n.get().origin());
                }
            }
        }
        crossChecks(problems, conversations, conversationOrigins);
        root.finish();
        problems.throwIfAny();
        return new ParleyConfig(transcriptsDir, zone, conversations, networks, servers, originName);
    }

    /** Keys the user added to a defaults block must be keys of that block in reference.conf. */
    private static void checkDefaults(ConfigValue user, ConfigValue ref, String path, Problems problems) {
        if (!(user instanceof ConfigObject) || !(ref instanceof ConfigObject) || ((ConfigObject) ref).isEmpty()) {
            return;
        }
        ConfigObject u = (ConfigObject) user;
        ConfigObject r = (ConfigObject) ref;
        for (Map.Entry<String, ConfigValue> e : u.entrySet()) {
            String childPath = path + "." + e.getKey();
            ConfigValue refChild = r.get(e.getKey());
            if (refChild == null && !requiredKeys(path).contains(e.getKey())) {
                Set<String> known = new TreeSet<>(r.keySet());
                problems.add(e.getValue().origin(), childPath, Node.unknownKey(e.getKey(), known));
            } else if (refChild != null) {
                checkDefaults(e.getValue(), refChild, childPath, problems);
            }
        }
    }

    /** Required keys are documented in the defaults blocks but cannot have a default; they may still be set there. */
    private static Set<String> requiredKeys(String defaultsPath) {
        switch (defaultsPath) {
            case "conversation-defaults": return Set.of("seats", "rooms");
            case "seat-defaults.irc": return Set.of("nick");
            case "seat-defaults.matrix": return Set.of("user");
            case "room-defaults.irc": return Set.of("channel");
            case "room-defaults.matrix": return Set.of("room");
            case "irc.network-defaults": return Set.of("host");
            case "matrix.server-defaults": return Set.of("homeserver-url", "control-user");
            default: return Set.of();
        }
    }

    // ---------------------------------------------------------------- networks

    private Map<String, IrcNetworkConfig> ircNetworks(Node irc, Config reference, Problems problems) {
        ConfigObject defaults = irc.object("network-defaults");
        checkDefaults(defaults, reference.getValue("irc.network-defaults"), "irc.network-defaults", problems);
        Map<String, IrcNetworkConfig> out = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : irc.object("networks").entrySet()) {
            String name = e.getKey();
            String path = "irc.networks." + name;
            if (!NETWORK_NAME.matcher(name).matches()) {
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
            if (cert.isPresent() && !Files.isReadable(Path.of(cert.get()))) {
                n.problem("trusted-certificate", "cannot read certificate file \"" + cert.get() + "\"");
            }
            Optional<Secret> password = secret(n, "server-password");
            String controlNick = nick(n, "control-nick");
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
                    accounts, masks));
        }
        return out;
    }

    private Map<String, MatrixServerConfig> matrixServers(Node matrix, Config reference, Problems problems) {
        ConfigObject defaults = matrix.object("server-defaults");
        checkDefaults(defaults, reference.getValue("matrix.server-defaults"), "matrix.server-defaults", problems);
        Map<String, MatrixServerConfig> out = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : matrix.object("servers").entrySet()) {
            String name = e.getKey();
            String path = "matrix.servers." + name;
            if (!NETWORK_NAME.matcher(name).matches()) {
                problems.add(e.getValue().origin(), path, "a server name is letters, digits, '_', '.', '-'");
            }
            Optional<Node> maybe = matrix.element(e.getValue(), defaults, path);
            if (maybe.isEmpty()) {
                continue;
            }
            Node n = maybe.get();
            String url = httpUrl(n, "homeserver-url", true).orElse("");
            String controlUser = matrixUser(n, "control-user");
            Optional<Secret> token = secret(n, "control-token");
            List<String> operators = n.strings("operators");
            for (int i = 0; i < operators.size(); i++) {
                if (!MATRIX_USER.matcher(operators.get(i)).matches()) {
                    problems.add(n.originOf("operators"), path + ".operators." + i,
                            "expected a Matrix user id such as \"@alice:example.org\", got \"" + operators.get(i) + "\"");
                }
            }
            out.put(name, new MatrixServerConfig(name, url, controlUser, token, operators));
        }
        return out;
    }

    // ---------------------------------------------------------------- conversations

    private ConversationConfig conversation(Node n, ConfigObject seatDefaults, ConfigObject roomDefaults,
                                            Map<String, IrcNetworkConfig> networks,
                                            Map<String, MatrixServerConfig> servers) {
        String id = n.text("id");
        if (!id.isEmpty() && !ID.matcher(id).matches()) {
            n.problem("id", "a conversation id is 1-64 letters, digits, '_', '.' or '-' (it names files), got \""
                    + id + "\"");
        }
        TurnPolicyKind turnPolicy = n.choice("turn-policy", TurnPolicyKind.class, TurnPolicyKind.ROUND_ROBIN);
        // "" reads as "no opening line": the engine then sends its single space.
        Optional<String> openingLine = n.optString("opening-line").filter(line -> !line.isEmpty());
        boolean autoStart = n.bool("auto-start");

        List<SeatConfig> seats = new ArrayList<>();
        List<ConfigOrigin> nickOrigins = new ArrayList<>();
        ConfigValue seatsValue = n.raw("seats");
        List<ConfigValue> seatList = n.list("seats");
        Set<String> seatIds = new HashSet<>();
        Map<String, String> seatNames = new HashMap<>();
        for (int i = 0; i < seatList.size(); i++) {
            Optional<Node> s = n.element(seatList.get(i), seatDefaults, n.path("seats") + "." + i);
            if (s.isEmpty()) {
                continue;
            }
            Optional<SeatConfig> seat = seat(s.get());
            if (seat.isEmpty()) {
                continue;
            }
            SeatConfig sc = seat.get();
            nickOrigins.add(s.get().child("irc").originOf("nick"));
            if (!seatIds.add(sc.id().value())) {
                s.get().problem("id", "duplicate seat id \"" + sc.id() + "\" in conversation \"" + id + "\"");
            }
            String previous = seatNames.putIfAbsent(sc.name().toLowerCase(), sc.id().value());
            if (previous != null && !previous.equals(sc.id().value())) {
                s.get().problem(s.get().ownHas("name") ? "name" : "id", "seat name \"" + sc.name()
                        + "\" is also the name of seat \"" + previous + "\"; models tell speakers apart by name");
            }
            seats.add(sc);
        }
        if (seatsValue == null) {
            n.missing("seats", "a list of at least 2 seats");
        } else if (seatsValue.valueType() == ConfigValueType.LIST && seatList.size() < 2) {
            n.problem("seats", "a conversation needs at least 2 seats (found " + seatList.size() + ")");
        }

        List<RoomConfig> rooms = new ArrayList<>();
        ConfigValue roomsValue = n.raw("rooms");
        List<ConfigValue> roomList = n.list("rooms");
        for (int i = 0; i < roomList.size(); i++) {
            room(n, roomList.get(i), roomDefaults, n.path("rooms") + "." + i, networks, servers)
                    .ifPresent(rooms::add);
        }
        if (roomsValue == null) {
            n.missing("rooms", "a list of at least one room, such as [ { type = terminal } ]");
        } else if (roomsValue.valueType() == ConfigValueType.LIST && roomList.isEmpty()) {
            n.problem("rooms", "a conversation needs at least one room");
        }
        checkIdentities(n, seats, nickOrigins, rooms, networks);

        return new ConversationConfig(id, seats, rooms, turnPolicy, openingLine, autoStart,
                pacing(n.child("pacing")), stop(n.child("stop")), health(n.child("health")),
                context(n.child("context")), replies(n.child("replies")), commands(n.child("commands")));
    }

    /** On each IRC network a conversation is shown on, its seats' nicks must differ from each other and the bot's. */
    private static void checkIdentities(Node n, List<SeatConfig> seats, List<ConfigOrigin> nickOrigins,
                                        List<RoomConfig> rooms,
                                        Map<String, IrcNetworkConfig> networks) {
        Set<String> checked = new HashSet<>();
        for (RoomConfig room : rooms) {
            if (!(room instanceof RoomConfig.Irc) || !checked.add(((RoomConfig.Irc) room).network())) {
                continue;
            }
            IrcNetworkConfig net = networks.get(((RoomConfig.Irc) room).network());
            Map<String, String> nicks = new HashMap<>();
            for (int i = 0; i < seats.size(); i++) {
                SeatConfig s = seats.get(i);
                if (s.irc().isEmpty()) {
                    continue;
                }
                String nick = s.irc().get().nick().toLowerCase();
                String path = n.path("seats") + "." + i + ".irc.nick";
                if (net != null && nick.equals(net.controlNick().toLowerCase())) {
                    n.problems().add(nickOrigins.get(i), path, "nick \"" + s.irc().get().nick()
                            + "\" is the control nick of network \"" + net.name() + "\"");
                }
                String other = nicks.putIfAbsent(nick, s.id().value());
                if (other != null) {
                    n.problems().add(nickOrigins.get(i), path, "nick \"" + s.irc().get().nick()
                            + "\" is also the nick of seat \"" + other + "\"");
                }
            }
        }
    }

    private Optional<SeatConfig> seat(Node s) {
        String idText = s.text("id");
        SeatId id = null;
        if (!idText.isEmpty()) {
            try {
                id = SeatId.of(idText);
            } catch (IllegalArgumentException e) {
                s.problem("id", "a seat id is 1-64 letters, digits, '_', '.' or '-', got \"" + idText + "\"");
            }
        }
        String name = s.optString("name").orElse(idText);
        if (s.isSet("name") && name.isBlank()) {
            s.problem("name", "must not be empty");
        }
        if (name.contains(":") || name.contains("\n")) {
            // Models see others' lines as "Name: text"; a colon in a name would make that ambiguous.
            s.problem("name", "a seat name must not contain ':' or line breaks, got \"" + name + "\"");
        }
        String systemPrompt = s.string("system-prompt");
        int budget = s.integer("context-budget-tokens", 1, Integer.MAX_VALUE);

        Node ircNode = s.child("irc");
        Optional<IrcIdentity> irc = Optional.empty();
        Node matrixNode = s.child("matrix");
        Optional<MatrixIdentity> matrix = Optional.empty();
        if (s.ownHas("irc")) {
            irc = Optional.of(new IrcIdentity(nick(ircNode, "nick"), secret(ircNode, "password")));
        } else {
            markRead(ircNode, "nick", "password-env", "password-file");
        }
        if (s.ownHas("matrix")) {
            matrix = Optional.of(new MatrixIdentity(matrixUser(matrixNode, "user"),
                    secret(matrixNode, "access-token"), secret(matrixNode, "password")));
        } else {
            markRead(matrixNode, "user", "access-token-env", "access-token-file", "password-env", "password-file");
        }
        ModelConfig model = model(s.child("model"), name);
        if (id == null) {
            return Optional.empty();
        }
        return Optional.of(new SeatConfig(id, name, irc, matrix, model, systemPrompt, budget));
    }

    private static void markRead(Node n, String... keys) {
        for (String k : keys) {
            n.raw(k);
        }
    }

    private ModelConfig model(Node m, String seatName) {
        String provider = m.text("provider");
        if (!provider.isEmpty() && !PROVIDERS.contains(provider)) {
            m.problem("provider", "unknown provider \"" + provider + "\" (known: " + String.join(", ", PROVIDERS) + ")");
        }
        boolean replay = "replay".equals(provider);
        String model = m.optString("model").orElse("");
        if (model.isBlank() && !replay && PROVIDERS.contains(provider)) {
            m.missing("model", "the " + provider + " model id, such as "
                    + ("anthropic".equals(provider) ? "\"claude-sonnet-4-5\"" : "\"gpt-4o-mini\""));
        }
        if (model.isBlank() && replay) {
            model = "replay";
        }
        Optional<String> baseUrl = httpUrl(m, "base-url", false);
        Optional<Secret> apiKey = secret(m, "api-key");
        Map<String, String> headers = m.stringMap("headers");
        Optional<Double> temperature = m.optNumber("temperature", 0, 2);
        Optional<Double> topP = m.optNumber("top-p", 0, 1);
        int maxTokens = m.integer("max-tokens", 1, 1_000_000);
        Optional<Long> seed = m.optLong("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        List<String> stop = m.strings("stop");
        Map<String, Object> extraBody = m.anyMap("extra-body");

        Node t = m.child("timeouts");
        ModelConfig.Timeouts timeouts = new ModelConfig.Timeouts(positive(t, "connect"), positive(t, "first-token"),
                positive(t, "reply"));

        Node r = m.child("retry");
        int attempts = r.integer("max-attempts", 1, 100);
        Optional<Duration> baseSet = r.requiredDuration("base-delay", Duration.ZERO);
        Optional<Duration> maxSet = r.requiredDuration("max-delay", Duration.ZERO);
        Duration base = baseSet.orElse(Duration.ZERO);
        Duration max = maxSet.orElse(Duration.ZERO);
        if (baseSet.isPresent() && maxSet.isPresent() && base.compareTo(max) > 0) {
            r.problems().add(userOrigin(r, "base-delay", "max-delay"), r.path(),
                    "base-delay " + Durations.format(base) + " is longer than max-delay " + Durations.format(max));
        }
        ModelConfig.Retry retry = new ModelConfig.Retry(attempts, base, max);

        Optional<ModelConfig.Price> price = Optional.empty();
        if (m.isSet("price")) {
            Node p = m.child("price");
            price = Optional.of(new ModelConfig.Price(p.number("input-per-million", 0, Double.MAX_VALUE),
                    p.number("output-per-million", 0, Double.MAX_VALUE)));
        }
        boolean promptCaching = m.bool("prompt-caching");
        String anthropicVersion = m.text("anthropic-version");

        Node rp = m.child("replay");
        Optional<String> transcript = rp.optString("transcript");
        Optional<String> speaker = rp.optString("speaker");
        double cps = rp.number("chars-per-second", 0, Double.MAX_VALUE);
        Optional<ModelConfig.Replay> replayConfig = Optional.empty();
        if (replay) {
            if (transcript.isEmpty() || transcript.get().isBlank()) {
                rp.missing("transcript", "the dialogue to replay: \"classpath:dialogues/x.md\" or a file path");
            } else if (!transcript.get().startsWith("classpath:")) {
                try {
                    if (!Files.isReadable(Path.of(transcript.get()))) {
                        rp.problem("transcript", "cannot read transcript file \"" + transcript.get() + "\"");
                    }
                } catch (InvalidPathException e) {
                    rp.problem("transcript", "not a valid path: \"" + transcript.get() + "\"");
                }
            }
            replayConfig = Optional.of(new ModelConfig.Replay(transcript.orElse(""), speaker.orElse(seatName), cps));
        }
        return new ModelConfig(provider, model, baseUrl, apiKey, headers, temperature, topP, maxTokens, seed, stop,
                extraBody, timeouts, retry, price, promptCaching, anthropicVersion, replayConfig);
    }

    private static Duration positive(Node n, String key) {
        return n.duration(key, Duration.ofMillis(1));
    }

    // ---------------------------------------------------------------- rooms

    private Optional<RoomConfig> room(Node conv, ConfigValue v, ConfigObject roomDefaults, String path,
                                      Map<String, IrcNetworkConfig> networks,
                                      Map<String, MatrixServerConfig> servers) {
        if (!(v instanceof ConfigObject)) {
            conv.problems().add(v.origin(), path, "expected an object such as { type = terminal }, got "
                    + Node.describe(v));
            return Optional.empty();
        }
        ConfigValue typeValue = ((ConfigObject) v).get("type");
        if (typeValue == null || !Node.isScalar(typeValue)) {
            conv.problems().add(v.origin(), path, "missing required key \"type\" (terminal, irc or matrix)");
            return Optional.empty();
        }
        String type = String.valueOf(typeValue.unwrapped());
        ConfigValue defaults = roomDefaults.get(type);
        if (!(defaults instanceof ConfigObject)) {
            conv.problems().add(typeValue.origin(), path + ".type", "unknown room type \"" + type
                    + "\" (known: terminal, irc, matrix)");
            return Optional.empty();
        }
        Node r = conv.element(v, (ConfigObject) defaults, path).orElseThrow();
        r.raw("type");
        switch (type) {
            case "terminal":
                return Optional.of(new RoomConfig.Terminal(r.text("human-name"), colours(r)));
            case "irc": {
                String network = definedName(r, "network", networks.keySet(), "irc network", "irc.networks");
                String channel = r.text("channel");
                if (!channel.isEmpty() && !CHANNEL.matcher(channel).matches()) {
                    r.problem("channel", "expected an IRC channel such as \"#parley\", got \"" + channel + "\"");
                }
                return Optional.of(new RoomConfig.Irc(network, channel, secret(r, "key")));
            }
            default: {
                String server = definedName(r, "server", servers.keySet(), "matrix server", "matrix.servers");
                String room = r.text("room");
                if (!room.isEmpty() && !MATRIX_ROOM.matcher(room).matches()) {
                    r.problem("room", "expected a Matrix room alias or id such as \"#parley:example.org\" or "
                            + "\"!abc:example.org\", got \"" + room + "\"");
                }
                return Optional.of(new RoomConfig.Matrix(server, room));
            }
        }
    }

    /** A reference to an entry of irc.networks / matrix.servers; unset means the only one there is. */
    private static String definedName(Node r, String key, Set<String> defined, String what, String where) {
        Optional<String> name = r.optString(key);
        if (name.isEmpty()) {
            if (r.raw(key) != null) {
                return "";
            }
            if (defined.size() == 1) {
                return defined.iterator().next();
            }
            r.missing(key, defined.isEmpty() ? "no " + what + "s are defined; add one under " + where
                    : "which " + what + ": " + String.join(", ", defined));
            return "";
        }
        if (!defined.contains(name.get())) {
            Optional<String> guess = Spelling.closest(name.get(), defined);
            r.problem(key, "unknown " + what + " \"" + name.get() + "\" ("
                    + (defined.isEmpty() ? "none are defined under " + where
                    : guess.map(g -> "did you mean \"" + g + "\"? ").orElse("") + "defined: "
                    + String.join(", ", defined)) + ")");
        }
        return name.get();
    }

    private boolean colours(Node r) {
        ConfigValue v = r.raw("colours");
        String s = v == null ? "auto" : String.valueOf(v.unwrapped()).toLowerCase();
        switch (s) {
            case "true": case "yes": case "on": case "always":
                return true;
            case "false": case "no": case "off": case "never":
                return false;
            case "auto":
                String noColor = env.get("NO_COLOR");
                return consoleAttached.getAsBoolean() && !"dumb".equals(env.get("TERM"))
                        && (noColor == null || noColor.isEmpty());
            default:
                r.problem("colours", "expected auto, true or false, got " + Node.describe(v));
                return false;
        }
    }

    // ---------------------------------------------------------------- conversation rules

    private static PacingConfig pacing(Node p) {
        Optional<Duration> minSet = p.requiredDuration("min-delay", Duration.ZERO);
        Optional<Duration> maxSet = p.requiredDuration("max-delay", Duration.ZERO);
        Duration min = minSet.orElse(Duration.ZERO);
        Duration max = maxSet.orElse(Duration.ZERO);
        if (minSet.isPresent() && maxSet.isPresent() && min.compareTo(max) > 0) {
            p.problems().add(userOrigin(p, "min-delay", "max-delay"), p.path(),
                    "min-delay " + Durations.format(min) + " is longer than max-delay " + Durations.format(max));
        }
        double cps = p.number("typing-chars-per-second", 0, Double.MAX_VALUE);
        Duration typingMax = p.duration("typing-max", Duration.ZERO);
        return new PacingConfig(min, max, cps, typingMax, p.bool("show-typing"));
    }

    private static StopConfig stop(Node s) {
        int maxTurns = s.integer("max-turns", 0, Integer.MAX_VALUE);
        Duration maxDuration = s.duration("max-duration", Duration.ZERO);
        String endToken = s.string("end-token");
        int endTokenMinTurns = s.integer("end-token-min-turns", 0, Integer.MAX_VALUE);
        int failures = s.integer("max-consecutive-failures", 0, Integer.MAX_VALUE);
        long maxTokens = s.longValue("max-tokens", 0, Long.MAX_VALUE);
        Optional<Double> maxCost = s.optNumber("max-cost", 0, Double.MAX_VALUE);
        return new StopConfig(maxTurns, maxDuration, endToken, endTokenMinTurns, failures, maxTokens, maxCost);
    }

    private static HealthConfig health(Node h) {
        return new HealthConfig(h.bool("enabled"),
                h.choice("action", HealthConfig.Action.class, HealthConfig.Action.STOP),
                h.integer("window", 1, 1000),
                h.integer("min-new-words", 0, 1000),
                h.integer("empty-streak", 1, 1000),
                h.number("similarity", 0.01, 1),
                h.integer("repeats", 2, 1000));
    }

    private static ContextConfig context(Node c) {
        return new ContextConfig(c.bool("room-preamble"), c.string("aside-prefix"),
                c.number("chars-per-token", 0.5, 100));
    }

    private static ReplyConfig replies(Node r) {
        return new ReplyConfig(
                r.choice("on-failure", ReplyConfig.OnFailure.class, ReplyConfig.OnFailure.SKIP),
                r.choice("empty-reply", ReplyConfig.EmptyReply.class, ReplyConfig.EmptyReply.RETRY_THEN_SKIP),
                r.choice("stream-cut", ReplyConfig.StreamCut.class, ReplyConfig.StreamCut.RETRY),
                r.bool("stream-paragraphs"));
    }

    private static CommandConfig commands(Node c) {
        String prefix = c.text("prefix");
        if (!prefix.isEmpty() && (prefix.length() > 3 || !prefix.strip().equals(prefix) || prefix.contains(" "))) {
            c.problem("prefix", "a command prefix is 1-3 characters without spaces, got \"" + prefix + "\"");
        }
        return new CommandConfig(prefix, c.bool("private-messages"));
    }

    // ---------------------------------------------------------------- across conversations

    private static void crossChecks(Problems problems, List<ConversationConfig> conversations,
                                    List<ConfigOrigin> origins) {
        Set<String> ids = new HashSet<>();
        Map<String, String> places = new HashMap<>();
        String terminalOwner = null;
        int terminalIndex = -1;
        for (int i = 0; i < conversations.size(); i++) {
            ConversationConfig c = conversations.get(i);
            String path = "conversations." + i;
            ConfigOrigin origin = origins.get(i);
            if (!c.id().isEmpty() && !ids.add(c.id())) {
                problems.add(origin, path + ".id",
                        "duplicate conversation id \"" + c.id() + "\"");
            }
            for (RoomConfig room : c.rooms()) {
                String place = null;
                if (room instanceof RoomConfig.Terminal) {
                    if (terminalIndex >= 0 && terminalIndex != i) {
                        problems.add(origin, path + ".rooms",
                                "only one conversation can use the terminal room (\"" + terminalOwner
                                        + "\" already does)");
                    }
                    terminalOwner = c.id();
                    terminalIndex = i;
                } else if (room instanceof RoomConfig.Irc) {
                    RoomConfig.Irc irc = (RoomConfig.Irc) room;
                    place = "irc " + irc.network() + " " + irc.channel().toLowerCase();
                } else if (room instanceof RoomConfig.Matrix) {
                    RoomConfig.Matrix m = (RoomConfig.Matrix) room;
                    place = "matrix " + m.server() + " " + m.room();
                }
                if (place != null) {
                    String other = places.putIfAbsent(place, c.id());
                    if (other != null) {
                        problems.add(origin, path + ".rooms",
                                place.substring(place.indexOf(' ') + 1) + " is already the room of conversation \""
                                        + other + "\"");
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- values

    /** For a rule between two keys, point at the one the user wrote (the other may be a default). */
    private static ConfigOrigin userOrigin(Node n, String a, String b) {
        if (n.ownHas(a)) {
            return n.originOf(a);
        }
        if (n.ownHas(b)) {
            return n.originOf(b);
        }
        return n.origin();
    }

    /**
     * A secret given as {@code <base>-env} (an environment variable's name) or {@code <base>-file} (a file holding
     * it, trailing newline dropped). Problems name the key and the variable or file, never the value.
     */
    private Optional<Secret> secret(Node n, String base) {
        String envKey = base + "-env";
        String fileKey = base + "-file";
        Optional<String> var = n.optString(envKey);
        Optional<String> file = n.optString(fileKey);
        if (var.isPresent() && file.isPresent()) {
            n.problem(fileKey, "set either " + envKey + " or " + fileKey + ", not both");
            return Optional.empty();
        }
        if (var.isPresent()) {
            String name = var.get();
            if (!ENV_NAME.matcher(name).matches()) {
                n.problem(envKey, "expected the NAME of an environment variable (such as OPENAI_API_KEY), got \""
                        + (name.length() > 12 ? "a value that is not a name" : name) + "\"");
                return Optional.empty();
            }
            String value = env.get(name);
            if (value == null) {
                n.problem(envKey, "environment variable " + name + " is not set");
                return Optional.empty();
            }
            if (value.isBlank()) {
                n.problem(envKey, "environment variable " + name + " is empty");
                return Optional.empty();
            }
            return Optional.of(new Secret(value, "env " + name));
        }
        if (file.isPresent()) {
            try {
                String value = Files.readString(Path.of(file.get()), StandardCharsets.UTF_8);
                value = value.replaceAll("[\\r\\n]+$", "");
                if (value.isBlank()) {
                    n.problem(fileKey, "secret file \"" + file.get() + "\" is empty");
                    return Optional.empty();
                }
                return Optional.of(new Secret(value, "file " + file.get()));
            } catch (IOException | InvalidPathException e) {
                n.problem(fileKey, "cannot read secret file \"" + file.get() + "\" (" + e.getClass().getSimpleName()
                        + ")");
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static String nick(Node n, String key) {
        String nick = n.text(key);
        if (!nick.isEmpty() && !NICK.matcher(nick).matches()) {
            n.problem(key, "not a valid IRC nick: \"" + nick + "\" (letters, digits and []\\`_^{|}-, not starting "
                    + "with a digit or '-', at most 30 characters)");
        }
        return nick;
    }

    private static String matrixUser(Node n, String key) {
        String user = n.text(key);
        if (!user.isEmpty() && !MATRIX_USER.matcher(user).matches()) {
            n.problem(key, "expected a Matrix user id such as \"@ada:example.org\", got \"" + user + "\"");
        }
        return user;
    }

    private static Optional<String> httpUrl(Node n, String key, boolean required) {
        Optional<String> url = required ? Optional.of(n.text(key)).filter(s -> !s.isEmpty()) : n.optString(key);
        if (url.isEmpty()) {
            return url;
        }
        try {
            URI uri = new URI(url.get());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                n.problem(key, "expected an http:// or https:// URL, got \"" + url.get() + "\"");
            }
        } catch (URISyntaxException e) {
            n.problem(key, "not a valid URL: \"" + url.get() + "\"");
        }
        return url;
    }

    private static Path path(Node n, String key) {
        String s = n.text(key);
        try {
            return Path.of(s.isEmpty() ? "." : s);
        } catch (InvalidPathException e) {
            n.problem(key, "not a valid path: \"" + s + "\"");
            return Path.of(".");
        }
    }

    private static ZoneId zone(Node n, String key) {
        String s = n.text(key);
        try {
            return ZoneId.of(s.isEmpty() ? "UTC" : s);
        } catch (DateTimeException e) {
            n.problem(key, "unknown time zone \"" + s + "\" (use an IANA zone id such as \"Europe/Paris\" or \"UTC\")");
            return ZoneId.of("UTC");
        }
    }
}
