package dev.parley.model.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One shared, thread-safe Jackson mapper and the few helpers the providers need around it. */
public final class Json {
    private static final Logger log = LoggerFactory.getLogger(Json.class);
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() { }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Reads JSON, or returns a missing node for anything that is not JSON (an HTML error page, garbage). */
    public static JsonNode parseOrMissing(String text) {
        if (text == null || text.isBlank()) {
            return MAPPER.missingNode();
        }
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            return MAPPER.missingNode();
        }
    }

    /** Text of a field, or "" when it is absent, null or not a scalar. */
    public static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isValueNode() && !v.isNull() ? v.asText() : "";
    }

    /**
     * Merges the seat's extra-body map into the request, overriding what parley set (so a user can replace
     * e.g. max_tokens), except for the fields parley's parsing depends on.
     */
    public static void mergeExtraBody(ObjectNode body, Map<String, Object> extra, Set<String> reserved) {
        for (var e : extra.entrySet()) {
            if (reserved.contains(e.getKey())) {
                log.warn("extra-body key '{}' is ignored: parley sets it itself", e.getKey());
                continue;
            }
            body.set(e.getKey(), MAPPER.valueToTree(e.getValue()));
        }
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
