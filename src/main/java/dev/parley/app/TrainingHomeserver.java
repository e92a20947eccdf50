package dev.parley.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Just enough of a Matrix homeserver (client-server API v3, one public room) for {@link CdsTraining}'s Matrix
 * start: password login, whoami, the room alias, joins, the room's encryption and power-level state, display
 * names, sends, typing, the topic and /sync, whose timeline carries the members' joins and the messages sent. So
 * the archive holds what a start in accounts mode loads (OkHttp, Kotlin's standard library, {@code
 * dev.parley.matrix}, the JSON bits) without a homeserver on the build machine. A token is {@code tok:} and the
 * user id it belongs to. Not a homeserver anyone should talk to: no passwords checked, nothing kept.
 */
final class TrainingHomeserver implements AutoCloseable {
    static final String ROOM_ID = "!training:train";
    static final String ROOM_ALIAS = "#training:train";
    /** A /sync long-poll is answered empty after this long at most: the training must end quickly either way. */
    private static final long MAX_POLL_MILLIS = 500;
    private static final String PREFIX = "/_matrix/client/v3/";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService threads;
    /** The room's timeline: every member event and message, in order; a sync position is an index into it. */
    private final List<ObjectNode> timeline = new ArrayList<>();

    TrainingHomeserver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "cds-training-homeserver");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange x) throws IOException {
        try (InputStream in = x.getRequestBody()) {
            byte[] raw = in.readAllBytes();
            JsonNode body = raw.length == 0 ? json.createObjectNode() : json.readTree(raw);
            String path = x.getRequestURI().getRawPath();
            if (!path.startsWith(PREFIX)) {
                reply(x, 404, error("M_UNRECOGNIZED"));
                return;
            }
            List<String> p = Arrays.stream(path.substring(PREFIX.length()).split("/", -1))
                    .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8)).toList();
            reply(x, 200, answer(x.getRequestMethod(), p, body, user(x), query(x, "since"), query(x, "timeout")));
        } catch (NotFound e) {
            reply(x, 404, error(e.getMessage()));
        } catch (RuntimeException | InterruptedException e) {
            reply(x, 500, error("M_UNKNOWN"));
        } finally {
            x.close();
        }
    }

    private JsonNode answer(String method, List<String> p, JsonNode body, String user, String since, String timeout)
            throws InterruptedException {
        String first = p.get(0);
        switch (method + " " + first) {
            case "POST login" -> {
                String who = body.path("identifier").path("user").asText();
                return json.createObjectNode().put("user_id", who).put("access_token", "tok:" + who)
                        .put("device_id", body.path("device_id").asText("TRAINING"));
            }
            case "GET account" -> {
                return json.createObjectNode().put("user_id", user);
            }
            case "GET directory" -> {
                return json.createObjectNode().put("room_id", ROOM_ID);
            }
            case "POST join" -> {
                append(event(user, "m.room.member", user, json.createObjectNode().put("membership", "join")));
                return json.createObjectNode().put("room_id", ROOM_ID);
            }
            case "PUT profile", "POST rooms" -> {
                return json.createObjectNode();
            }
            case "GET sync" -> {
                return sync(since == null ? 0 : Integer.parseInt(since),
                        since == null || timeout == null ? 0 : Math.min(Long.parseLong(timeout), MAX_POLL_MILLIS));
            }
            default -> {
                // rooms/{id}/{what}/...
            }
        }
        if (!first.equals("rooms") || p.size() < 3) {
            throw new NotFound("M_UNRECOGNIZED");
        }
        String what = p.get(2);
        if (method.equals("GET") && what.equals("state")) {
            return switch (p.get(3)) {
                case "m.room.power_levels" -> {
                    ObjectNode levels = json.createObjectNode().put("users_default", 0);
                    levels.putObject("users").put("@parley:train", 100);
                    yield levels;
                }
                default -> throw new NotFound("M_NOT_FOUND"); // no encryption, nothing else set
            };
        }
        if (method.equals("PUT") && (what.equals("send") || what.equals("state"))) {
            return json.createObjectNode().put("event_id",
                    append(event(user, p.get(3), what.equals("state") ? p.get(4) : null, body)));
        }
        if (method.equals("PUT") && what.equals("typing")) {
            return json.createObjectNode();
        }
        if (method.equals("GET") && what.equals("messages")) {
            ObjectNode page = json.createObjectNode();
            page.putArray("chunk");
            return page;
        }
        throw new NotFound("M_UNRECOGNIZED");
    }

    private ObjectNode event(String sender, String type, String stateKey, JsonNode content) {
        ObjectNode e = json.createObjectNode().put("type", type).put("sender", sender)
                .put("origin_server_ts", System.currentTimeMillis());
        if (stateKey != null) {
            e.put("state_key", stateKey);
        }
        e.set("content", content);
        return e;
    }

    private synchronized String append(ObjectNode event) {
        String id = "$" + timeline.size() + ":train";
        event.put("event_id", id);
        timeline.add(event);
        notifyAll();
        return id;
    }

    /** The timeline from {@code since} on, waiting up to {@code waitMillis} for something new. */
    private synchronized JsonNode sync(int since, long waitMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + waitMillis;
        while (timeline.size() <= since && System.currentTimeMillis() < end) {
            wait(Math.max(1, end - System.currentTimeMillis()));
        }
        ObjectNode r = json.createObjectNode().put("next_batch", Integer.toString(timeline.size()));
        ObjectNode room = r.putObject("rooms").putObject("join").putObject(ROOM_ID);
        room.putObject("state").putArray("events");
        ObjectNode t = room.putObject("timeline").put("limited", false).put("prev_batch", Integer.toString(since));
        ArrayNode events = t.putArray("events");
        timeline.subList(Math.min(since, timeline.size()), timeline.size()).forEach(events::add);
        return r;
    }

    private static String user(HttpExchange x) {
        String auth = x.getRequestHeaders().getFirst("Authorization");
        return auth != null && auth.startsWith("Bearer tok:") ? auth.substring("Bearer tok:".length()) : "";
    }

    private static String query(HttpExchange x, String name) {
        String q = x.getRequestURI().getRawQuery();
        if (q == null) {
            return null;
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private ObjectNode error(String errcode) {
        return json.createObjectNode().put("errcode", errcode).put("error", errcode);
    }

    private void reply(HttpExchange x, int code, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The answer is a 404 with this errcode. */
    private static final class NotFound extends RuntimeException {
        NotFound(String errcode) {
            super(errcode, null, false, false);
        }
    }
}
