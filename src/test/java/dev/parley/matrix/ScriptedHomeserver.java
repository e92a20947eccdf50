package dev.parley.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.config.MatrixServerConfig;
import dev.parley.config.Secret;
import dev.parley.core.Backoff;
import dev.parley.core.SeatId;
import dev.parley.core.Cancellable;
import dev.parley.core.Scheduler;
import dev.parley.core.VirtualScheduler;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A scripted homeserver for the unit tests of a Matrix room's parts: answers by method and path prefix (the
 * route added last wins), records every call, and drives a {@link VirtualScheduler}, so retries and backoff
 * take no real time. HTTP itself is real (OkHttp against MockWebServer), so tests wait for it with
 * {@link #until}, which lets no virtual time pass.
 */
final class ScriptedHomeserver implements AutoCloseable {
    static final Backoff BACKOFF = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
    static final MatrixRoom.Tuning TUNING = new MatrixRoom.Tuning(BACKOFF, Duration.ofSeconds(30),
            Duration.ofSeconds(5), 50, Duration.ofMillis(2500));
    private static final Duration REAL_WAIT = Duration.ofSeconds(10);

    /** A call: who made it (the token's name as {@code @name:hs}, or the masqueraded user), what, with what. */
    record Call(String user, String method, String path, JsonNode body, RecordedRequest request) {
        String query(String name) {
            return request.getUrl().queryParameter(name);
        }
    }

    private record Route(String method, String pathPrefix, Function<Call, MockResponse> answer) { }

    private final VirtualScheduler clock = new VirtualScheduler();
    private final List<Duration> delays = new CopyOnWriteArrayList<>();
    /** The virtual clock, noting the delay of every task scheduled on it (see {@link #scheduled}). */
    final Scheduler scheduler = new Scheduler() {
        @Override
        public Instant now() {
            return clock.now();
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            delays.add(delay);
            return clock.schedule(delay, task);
        }
    };
    private final MockWebServer server = new MockWebServer();
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<MatrixClient> clients = new CopyOnWriteArrayList<>();

    ScriptedHomeserver() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
        server.start();
    }

    /** Answers calls of {@code method} whose path (after /_matrix/client/v3) starts with {@code pathPrefix}. */
    ScriptedHomeserver on(String method, String pathPrefix, Function<Call, MockResponse> answer) {
        routes.add(0, new Route(method, pathPrefix, answer));
        return this;
    }

    ScriptedHomeserver on(String method, String pathPrefix, int code, String body) {
        return on(method, pathPrefix, c -> json(code, body));
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    static MockResponse forbidden(String why) {
        return json(403, "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"" + why + "\"}");
    }

    private MockResponse answer(RecordedRequest r) {
        String path = r.getUrl().encodedPath().replace("/_matrix/client/v3", "");
        String user = r.getUrl().queryParameter("user_id");
        String auth = r.getHeaders().get("Authorization");
        if (user == null) {
            user = auth == null ? "" : "@" + auth.substring("Bearer ".length()) + ":hs";
        }
        JsonNode body;
        try {
            body = r.getBody() == null || r.getBody().size() == 0 ? null
                    : MatrixClient.MAPPER.readTree(r.getBody().utf8());
        } catch (IOException e) {
            return json(400, "{\"errcode\":\"M_NOT_JSON\"}");
        }
        Call call = new Call(user, r.getMethod(), path, body, r);
        calls.add(call);
        for (Route route : routes) {
            if (route.method().equals(r.getMethod()) && path.startsWith(route.pathPrefix())) {
                return route.answer().apply(call);
            }
        }
        return json(404, "{\"errcode\":\"M_UNRECOGNIZED\"}");
    }

    String url() {
        return server.url("/").toString();
    }

    /** A client holding the token {@code name}, which this server takes for the user {@code @name:hs}. */
    MatrixClient client(String name) {
        MatrixClient c = new MatrixClient(MatrixClient.defaultHttp(), url(), scheduler, BACKOFF, name);
        clients.add(c);
        return c;
    }

    /** Accounts mode, control user {@code @bot:hs} with the token "bot". */
    MatrixServerConfig accounts() {
        return new MatrixServerConfig("hs", url(), "@bot:hs", Optional.of(new Secret("bot", "test")), List.of());
    }

    RoomContext context(MatrixServerConfig config, Set<SeatId> cast) {
        RoomContext ctx = new RoomContext("matrix !r:hs", config, scheduler, TUNING, cast);
        ctx.roomId = "!r:hs";
        return ctx;
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    List<Call> calls(String method, String pathPrefix) {
        return calls.stream().filter(c -> c.method().equals(method) && c.path().startsWith(pathPrefix)).toList();
    }

    /** Waits (real time, for HTTP) until {@code condition}, running the tasks due meanwhile; the clock stands still. */
    void until(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + REAL_WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting until " + what).isLessThan(end);
            clock.runDue();
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
    }

    /** Waits until {@code f} is done, letting virtual time run on as far as its retries need; returns it. */
    <T> CompletableFuture<T> drive(CompletableFuture<T> f) {
        long end = System.nanoTime() + REAL_WAIT.toNanos();
        while (!f.isDone()) {
            assertThat(System.nanoTime()).as("future done in time").isLessThan(end);
            clock.runUntilIdle(Duration.ofHours(1));
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return f;
    }

    /** Lets {@code d} of virtual time pass, running what falls due. */
    void advance(Duration d) {
        clock.advance(d);
    }

    /** How many tasks were scheduled with exactly this delay: a retry waiting is one. */
    int scheduled(Duration delay) {
        return (int) delays.stream().filter(delay::equals).count();
    }

    List<String> paths() {
        List<String> out = new ArrayList<>();
        calls.forEach(c -> out.add(c.method() + " " + c.path()));
        return out;
    }

    @Override
    public void close() {
        clients.forEach(MatrixClient::close);
        server.close();
    }
}
