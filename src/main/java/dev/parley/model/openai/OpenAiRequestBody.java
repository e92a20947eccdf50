package dev.parley.model.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.config.ModelConfig;
import dev.parley.model.ModelRequest;
import dev.parley.model.Turn;
import dev.parley.model.http.Json;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the Chat Completions JSON for one turn.
 *
 * <p>Max tokens: {@code max_tokens} is what every OpenAI-compatible server understands (Ollama, llama.cpp,
 * vLLM, OpenRouter, Groq, Together); OpenAI itself deprecated it for {@code max_completion_tokens}, and its
 * reasoning models refuse the old name. So the new name is sent when the base URL is api.openai.com, the old
 * one elsewhere, and an extra-body entry of either name replaces parley's choice.
 *
 * <p>Stop: OpenAI accepts at most four sequences. The seat's configured ones come first (the user asked for
 * them), then the request's "\nName:" guards; the rest are dropped (the engine's impersonation guard cuts the
 * reply anyway).
 */
final class OpenAiRequestBody {
    static final int MAX_STOP = 4;
    private static final Set<String> RESERVED = Set.of("messages", "stream", "stream_options");

    private OpenAiRequestBody() { }

    static ObjectNode build(ModelConfig cfg, ModelRequest req, boolean officialOpenAi) {
        ObjectNode body = Json.object();
        body.put("model", cfg.model());
        ArrayNode messages = body.putArray("messages");
        if (!req.system().isBlank()) {
            messages.addObject().put("role", "system").put("content", req.system());
        }
        for (Turn t : req.turns()) {
            messages.addObject().put("role", t.role().wireName()).put("content", t.text());
        }
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        boolean userSetLimit = cfg.extraBody().containsKey("max_tokens")
                || cfg.extraBody().containsKey("max_completion_tokens");
        if (cfg.maxTokens() > 0 && !userSetLimit) {
            body.put(officialOpenAi ? "max_completion_tokens" : "max_tokens", cfg.maxTokens());
        }
        cfg.temperature().ifPresent(v -> body.put("temperature", v));
        cfg.topP().ifPresent(v -> body.put("top_p", v));
        cfg.seed().ifPresent(v -> body.put("seed", v));
        List<String> stop = stops(cfg.stop(), req.stop());
        if (!stop.isEmpty()) {
            ArrayNode a = body.putArray("stop");
            stop.forEach(a::add);
        }
        Json.mergeExtraBody(body, cfg.extraBody(), RESERVED);
        return body;
    }

    static List<String> stops(List<String> configured, List<String> requested) {
        LinkedHashSet<String> all = new LinkedHashSet<>();
        for (String s : configured) {
            if (s != null && !s.isEmpty()) {
                all.add(s);
            }
        }
        for (String s : requested) {
            if (s != null && !s.isEmpty()) {
                all.add(s);
            }
        }
        List<String> list = new ArrayList<>(all);
        return list.size() > MAX_STOP ? List.copyOf(list.subList(0, MAX_STOP)) : List.copyOf(list);
    }
}
