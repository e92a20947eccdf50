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
import dev.parley.core.FileSize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

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
    /** The model providers parley has ({@link Providers}); the provider key must name one of them. */
    public static final List<String> PROVIDERS = Providers.names();

    /**
     * The largest config file read: a config is a few KB; 16 MB leaves room for generated ones and keeps a wrong
     * file (a journal, a disk image) from being read whole.
     */
    public static final long MAX_BYTES = 16 * FileSize.MB;

    /** The name configs loaded by {@link #loadDefault()} are known by. */
    public static final String DEFAULT_RESOURCE = "parley-default.conf";

    /** reference.conf, parsed once: it is immutable and the same for every load. */
    private static final class Reference {
        static final Config CONFIG = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(),
                "reference.conf", ConfigParseOptions.defaults().setAllowMissing(false)).resolve();
    }

    private final Map<String, String> env;
    private final BooleanSupplier consoleAttached;
    private final ReplayCheck replayCheck;

    /**
     * Checks a replay seat's script beyond what the config alone shows (the transcript parses, the speaker has
     * lines in it): a problem message, or empty when fine. Transcripts are the archive's business, which config
     * does not depend on, so the caller that can read them passes the check in.
     */
    @FunctionalInterface
    public interface ReplayCheck {
        Optional<String> problem(ModelConfig.Replay replay);

        ReplayCheck NONE = r -> Optional.empty();
    }

    /** Reads secrets from the real environment; "auto" colours look at the real console. */
    public ConfigLoader() {
        this(System.getenv(), () -> System.console() != null);
    }

    /**
     * @param env             the environment secrets and {@code ${?VAR}} substitutions are read from
     * @param consoleAttached whether stdout is a terminal, for {@code colours = auto}
     */
    public ConfigLoader(Map<String, String> env, BooleanSupplier consoleAttached) {
        this(env, consoleAttached, ReplayCheck.NONE);
    }

    private ConfigLoader(Map<String, String> env, BooleanSupplier consoleAttached, ReplayCheck replayCheck) {
        this.env = Map.copyOf(env);
        this.consoleAttached = consoleAttached;
        this.replayCheck = replayCheck;
    }

    /** This loader, also checking each replay seat's script with {@code check}. */
    public ConfigLoader withReplayCheck(ReplayCheck check) {
        return new ConfigLoader(env, consoleAttached, check);
    }

    /** For tests: the given environment and no console. */
    public static ConfigLoader withEnvironment(Map<String, String> env) {
        return new ConfigLoader(env, () -> false);
    }

    /** Loads a config file; the path as given is what problems name ("conf/parley.conf:12: ..."). */
    public ParleyConfig load(Path file) {
        try {
            return loadFile(file);
        } catch (StackOverflowError e) {
            throw tooDeep(file.toString());
        }
    }

    /**
     * The HOCON library parses and resolves recursively: objects nested a few thousand deep (a 12 KB file) overflow
     * the stack. No real config nests more than a handful of levels, so this is the file's problem, said plainly.
     */
    private static ConfigException tooDeep(String name) {
        return new ConfigException(List.of(new ConfigProblem(name, -1, "",
                "nested too deeply to read (objects or lists thousands of levels deep)")));
    }

    private static void refuseDeepNesting(String text, String name) {
        NestingDepth.tooDeepAt(text).ifPresent(line -> {
            throw new ConfigException(List.of(new ConfigProblem(name, line, "",
                    "nested too deeply to read (more than " + NestingDepth.MAX + " levels of objects or lists)")));
        });
    }

    /** The file's text for the depth check; one the parser cannot read either is left for it to report. */
    private static String readForDepth(Path file) {
        try {
            return new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private ParleyConfig loadFile(Path file) {
        Problems problems = new Problems();
        Config parsed;
        try {
            if (!Files.isRegularFile(file)) {
                throw new ConfigException(List.of(new ConfigProblem(file.toString(), -1, "",
                        Files.exists(file) ? "not a regular file" : "no such file")));
            }
            FileSize.tooLarge(file, MAX_BYTES, "configs").ifPresent(why -> {
                throw new ConfigException(List.of(new ConfigProblem(file.toString(), -1, "", "the file " + why)));
            });
            refuseDeepNesting(readForDepth(file), file.toString());
            ConfigSyntax syntax = file.toString().endsWith(".json") ? ConfigSyntax.JSON : ConfigSyntax.CONF;
            parsed = ConfigFactory.parseFile(file.toFile(),
                    ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(syntax));
        } catch (com.typesafe.config.ConfigException.IO e) {
            throw IncludeProblem.of(file, e).orElseGet(() -> syntaxProblem(e, file.toString()));
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
        try {
            return loadText(hoconText, originName);
        } catch (StackOverflowError e) {
            throw tooDeep(originName);
        }
    }

    private ParleyConfig loadText(String hoconText, String originName) {
        refuseDeepNesting(hoconText, originName);
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

    private ParleyConfig read(Config parsed, String originName, Problems problems) {
        Values values = new Values(env);
        NetworkReader networkReader = new NetworkReader(values);
        ConversationReader conversationReader = new ConversationReader(new SeatReader(values, replayCheck),
                new RoomReader(values, env, consoleAttached), new ModerationReader(values));
        Config reference = Reference.CONFIG;
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

        // The user's own keys, resolved. Built in one go: withoutKey for each reference or environment key copies
        // the whole root each time, which takes minutes for a file of hundreds of thousands of keys.
        Map<String, ConfigValue> own = new java.util.LinkedHashMap<>();
        for (String key : parsed.root().keySet()) {
            ConfigValue v = resolved.root().get(key);
            if (v != null) {
                own.put(key, v);
            }
        }
        ConfigObject ownRoot = ConfigValueFactory.fromMap(own);
        Node root = new Node(resolved.root(), ownRoot, "", parsed.root().origin(), problems);

        Path transcriptsDir = Values.path(root, "transcripts-dir");
        ZoneId zone = Values.zone(root, "time-zone");

        ConfigObject conversationDefaults = root.object("conversation-defaults");
        ConfigObject seatDefaults = root.object("seat-defaults");
        ConfigObject roomDefaults = root.object("room-defaults");
        for (String key : List.of("conversation-defaults", "seat-defaults", "room-defaults")) {
            DefaultsBlocks.check(resolved.root().get(key), reference.root().get(key), key, problems);
        }

        Map<String, IrcNetworkConfig> ircNetworks = networkReader.ircNetworks(root.child("irc"), reference, problems);
        Map<String, MatrixServerConfig> servers = networkReader.matrixServers(root.child("matrix"), reference, problems);

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
                    conversations.add(conversationReader.conversation(n.get(), seatDefaults, roomDefaults, ircNetworks,
                            servers));
                    conversationOrigins.add(n.get().origin());
                }
            }
        }
        ConversationReader.crossChecks(problems, conversations, conversationOrigins);
        HttpConfig http = http(root.child("http"));
        root.finish();
        problems.throwIfAny();
        return new ParleyConfig(transcriptsDir, zone, conversations, ircNetworks, servers, originName, http);
    }

    private static HttpConfig http(Node h) {
        String bind = h.text("bind");
        if (bind.isEmpty() || bind.chars().anyMatch(ch -> Character.isWhitespace(ch) || ch == '/')) {
            h.problem("bind", "an address to listen on, such as \"127.0.0.1\" or \"0.0.0.0\", got \"" + bind + "\"");
        }
        return new HttpConfig(h.bool("enabled"), bind, h.integer("port", 1, 65535), h.bool("pseudonyms"));
    }
}
