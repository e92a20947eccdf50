package dev.parley.model.anthropic;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.config.ModelConfig;
import dev.parley.model.ModelRequest;
import dev.parley.model.Role;
import dev.parley.model.Turn;
import dev.parley.model.http.Json;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the Messages JSON for one turn: {@code system} top-level, {@code max_tokens} always (the API requires
 * it), turns as given (the context builder already merged same-role turns), stop sequences merged.
 *
 * <p>The API refuses whitespace-only text, so a blank turn (the seat that opens a conversation gets " ") is
 * sent as "…". With prompt caching on, the system prompt and the last turn carry {@code cache_control}
 * breakpoints: in an AI-to-AI room each request is the previous one plus new turns, so the next request reads
 * everything up to that breakpoint from the cache (until the context budget starts trimming old turns).
 */
final class AnthropicRequestBody {
    /** Used when a seat's max-tokens is not set (0): the API has no default. */
    static final int DEFAULT_MAX_TOKENS = 1024;
    static final String BLANK_TURN = "…";
    private static final Set<String> RESERVED = Set.of("messages", "stream", "system");

    private AnthropicRequestBody() { }

    static ObjectNode build(ModelConfig cfg, ModelRequest req) {
        ObjectNode body = Json.object();
        body.put("model", cfg.model());
        body.put("max_tokens", cfg.maxTokens() > 0 ? cfg.maxTokens() : DEFAULT_MAX_TOKENS);
        boolean cache = cfg.promptCaching();
        if (!req.system().isBlank()) {
            if (cache) {
                ObjectNode block = body.putArray("system").addObject();
                block.put("type", "text").put("text", req.system());
                block.putObject("cache_control").put("type", "ephemeral");
            } else {
                body.put("system", req.system());
            }
        }
        ArrayNode messages = body.putArray("messages");
        List<Turn> turns = req.turns();
        for (int i = 0; i < turns.size(); i++) {
            Turn t = turns.get(i);
            boolean last = i == turns.size() - 1;
            String said = t.text();
            String text = said.isBlank() ? BLANK_TURN : said;
            if (last && t.role() == Role.ASSISTANT) {
                text = text.stripTrailing(); // a final assistant turn is a prefill: trailing whitespace is refused
            }
            ObjectNode m = messages.addObject().put("role", t.role().wireName());
            if (cache && last) {
                ObjectNode block = m.putArray("content").addObject();
                block.put("type", "text").put("text", text);
                block.putObject("cache_control").put("type", "ephemeral");
            } else {
                m.put("content", text);
            }
        }
        body.put("stream", true);
        cfg.temperature().ifPresent(v -> body.put("temperature", v));
        cfg.topP().ifPresent(v -> body.put("top_p", v));
        LinkedHashSet<String> stop = new LinkedHashSet<>();
        for (String s : cfg.stop()) {
            if (s != null && !s.isBlank()) {
                stop.add(s);
            }
        }
        for (String s : req.stop()) {
            if (s != null && !s.isBlank()) {
                stop.add(s);
            }
        }
        if (!stop.isEmpty()) {
            ArrayNode a = body.putArray("stop_sequences");
            stop.forEach(a::add);
        }
        Json.mergeExtraBody(body, cfg.extraBody(), RESERVED);
        return body;
    }
}
