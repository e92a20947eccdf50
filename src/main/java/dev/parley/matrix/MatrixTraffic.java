package dev.parley.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.Scheduler;
import dev.parley.core.Telemetry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Watches a homeserver's HTTP traffic for the metrics no journal event holds, without a hook in the room: each
 * send tried again, and how late /sync brings room messages. An OkHttp application interceptor on the rooms'
 * client: it sees every attempt {@link MatrixClient} makes (a retry sends the very same {@link Request} again,
 * which is how one is known) and each response before the room reads it.
 *
 * <p>Sync lag is the time from {@code origin_server_ts} (when the homeserver received the message) to our /sync
 * response carrying it, for the long polls of a room that is listening; the catch-up poll after a start
 * ({@code timeout=0}) is left out, as its lag is parley's downtime, not the homeserver's delivery. Both clocks are
 * wall clocks: on another host a skew shows in it (a negative lag counts as 0).
 */
final class MatrixTraffic implements Interceptor {
    /** A sync response larger than this is not looked into (the room's filter keeps them far smaller). */
    private static final long MAX_PEEK = 4L << 20;

    private final String server;
    private final Scheduler clock;
    private final Telemetry telemetry;
    /** Sends seen so far, by identity; forgotten once their call is done with them. */
    private final Map<Request, Boolean> sends = Collections.synchronizedMap(new WeakHashMap<>());

    MatrixTraffic(String server, Scheduler clock, Telemetry telemetry) {
        this.server = server;
        this.clock = clock;
        this.telemetry = telemetry;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        if (isSend(request) && sends.put(request, Boolean.TRUE) != null) {
            telemetry.matrixSendRetry(server);
        }
        Response response = chain.proceed(request);
        if (isListeningSync(request) && response.isSuccessful()) {
            Instant received = clock.now();
            try {
                syncLag(MatrixClient.MAPPER.readTree(response.peekBody(MAX_PEEK).string()), received);
            } catch (IOException | RuntimeException e) {
                // Only a figure is lost; the room reads the response itself and reports what is wrong with it.
            }
        }
        return response;
    }

    private void syncLag(JsonNode sync, Instant received) {
        for (JsonNode room : sync.path("rooms").path("join")) {
            for (JsonNode ev : room.path("timeline").path("events")) {
                if ("m.room.message".equals(ev.path("type").asText()) && ev.path("origin_server_ts").isNumber()) {
                    Instant sent = Instant.ofEpochMilli(ev.path("origin_server_ts").asLong());
                    telemetry.matrixSyncLag(server, Duration.between(sent, received));
                }
            }
        }
    }

    private static boolean isSend(Request r) {
        return "PUT".equals(r.method()) && r.url().encodedPathSegments().contains("send");
    }

    private static boolean isListeningSync(Request r) {
        String timeout = r.url().queryParameter("timeout");
        return r.url().encodedPath().endsWith("/sync") && r.url().queryParameter("since") != null
                && timeout != null && !timeout.equals("0");
    }
}
