package dev.parley.model.http;

import dev.parley.core.Cancellable;
import dev.parley.core.Scheduler;
import dev.parley.model.CallGuard;
import dev.parley.model.Metered;
import dev.parley.model.ModelError;
import dev.parley.model.ModelReply;
import dev.parley.model.ReplyListener;
import dev.parley.model.Usage;
import java.io.IOException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One streamed model call on okhttp-sse. Subclasses decode their provider's events and call {@link #delta},
 * {@link #complete} or {@link #fail}; this class owns the lifecycle: HTTP errors, network errors, a stream that
 * closes before the provider said it was done (a cut, reported TRANSIENT with the partial text), and cancel.
 * Every end carries the call's usage: what the provider reported, and where it reported nothing once the reply
 * had begun, a high-side estimate (the request's size for input, the text so far for output).
 */
public abstract class SseCall extends EventSourceListener implements Cancellable, Metered {
    private static final Logger log = LoggerFactory.getLogger(SseCall.class);
    /** Error bodies are small; a huge one is not worth reading whole. */
    private static final long MAX_ERROR_BODY = 64 * 1024;

    private final CallGuard guard;
    private final Scheduler scheduler;
    private final String secret;
    private final String label;
    private final long inputEstimate;
    private String keyAdvice = "check api-key-env";
    private volatile EventSource source;
    private volatile boolean opened;
    /** What the provider reported so far; written on OkHttp's thread, read by a timeout's. */
    protected volatile Usage usage = Usage.NONE;
    protected String finishReason = "";

    /** @param inputEstimate the request's estimated input tokens ({@link Usage#estimateInput}), used when unreported */
    protected SseCall(ReplyListener listener, Scheduler scheduler, String secret, String label, long inputEstimate) {
        this.inputEstimate = inputEstimate;
        this.guard = new CallGuard(listener);
        this.scheduler = scheduler;
        this.secret = secret;
        this.label = label;
    }

    /** What a 401 tells the operator to check ({@link HttpClients#keyAdvice}); set before {@link #start}. */
    public final SseCall keyAdvice(String advice) {
        this.keyAdvice = advice;
        return this;
    }

    /** Sends the request; returns at once (OkHttp's dispatcher runs the call). */
    public final SseCall start(OkHttpClient client, Request request) {
        source = EventSources.createFactory(client).newEventSource(request, this);
        return this;
    }

    @Override
    public final void cancel() {
        guard.close();
        EventSource s = source;
        if (s != null) {
            s.cancel();
        }
    }

    /**
     * Reported usage, with the input estimated if the server began a reply without counting it yet (OpenAI counts
     * only in the last chunk). Output is left as reported: the caller knows the text it saw. Nothing before the
     * server answered with a stream: a refused request costs nothing.
     */
    @Override
    public final Usage usageSoFar() {
        return opened ? usage.withEstimates(inputEstimate, "") : Usage.NONE;
    }

    /** Decodes one SSE event. Throwing means the stream is garbled. */
    protected abstract void onStreamEvent(String type, String data) throws IOException;

    /** The stream closed normally; the subclass decides whether the reply was complete. */
    protected abstract void onStreamClosed();

    /** Reads a provider error body ("" when the server sent none). */
    protected abstract HttpErrors.ProviderError parseError(String body);

    /**
     * A 2xx response that is not an event stream: some servers ignore {@code stream=true}. The default
     * refuses it; a provider that can read the plain JSON reply overrides this.
     */
    protected void onPlainBody(Response response, String body) {
        fail(ModelError.of(ModelError.Kind.PERMANENT,
                "unexpected content type " + response.header("Content-Type", "(none)") + ": check base-url"));
    }

    protected final void delta(String text) {
        guard.delta(text);
    }

    protected final void complete() {
        completeWith(guard.textSoFar());
    }

    protected final void completeWith(String text) {
        if (guard.isClosed()) {
            return;
        }
        // Logged before delivery so that the log line is written by the time the engine sees the reply.
        Usage counted = usage.withEstimates(inputEstimate, text);
        log.debug("{} reply ({} chars, {}, finish={}): {}", label, text.length(), counted, finishReason, text);
        guard.reply(new ModelReply(text, counted, finishReason, false));
    }

    /** Ends the call with an error, attaching whatever text had streamed in. */
    protected final void fail(ModelError error) {
        ModelError e = guard.hasText() ? error.withPartialText(guard.textSoFar()) : error;
        if (opened || guard.hasText()) {
            e = e.withUsage(usage.withEstimates(inputEstimate, "").withOutputAtLeast(e.partialText()));
        }
        if (!guard.isClosed()) {
            log.debug("{} failed: {} (after {} chars)", label, e.message(), e.partialText().length());
        }
        guard.error(e);
        EventSource s = source;
        if (s != null) {
            s.cancel();
        }
    }

    protected final ModelError cut(String why) {
        return ModelError.of(ModelError.Kind.TRANSIENT, why);
    }

    protected final ModelError statusError(int status, HttpErrors.ProviderError err, okhttp3.Headers headers) {
        return HttpErrors.fromStatus(status, err, headers, scheduler.now(), secret, keyAdvice);
    }

    protected final String redact(String text) {
        return HttpErrors.redact(text, secret);
    }

    @Override
    public final void onOpen(EventSource es, Response response) {
        opened = true;
    }

    @Override
    public final void onEvent(EventSource es, String id, String type, String data) {
        if (guard.isClosed()) {
            es.cancel();
            return;
        }
        try {
            onStreamEvent(type, data);
        } catch (IOException | RuntimeException e) {
            log.debug("{} garbled event {}: {}", label, type, e.toString());
            fail(cut("garbled stream from the model's server"));
        }
    }

    @Override
    public final void onClosed(EventSource es) {
        if (!guard.isClosed()) {
            onStreamClosed();
        }
    }

    @Override
    public final void onFailure(EventSource es, Throwable t, Response response) {
        if (guard.isClosed()) {
            return;
        }
        if (response != null && !response.isSuccessful()) {
            String body = readBody(response);
            log.debug("{} HTTP {} body: {}", label, response.code(), HttpErrors.scrub(body, secret));
            fail(HttpErrors.fromStatus(response.code(), parseError(body), response.headers(), scheduler.now(), secret,
                    keyAdvice));
            return;
        }
        if (response != null && t instanceof IllegalStateException && !guard.hasText()) {
            // okhttp-sse's "Invalid content-type": the body is still readable here.
            String body = readBody(response);
            log.debug("{} non-stream body: {}", label, HttpErrors.scrub(body, secret));
            try {
                onPlainBody(response, body);
            } catch (RuntimeException e) {
                fail(ModelError.of(ModelError.Kind.PERMANENT, "unreadable reply from the model's server"));
            }
            return;
        }
        log.debug("{} network failure: {}", label, String.valueOf(t));
        fail(guard.hasText() ? cut("stream cut mid-reply") : HttpErrors.network(t));
    }

    private static String readBody(Response response) {
        try {
            return response.peekBody(MAX_ERROR_BODY).string();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
