package dev.parley.model.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.Scheduler;
import dev.parley.model.ModelError;
import dev.parley.model.ReplyListener;
import dev.parley.model.Usage;
import dev.parley.model.http.HttpErrors;
import dev.parley.model.http.Json;
import dev.parley.model.http.SseCall;
import java.io.IOException;
import okhttp3.Headers;
import okhttp3.Response;

/**
 * Decodes a Chat Completions stream: {@code data:} chunks whose {@code choices[0].delta.content} is text,
 * a {@code finish_reason} on the last choice chunk, a usage chunk with empty choices (stream_options.include_usage),
 * then {@code data: [DONE]}. Also reads the in-stream {@code {"error": ...}} chunk that OpenRouter sends when a
 * provider fails after the response began. Comment lines (": OPENROUTER PROCESSING") never reach here:
 * okhttp-sse drops them.
 */
final class OpenAiStream extends SseCall {
    private boolean done;

    OpenAiStream(ReplyListener listener, Scheduler scheduler, String secret, String label, long inputEstimate) {
        super(listener, scheduler, secret, label, inputEstimate);
    }

    @Override
    protected void onStreamEvent(String type, String data) throws IOException {
        if (data.strip().equals("[DONE]")) {
            done = true;
            complete();
            return;
        }
        JsonNode chunk = Json.MAPPER.readTree(data);
        JsonNode error = chunk.path("error");
        if (error.isObject()) {
            fail(inStreamError(error));
            return;
        }
        JsonNode u = chunk.path("usage");
        if (u.isObject()) {
            usage = new Usage(u.path("prompt_tokens").asLong(0), u.path("completion_tokens").asLong(0),
                    u.path("prompt_tokens_details").path("cached_tokens").asLong(0));
        }
        JsonNode choice = chunk.path("choices").path(0);
        if (choice.isObject()) {
            String content = Json.text(choice.path("delta"), "content");
            delta(content);
            String reason = Json.text(choice, "finish_reason");
            if (!reason.isEmpty()) {
                finishReason = reason;
            }
        }
    }

    /** OpenRouter puts the upstream HTTP status in error.code when it can; otherwise assume a passing fault. */
    private ModelError inStreamError(JsonNode error) {
        int code = error.path("code").isInt() ? error.path("code").asInt() : 0;
        String message = Json.text(error, "message");
        if (code >= 400) {
            ModelError e = statusError(code, new HttpErrors.ProviderError(Json.text(error, "type"), "", message),
                    Headers.of());
            return e.withMessage("error mid-reply: " + e.message());
        }
        String detail = redact(message);
        return ModelError.of(ModelError.Kind.TRANSIENT, "error mid-reply" + (detail.isEmpty() ? "" : ": " + detail));
    }

    @Override
    protected void onStreamClosed() {
        if (done) {
            return;
        }
        // Some servers end with the finish_reason chunk and no [DONE]: that reply is whole.
        if (!finishReason.isEmpty()) {
            complete();
        } else {
            fail(cut("stream ended before the reply was complete"));
        }
    }

    @Override
    protected HttpErrors.ProviderError parseError(String body) {
        return parse(body);
    }

    static HttpErrors.ProviderError parse(String body) {
        JsonNode root = Json.parseOrMissing(body);
        JsonNode e = root.path("error");
        if (e.isObject()) {
            return new HttpErrors.ProviderError(Json.text(e, "type"), Json.text(e, "code"), Json.text(e, "message"));
        }
        if (e.isTextual()) {
            // Ollama's native error form: {"error": "model 'x' not found"}
            return new HttpErrors.ProviderError("", "", e.asText());
        }
        return HttpErrors.ProviderError.NONE;
    }

    /** A server that ignored stream=true and answered with one plain completion object. */
    @Override
    protected void onPlainBody(Response response, String body) {
        JsonNode root = Json.parseOrMissing(body);
        JsonNode choice = root.path("choices").path(0);
        if (!choice.isObject()) {
            super.onPlainBody(response, body);
            return;
        }
        JsonNode u = root.path("usage");
        usage = new Usage(u.path("prompt_tokens").asLong(0), u.path("completion_tokens").asLong(0),
                u.path("prompt_tokens_details").path("cached_tokens").asLong(0));
        finishReason = Json.text(choice, "finish_reason");
        String text = Json.text(choice.path("message"), "content");
        delta(text);
        completeWith(text);
    }
}
