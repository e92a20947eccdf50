package dev.parley.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.testsupport.Waiting;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A human in a test room, on raw HTTP (java.net.http, not the code under test): creates rooms, says things,
 * edits, and reads back what the room shows. Public for the start-up benchmark (dev.parley.bench).
 */
public final class HumanClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final String token;
    public final String userId;

    public HumanClient(String homeserverUrl, String token, String userId) {
        this.base = homeserverUrl + "/_matrix/client/v3";
        this.token = token;
        this.userId = userId;
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public JsonNode call(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString()));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 429) {
            // not polling: Synapse said how long to wait before asking again
            Thread.sleep(JSON.readTree(r.body()).path("retry_after_ms").asLong(1000));
            return call(method, path, body);
        }
        if (r.statusCode() / 100 != 2) {
            throw new IOException(method + " " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Creates a room with an alias; public rooms anyone may join, private ones by invite. Returns the room id. */
    public String createRoom(String aliasLocalpart, boolean isPublic, List<String> invite) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("room_alias_name", aliasLocalpart)
                .put("preset", isPublic ? "public_chat" : "private_chat");
        var inv = body.putArray("invite");
        invite.forEach(inv::add);
        return call("POST", "/createRoom", body).path("room_id").asText();
    }

    void join(String room) throws Exception {
        call("POST", "/join/" + enc(room), JSON.createObjectNode());
    }

    String send(String roomId, ObjectNode content) throws Exception {
        return call("PUT", "/rooms/" + enc(roomId) + "/send/m.room.message/" + UUID.randomUUID(), content)
                .path("event_id").asText();
    }

    String say(String roomId, String text) throws Exception {
        return send(roomId, JSON.createObjectNode().put("msgtype", "m.text").put("body", text));
    }

    String emote(String roomId, String text) throws Exception {
        return send(roomId, JSON.createObjectNode().put("msgtype", "m.emote").put("body", text));
    }

    String notice(String roomId, String text) throws Exception {
        return send(roomId, JSON.createObjectNode().put("msgtype", "m.notice").put("body", text));
    }

    String edit(String roomId, String eventId, String newText) throws Exception {
        ObjectNode c = JSON.createObjectNode().put("msgtype", "m.text").put("body", "* " + newText);
        c.putObject("m.new_content").put("msgtype", "m.text").put("body", newText);
        c.putObject("m.relates_to").put("rel_type", "m.replace").put("event_id", eventId);
        return send(roomId, c);
    }

    void setPowerLevel(String roomId, String user, int level) throws Exception {
        ObjectNode pl = (ObjectNode) call("GET", "/rooms/" + enc(roomId) + "/state/m.room.power_levels/", null);
        pl.withObjectProperty("users").put(user, level);
        call("PUT", "/rooms/" + enc(roomId) + "/state/m.room.power_levels/", pl);
    }

    /** Every m.room.message in the room from the start, oldest first. */
    List<JsonNode> messages(String roomId) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        String from = null;
        while (true) {
            String q = "/rooms/" + enc(roomId) + "/messages?dir=f&limit=500" + (from == null ? "" : "&from=" + enc(from));
            JsonNode page = call("GET", q, null);
            for (JsonNode ev : page.path("chunk")) {
                if ("m.room.message".equals(ev.path("type").asText())) {
                    out.add(ev);
                }
            }
            if (!page.hasNonNull("end") || page.path("chunk").isEmpty()) {
                return out;
            }
            from = page.path("end").asText();
        }
    }

    /**
     * Waits until the room holds at least {@code n} messages from {@code senders}; then waits {@code settle} and
     * reads once more, so that a duplicate arriving just after would be seen by the caller. After {@code timeout}
     * it returns what is there, fewer than {@code n}: the caller's assertion says what is missing.
     */
    List<JsonNode> awaitFrom(String roomId, Set<String> senders, int n, Duration timeout, Duration settle)
            throws Exception {
        Callable<List<JsonNode>> ours = () -> messages(roomId).stream()
                .filter(e -> senders.contains(e.path("sender").asText())).toList();
        try {
            // Every 100 ms, as each check is a request to Synapse.
            Waiting.upTo(timeout).pollInterval(Duration.ofMillis(100)).until(ours, got -> got.size() >= n);
        } catch (ConditionTimeoutException fewer) {
            return ours.call();
        }
        Thread.sleep(settle.toMillis()); // not polling: a moment in which a duplicate would show
        return ours.call();
    }
}
