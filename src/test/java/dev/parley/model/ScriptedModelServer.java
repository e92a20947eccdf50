package dev.parley.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.model.http.Json;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A fake model API on loopback for end-to-end tests: answers each streamed request with the next scripted reply,
 * in the provider's real wire format (OpenAI chunks with a usage chunk and [DONE], or Anthropic's named events),
 * and keeps every request body for assertions. When the script runs out it answers 503.
 *
 * <pre>
 * try (var kimi = ScriptedModelServer.start(Api.OPENAI, List.of("Hello.", "Bye."))) {
 *     seat model { provider = openai, base-url = kimi.baseUrl(), ... }
 * }
 * </pre>
 */
public final class ScriptedModelServer implements Closeable {
    public enum Api { OPENAI, ANTHROPIC }

    private final MockWebServer server = new MockWebServer();
    private final Api api;
    private final List<String> replies;
    private final List<JsonNode> requests = Collections.synchronizedList(new ArrayList<>());
    private final Usage usage;
    private int next;

    private ScriptedModelServer(Api api, List<String> replies, Usage usage) {
        this.api = api;
        this.replies = List.copyOf(replies);
        this.usage = usage;
    }

    public static ScriptedModelServer start(Api api, List<String> replies) throws IOException {
        return start(api, replies, null);
    }

    /** Reports {@code usage} for every reply (null: about a token per four characters of request and reply). */
    public static ScriptedModelServer start(Api api, List<String> replies, Usage usage) throws IOException {
        ScriptedModelServer s = new ScriptedModelServer(api, replies, usage);
        s.server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return s.answer(request);
            }
        });
        s.server.start();
        return s;
    }

    /** The base-url a seat's config should use. */
    public String baseUrl() {
        return api == Api.OPENAI ? server.url("/v1").toString() : server.url("/").toString();
    }

    /** The JSON bodies received, in order. */
    public List<JsonNode> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private synchronized MockResponse answer(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        String expected = api == Api.OPENAI ? "/v1/chat/completions" : "/v1/messages";
        if (!"POST".equals(request.getMethod()) || !expected.equals(path)) {
            return new MockResponse.Builder().code(404).body("no such endpoint: " + path).build();
        }
        JsonNode body = Json.parseOrMissing(request.getBody() == null ? "" : request.getBody().utf8());
        requests.add(body);
        if (next >= replies.size()) {
            return new MockResponse.Builder().code(503).setHeader("Content-Type", "application/json")
                    .body("{\"error\":{\"message\":\"script exhausted\"}}").build();
        }
        String text = replies.get(next++);
        long input = usage != null ? usage.inputTokens() : body.toString().length() / 4;
        long output = usage != null ? usage.outputTokens() : Math.max(1, text.length() / 4);
        String sse = api == Api.OPENAI ? openAiStream(text, input, output) : anthropicStream(text, input, output);
        return new MockResponse.Builder().setHeader("Content-Type", "text/event-stream").chunkedBody(sse, 64).build();
    }

    /** A Chat Completions stream of {@code text}, word by word, then finish, usage chunk and [DONE]. */
    public static String openAiStream(String text, long inputTokens, long outputTokens) {
        StringBuilder sb = new StringBuilder(": keep-alive\n\n");
        sb.append(chunk(Json.object().put("role", "assistant").put("content", ""), null));
        for (String w : words(text)) {
            sb.append(chunk(Json.object().put("content", w), null));
        }
        sb.append(chunk(Json.object(), "stop"));
        ObjectNode usage = Json.object();
        usage.putArray("choices");
        usage.putObject("usage").put("prompt_tokens", inputTokens).put("completion_tokens", outputTokens)
                .put("total_tokens", inputTokens + outputTokens);
        sb.append("data: ").append(Json.write(usage)).append("\n\n");
        return sb.append("data: [DONE]\n\n").toString();
    }

    private static String chunk(ObjectNode delta, String finish) {
        ObjectNode c = Json.object().put("id", "chatcmpl-fake").put("object", "chat.completion.chunk");
        ArrayNode choices = c.putArray("choices");
        ObjectNode choice = choices.addObject().put("index", 0);
        choice.set("delta", delta);
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return "data: " + Json.write(c) + "\n\n";
    }

    /** A Messages stream of {@code text}: message_start, a ping, one text block word by word, message_delta, stop. */
    public static String anthropicStream(String text, long inputTokens, long outputTokens) {
        StringBuilder sb = new StringBuilder();
        ObjectNode start = Json.object().put("type", "message_start");
        ObjectNode msg = start.putObject("message").put("id", "msg_fake").put("type", "message").put("role", "assistant");
        msg.putArray("content");
        msg.putObject("usage").put("input_tokens", inputTokens).put("output_tokens", 1);
        event(sb, "message_start", start);
        ObjectNode blockStart = Json.object().put("type", "content_block_start").put("index", 0);
        blockStart.putObject("content_block").put("type", "text").put("text", "");
        event(sb, "content_block_start", blockStart);
        event(sb, "ping", Json.object().put("type", "ping"));
        for (String w : words(text)) {
            ObjectNode d = Json.object().put("type", "content_block_delta").put("index", 0);
            d.putObject("delta").put("type", "text_delta").put("text", w);
            event(sb, "content_block_delta", d);
        }
        event(sb, "content_block_stop", Json.object().put("type", "content_block_stop").put("index", 0));
        ObjectNode md = Json.object().put("type", "message_delta");
        md.putObject("delta").put("stop_reason", "end_turn").putNull("stop_sequence");
        md.putObject("usage").put("output_tokens", outputTokens);
        event(sb, "message_delta", md);
        event(sb, "message_stop", Json.object().put("type", "message_stop"));
        return sb.toString();
    }

    private static void event(StringBuilder sb, String name, ObjectNode data) {
        sb.append("event: ").append(name).append('\n').append("data: ").append(Json.write(data)).append("\n\n");
    }

    @Override
    public void close() {
        server.close();
    }

    /** Splits before each word, keeping the whitespace with the word before it. */
    private static List<String> words(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split("(?<=\\s)(?=\\S)"));
    }
}
