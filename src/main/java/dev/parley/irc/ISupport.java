package dev.parley.irc;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the server said it supports in its ISUPPORT (005) lines for the current session: tokens such as
 * {@code WHOX}, and {@code CASEMAPPING}, which decides when two nicks are the same. Written on the connection's
 * input thread, read from any thread.
 */
final class ISupport {
    /** Token (upper case) to its value ("" for a token without one). */
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private volatile CaseMapping caseMapping = CaseMapping.DEFAULT;

    /** {@code 005 me TOKEN[=value] -TOKEN ... :are supported by this server}. */
    void add(IrcLine line) {
        // The first parameter is our nick, the last the human-readable trailer.
        for (int i = 1; i < line.params().size() - 1; i++) {
            String token = line.param(i);
            if (token.startsWith("-")) {
                tokens.remove(token.substring(1).toUpperCase(Locale.ROOT));
                continue;
            }
            int eq = token.indexOf('=');
            String name = (eq < 0 ? token : token.substring(0, eq)).toUpperCase(Locale.ROOT);
            if (!name.isEmpty()) {
                tokens.put(name, eq < 0 ? "" : token.substring(eq + 1));
            }
        }
        caseMapping = value("CASEMAPPING").map(CaseMapping::of).orElse(CaseMapping.DEFAULT);
    }

    /** A new session: the server will say it all again. */
    void clear() {
        tokens.clear();
        caseMapping = CaseMapping.DEFAULT;
    }

    boolean supports(String token) {
        return tokens.containsKey(token.toUpperCase(Locale.ROOT));
    }

    Optional<String> value(String token) {
        return Optional.ofNullable(tokens.get(token.toUpperCase(Locale.ROOT)));
    }

    /** The server's CASEMAPPING; {@link CaseMapping#DEFAULT} until it told us, or when it names none we know. */
    CaseMapping caseMapping() {
        return caseMapping;
    }
}
