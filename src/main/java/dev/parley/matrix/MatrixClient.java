package dev.parley.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.Backoff;
import dev.parley.core.Scheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Matrix identity on the client-server API (v3). Every call is asynchronous (OkHttp's own threads, never
 * the caller's) and returns a future. Calls made with {@code retry} survive a homeserver that restarts: network
 * errors and 5xx are retried with {@link Backoff} and {@code M_LIMIT_EXCEEDED} after the time the server asks
 * for, all through the {@link Scheduler} (no sleeping threads). The retried request is the very same request,
 * so a send keeps its transaction id and the homeserver drops a duplicate. A 401 is never retried: the token
 * is revoked and the caller must say so.
 *
 * <p>In appservice mode one client holds the as_token and {@link #masquerade} gives a client acting as a ghost
 * ({@code ?user_id=}).
 */
public final class MatrixClient {
    private static final Logger log = LoggerFactory.getLogger(MatrixClient.class);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    static final ObjectMapper MAPPER = new ObjectMapper();
    /** Reads responses into records: fields a record does not name are skipped (servers add fields freely). */
    private static final ObjectReader RECORDS = MAPPER.reader()
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final OkHttpClient http;
    private final HttpUrl base;
    private final Scheduler scheduler;
    private final Backoff backoff;
    private final String accessToken;
    private final String masqueradeAs;
    private final AtomicBoolean closed;
    private final Set<Call> inFlight;

    public MatrixClient(OkHttpClient http, String homeserverUrl, Scheduler scheduler, Backoff backoff,
                        String accessToken) {
        this(http, parseUrl(homeserverUrl), scheduler, backoff, Objects.requireNonNull(accessToken, "accessToken"),
                null, new AtomicBoolean(), ConcurrentHashMap.newKeySet());
    }

    private MatrixClient(OkHttpClient http, HttpUrl base, Scheduler scheduler, Backoff backoff, String accessToken,
                         String masqueradeAs, AtomicBoolean closed, Set<Call> inFlight) {
        this.http = http;
        this.base = base;
        this.scheduler = scheduler;
        this.backoff = backoff;
        this.accessToken = accessToken;
        this.masqueradeAs = masqueradeAs;
        this.closed = closed;
        this.inFlight = inFlight;
    }

    /** An OkHttp client suited to /sync long-polls (read timeout well above the 30 s poll). */
    public static OkHttpClient defaultHttp() {
        return new OkHttpClient.Builder()
                .connectTimeout(10, TimeUnit.SECONDS)
                .readTimeout(90, TimeUnit.SECONDS)
                .writeTimeout(30, TimeUnit.SECONDS)
                .build();
    }

    /**
     * Logs in with a password ({@code m.login.password}) as the device {@code deviceId}, and returns a client
     * holding the new token. The same device at every start: a homeserver scopes transaction ids to the device, so
     * only then does a message sent again after a restart count as the same transaction (and devices do not pile
     * up in the account).
     */
    public static CompletableFuture<MatrixClient> login(OkHttpClient http, String homeserverUrl, Scheduler scheduler,
                                                        Backoff backoff, String userId, String password,
                                                        String deviceId) {
        MatrixClient anonymous = new MatrixClient(http, parseUrl(homeserverUrl), scheduler, backoff, null, null,
                new AtomicBoolean(), ConcurrentHashMap.newKeySet());
        ObjectNode body = MAPPER.createObjectNode().put("type", "m.login.password").put("password", password)
                .put("initial_device_display_name", "parley").put("device_id", deviceId);
        body.putObject("identifier").put("type", "m.id.user").put("user", userId);
        return anonymous.request("POST", List.of("login"), Map.of(), body, true)
                .thenApply(r -> new MatrixClient(http, anonymous.base, scheduler, backoff,
                        r.path("access_token").asText(), null, new AtomicBoolean(), ConcurrentHashMap.newKeySet()));
    }

    /** The token this client sends, for the one place that keeps it (MatrixSessions); never to be logged. */
    String accessToken() {
        return accessToken;
    }

    /** A client acting as {@code userId} through this application service's token (same lifecycle). */
    public MatrixClient masquerade(String userId) {
        return new MatrixClient(http, base, scheduler, backoff, accessToken, userId, closed, inFlight);
    }

    public CompletableFuture<String> whoami() {
        return request("GET", List.of("account", "whoami"), Map.of(), null, true)
                .thenApply(r -> r.path("user_id").asText());
    }

    /** Joins by room id or alias (also accepts a pending invite); returns the room id. */
    public CompletableFuture<String> join(String roomIdOrAlias) {
        return request("POST", List.of("join", roomIdOrAlias), Map.of(), MAPPER.createObjectNode(), true)
                .thenApply(r -> r.path("room_id").asText());
    }

    /** The room id an alias points to; a room id is returned as it is. */
    public CompletableFuture<String> resolve(String roomIdOrAlias) {
        if (!roomIdOrAlias.startsWith("#")) {
            return CompletableFuture.completedFuture(roomIdOrAlias);
        }
        return request("GET", List.of("directory", "room", roomIdOrAlias), Map.of(), null, true)
                .thenApply(r -> r.path("room_id").asText());
    }

    public CompletableFuture<Void> invite(String roomId, String userId) {
        return request("POST", List.of("rooms", roomId, "invite"), Map.of(),
                MAPPER.createObjectNode().put("user_id", userId), true).thenApply(r -> null);
    }

    /** One long-poll: {@code since} null for the initial sync; {@code filter} is an inline JSON filter. */
    public CompletableFuture<JsonNode> sync(String filter, String since, Duration timeout) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("filter", filter);
        q.put("timeout", Long.toString(timeout.toMillis()));
        if (since != null) {
            q.put("since", since);
        }
        return request("GET", List.of("sync"), q, null, true);
    }

    /**
     * One page of room events going forward from {@code from} (a sync or pagination token) towards {@code to},
     * with a RoomEventFilter: used to fill a gap when a /sync timeline comes back {@code limited}.
     */
    public CompletableFuture<JsonNode> messages(String roomId, String from, String to, String filter, int limit) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("dir", "f");
        q.put("from", from);
        if (to != null) {
            q.put("to", to);
        }
        q.put("limit", Integer.toString(limit));
        q.put("filter", filter);
        return request("GET", List.of("rooms", roomId, "messages"), q, null, true);
    }

    /**
     * Sends a room event with the caller's transaction id; retried with the same id until the homeserver
     * accepts it, so the message appears once. Returns the event id.
     */
    public CompletableFuture<String> send(String roomId, String eventType, String txnId, JsonNode content) {
        return request("PUT", List.of("rooms", roomId, "send", eventType, txnId), Map.of(), content, true)
                .thenApply(r -> r.path("event_id").asText());
    }

    /** Leaves the room (also declines an invite). */
    public CompletableFuture<Void> leave(String roomId) {
        return request("POST", List.of("rooms", roomId, "leave"), Map.of(), MAPPER.createObjectNode(), true)
                .thenApply(r -> null);
    }

    /**
     * Redacts an event, with {@code reason} shown in its place; retried with the same transaction id, so it is
     * done once.
     */
    public CompletableFuture<Void> redact(String roomId, String eventId, String txnId, String reason) {
        ObjectNode body = MAPPER.createObjectNode();
        if (reason != null && !reason.isBlank()) {
            body.put("reason", reason);
        }
        return request("PUT", List.of("rooms", roomId, "redact", eventId, txnId), Map.of(), body, true)
                .thenApply(r -> null);
    }

    /** Sets a state event (e.g. {@code m.room.topic} with state key ""); returns its event id. */
    public CompletableFuture<String> putState(String roomId, String eventType, String stateKey, JsonNode content) {
        return request("PUT", List.of("rooms", roomId, "state", eventType, stateKey), Map.of(), content, true)
                .thenApply(r -> r.path("event_id").asText());
    }

    /** Typing notices are best effort: not retried (a late "typing" is worse than none). */
    public CompletableFuture<Void> typing(String roomId, String userId, boolean typing, Duration timeout) {
        ObjectNode body = MAPPER.createObjectNode().put("typing", typing);
        if (typing) {
            body.put("timeout", timeout.toMillis());
        }
        return request("PUT", List.of("rooms", roomId, "typing", userId), Map.of(), body, false).thenApply(r -> null);
    }

    /**
     * The user's display name as the homeserver has it; empty when it has none (404), or when the question itself
     * failed: it is asked only to spare setting a name that is set already.
     */
    public CompletableFuture<Optional<String>> displayName(String userId) {
        return request("GET", List.of("profile", userId, "displayname"), Map.of(), null, false)
                .thenApply(r -> Optional.ofNullable(r.path("displayname").textValue()))
                .exceptionally(e -> Optional.empty());
    }

    public CompletableFuture<Void> setDisplayName(String userId, String displayName) {
        return request("PUT", List.of("profile", userId, "displayname"), Map.of(),
                MAPPER.createObjectNode().put("displayname", displayName), true).thenApply(r -> null);
    }

    /** The room's {@code m.room.power_levels} content. */
    public CompletableFuture<JsonNode> powerLevels(String roomId) {
        return request("GET", List.of("rooms", roomId, "state", "m.room.power_levels", ""), Map.of(), null, true);
    }

    /** Registers an appservice ghost ({@code m.login.application_service}); an existing one is fine. */
    public CompletableFuture<Void> registerGhost(String localpart) {
        ObjectNode body = MAPPER.createObjectNode().put("type", "m.login.application_service")
                .put("username", localpart).put("inhibit_login", true);
        return new MatrixClient(http, base, scheduler, backoff, accessToken, null, closed, inFlight)
                .request("POST", List.of("register"), Map.of(), body, true)
                .handle((r, e) -> {
                    Throwable cause = unwrap(e);
                    if (cause == null || cause instanceof MatrixException m && "M_USER_IN_USE".equals(m.errcode())) {
                        return null;
                    }
                    throw new java.util.concurrent.CompletionException(cause);
                });
    }

    /** Stops retries and cancels calls in flight (for this client and its masquerades). */
    public void close() {
        closed.set(true);
        for (Call c : inFlight) {
            c.cancel();
        }
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** A response (or part of one) as a record; {@link IllegalArgumentException} if it does not fit. */
    static <T> T read(JsonNode json, Class<T> type) {
        try {
            return RECORDS.forType(type).readValue(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("unexpected " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    static Throwable unwrap(Throwable e) {
        while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static HttpUrl parseUrl(String homeserverUrl) {
        HttpUrl url = HttpUrl.parse(homeserverUrl);
        if (url == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + homeserverUrl);
        }
        return url;
    }

    CompletableFuture<JsonNode> request(String method, List<String> path, Map<String, String> query, JsonNode body,
                                        boolean retry) {
        HttpUrl.Builder url = base.newBuilder().addPathSegments("_matrix/client/v3");
        for (String segment : path) {
            url.addPathSegment(segment);
        }
        query.forEach(url::addQueryParameter);
        if (masqueradeAs != null) {
            url.addQueryParameter("user_id", masqueradeAs);
        }
        Request.Builder rb = new Request.Builder().url(url.build());
        if (accessToken != null) {
            rb.header("Authorization", "Bearer " + accessToken);
        }
        RequestBody rbody = body == null ? null : RequestBody.create(body.toString(), JSON);
        if (rbody == null && !method.equals("GET")) {
            rbody = RequestBody.create("{}", JSON);
        }
        rb.method(method, rbody);
        Attempt a = new Attempt(rb.build(), method + " /" + String.join("/", path), retry);
        a.run();
        return a.result;
    }

    /** One logical request and its retries; the same {@link Request} object every time. */
    private final class Attempt implements Callback {
        final Request request;
        final String what;
        final boolean retry;
        final CompletableFuture<JsonNode> result = new CompletableFuture<>();
        int failures;

        Attempt(Request request, String what, boolean retry) {
            this.request = request;
            this.what = what;
            this.retry = retry;
        }

        void run() {
            if (closed.get()) {
                result.completeExceptionally(new MatrixException(0, "", "matrix client closed"));
                return;
            }
            Call call = http.newCall(request);
            inFlight.add(call);
            call.enqueue(this);
        }

        @Override
        public void onFailure(Call call, IOException e) {
            inFlight.remove(call);
            if (retry && !closed.get()) {
                Duration d = backoff.delay(failures++);
                log.debug("{} failed ({}); retry in {} ms", what, e.toString(), d.toMillis());
                scheduler.schedule(d, this::run);
            } else if (closed.get()) {
                result.completeExceptionally(new MatrixException(0, "", "matrix client closed"));
            } else {
                result.completeExceptionally(new UncheckedIOException(e));
            }
        }

        @Override
        public void onResponse(Call call, Response response) {
            inFlight.remove(call);
            JsonNode json;
            int code = response.code();
            String retryAfterHeader = response.header("Retry-After");
            try (ResponseBody b = response.body()) {
                String text = b == null ? "" : b.string();
                json = text.isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(text);
            } catch (IOException e) {
                if (code >= 200 && code < 300) {
                    onFailure(call, e);
                    return;
                }
                json = MAPPER.createObjectNode();
            }
            if (code >= 200 && code < 300) {
                result.complete(json);
                return;
            }
            String errcode = json.path("errcode").asText("");
            if (code == 429 || "M_LIMIT_EXCEEDED".equals(errcode)) {
                Duration wait = retryAfter(json, retryAfterHeader);
                if (closed.get()) {
                    result.completeExceptionally(new MatrixException(code, errcode, "matrix client closed"));
                    return;
                }
                log.debug("{} rate limited; retry in {} ms", what, wait.toMillis());
                scheduler.schedule(wait, this::run);
                return;
            }
            if (code >= 500 && retry && !closed.get()) {
                Duration d = backoff.delay(failures++);
                log.debug("{} got HTTP {}; retry in {} ms", what, code, d.toMillis());
                scheduler.schedule(d, this::run);
                return;
            }
            String message = what + ": HTTP " + code + (errcode.isEmpty() ? "" : " " + errcode)
                    + (json.hasNonNull("error") ? " (" + json.get("error").asText() + ")" : "");
            result.completeExceptionally(new MatrixException(code, errcode, message));
        }

        private Duration retryAfter(JsonNode json, String header) {
            long ms = json.path("retry_after_ms").asLong(0);
            if (header != null) {
                try {
                    ms = Math.max(ms, Long.parseLong(header.trim()) * 1000);
                } catch (NumberFormatException ignored) {
                    // An HTTP-date Retry-After is allowed but Synapse sends seconds; fall back to the body/backoff.
                }
            }
            return ms > 0 ? Duration.ofMillis(ms) : backoff.delay(failures++);
        }
    }
}
