package dev.parley.config;

import com.typesafe.config.ConfigOrigin;
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
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Value checks shared by the readers: identifiers, IRC and Matrix names, URLs, paths, and secrets, which are read
 * here from the environment variable or file the config names (never from the config itself).
 */
final class Values {
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final Pattern NETWORK_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    static final Pattern MATRIX_USER = Pattern.compile("@[^:\\s]+:\\S+");
    static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    // An alias is #name:server; a room id is !opaque, with ":server" only before room version 12.
    static final Pattern MATRIX_ROOM = Pattern.compile("#[^:\\s]+:\\S+|![^\\s]+");

    private final Map<String, String> env;

    Values(Map<String, String> env) {
        this.env = env;
    }

    /** For a rule between two keys, point at the one the user wrote (the other may be a default). */
    static ConfigOrigin userOrigin(Node n, String a, String b) {
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
    Optional<Secret> secret(Node n, String base) {
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
                // Not echoed: what was written here by mistake may well be the secret itself.
                n.problem(envKey, "expected the NAME of an environment variable (such as OPENAI_API_KEY), got "
                        + "something else (not shown, in case it is the secret itself)");
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
                // A key is a few hundred bytes; a wrong path (a log, a disk image) must not be read whole.
                Optional<String> tooLarge = dev.parley.core.FileSize.tooLarge(Path.of(file.get()), 64 * 1024,
                        "secret files");
                if (tooLarge.isPresent()) {
                    n.problem(fileKey, "secret file \"" + file.get() + "\" " + tooLarge.get());
                    return Optional.empty();
                }
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

    static String nick(Node n, String key) {
        String nick = n.text(key);
        if (!nick.isEmpty() && !IrcNames.isNick(nick)) {
            n.problem(key, "not a valid IRC nick: \"" + nick + "\" (letters, digits and []\\`_^{|}-, not starting "
                    + "with a digit or '-', at most " + IrcNames.NICK_MAX + " characters)");
        }
        return nick;
    }

    static String matrixUser(Node n, String key) {
        String user = n.text(key);
        if (!user.isEmpty() && !MATRIX_USER.matcher(user).matches()) {
            n.problem(key, "expected a Matrix user id such as \"@ada:example.org\", got \"" + user + "\"");
        }
        return user;
    }

    static Optional<String> httpUrl(Node n, String key, boolean required) {
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
        // Clients append paths ("/chat/completions", "/_matrix/..."): a trailing slash would double theirs.
        return url.map(u -> u.replaceAll("/+$", ""));
    }

    static boolean readableFile(String path) {
        try {
            Path p = Path.of(path);
            return Files.isRegularFile(p) && Files.isReadable(p);
        } catch (InvalidPathException e) {
            return false;
        }
    }

    static Path path(Node n, String key) {
        String s = n.text(key);
        try {
            return Path.of(s.isEmpty() ? "." : s);
        } catch (InvalidPathException e) {
            n.problem(key, "not a valid path: \"" + s + "\"");
            return Path.of(".");
        }
    }

    static ZoneId zone(Node n, String key) {
        String s = n.text(key);
        try {
            return ZoneId.of(s.isEmpty() ? "UTC" : s);
        } catch (DateTimeException e) {
            n.problem(key, "unknown time zone \"" + s + "\" (use an IANA zone id such as \"Europe/Paris\" or \"UTC\")");
            return ZoneId.of("UTC");
        }
    }

    static void markRead(Node n, String... keys) {
        for (String k : keys) {
            n.raw(k);
        }
    }

    static Duration positive(Node n, String key) {
        return n.duration(key, Duration.ofMillis(1));
    }
}
