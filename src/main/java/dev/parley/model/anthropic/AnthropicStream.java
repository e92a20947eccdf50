package dev.parley.model.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.Scheduler;
import dev.parley.model.ModelError;
import dev.parley.model.ModelError.Kind;
import dev.parley.model.ReplyListener;
import dev.parley.model.Usage;
import dev.parley.model.http.HttpErrors;
import dev.parley.model.http.Json;
import dev.parley.model.http.SseCall;
import java.io.IOException;

/**
 * Decodes a Messages stream: {@code message_start} (input usage), {@code content_block_start}/{@code _delta}
 * ({@code text_delta} is text; thinking and tool deltas are not shown), {@code message_delta} (stop_reason and the
 * cumulative output count), {@code message_stop} (done), {@code ping} (ignored), {@code error} (mid-stream failure,
 * e.g. overloaded_error). Unknown event types are ignored, as Anthropic's versioning policy asks.
 */
final class AnthropicStream extends SseCall {
    private boolean done;
    private long input;
    private long cacheRead;
    private long cacheWrite;
    private long output;

    AnthropicStream(ReplyListener listener, Scheduler scheduler, String secret, String label, long inputEstimate) {
        super(listener, scheduler, secret, label, inputEstimate);
    }

    @Override
    protected void onStreamEvent(String type, String data) throws IOException {
        JsonNode ev = Json.MAPPER.readTree(data);
        String kind = Json.text(ev, "type");
        if (kind.isEmpty() && type != null) {
            kind = type;
        }
        switch (kind) {
            case "message_start" -> readUsage(ev.path("message").path("usage"));
            case "content_block_start" -> {
                JsonNode block = ev.path("content_block");
                if ("text".equals(Json.text(block, "type"))) {
                    delta(Json.text(block, "text"));
                }
            }
            case "content_block_delta" -> {
                JsonNode d = ev.path("delta");
                if ("text_delta".equals(Json.text(d, "type"))) {
                    delta(Json.text(d, "text"));
                }
            }
            case "message_delta" -> {
                String reason = Json.text(ev.path("delta"), "stop_reason");
                if (!reason.isEmpty()) {
                    finishReason = reason;
                }
                readUsage(ev.path("usage"));
            }
            case "message_stop" -> {
                done = true;
                complete();
            }
            case "error" -> fail(streamError(ev.path("error")));
            default -> { } // ping, content_block_stop, and event types added later
        }
    }

    /** message_start carries the input counts; message_delta the cumulative output (and, lately, input) counts. */
    private void readUsage(JsonNode u) {
        if (!u.isObject()) {
            return;
        }
        input = count(u, "input_tokens", input);
        cacheRead = count(u, "cache_read_input_tokens", cacheRead);
        cacheWrite = count(u, "cache_creation_input_tokens", cacheWrite);
        output = count(u, "output_tokens", output);
        // Anthropic's input_tokens excludes cached tokens; Usage counts the whole prompt (see Usage).
        usage = new Usage(input + cacheRead + cacheWrite, output, cacheRead);
    }

    /**
     * Counts are cumulative, so a later event never lowers one: a message_delta that leaves input out, or sends
     * it as null or 0, keeps the message_start count (which is what a reply cut short is charged by).
     */
    private static long count(JsonNode usage, String field, long before) {
        JsonNode n = usage.path(field);
        return n.isNumber() ? Math.max(before, n.asLong()) : before;
    }

    private ModelError streamError(JsonNode error) {
        String type = Json.text(error, "type");
        String detail = redact(Json.text(error, "message"));
        return switch (type) {
            case "overloaded_error" -> ModelError.of(Kind.RATE_LIMITED, "overloaded mid-reply");
            case "rate_limit_error" -> ModelError.of(Kind.RATE_LIMITED, "rate limited mid-reply");
            case "api_error", "timeout_error", "" -> ModelError.of(Kind.TRANSIENT, "server error mid-reply");
            default -> ModelError.of(Kind.PERMANENT, type.replace('_', ' ') + (detail.isEmpty() ? "" : ": " + detail));
        };
    }

    @Override
    protected void onStreamClosed() {
        if (!done) {
            fail(cut("stream ended before the reply was complete"));
        }
    }

    @Override
    protected HttpErrors.ProviderError parseError(String body) {
        JsonNode e = Json.parseOrMissing(body).path("error");
        if (!e.isObject()) {
            return HttpErrors.ProviderError.NONE;
        }
        return new HttpErrors.ProviderError(Json.text(e, "type"), "", Json.text(e, "message"));
    }
}
