package dev.parley.testsupport;

import dev.parley.core.Cancellable;
import dev.parley.model.ModelClient;
import dev.parley.model.ModelError;
import dev.parley.model.ModelReply;
import dev.parley.model.ModelRequest;
import dev.parley.model.ReplyListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * A fake model for engine tests: answers from a script (a queue of replies, errors, or "hold" markers that leave
 * the call open until the test completes it), and records every request it was sent.
 */
public final class ScriptedModel implements ModelClient {
    private final Deque<Object> script = new ArrayDeque<>();
    private final List<ModelRequest> requests = new ArrayList<>();
    private Function<ModelRequest, String> fallback;
    private ReplyListener held;
    private int cancelled;

    public static ScriptedModel saying(String... replies) {
        ScriptedModel m = new ScriptedModel();
        for (String r : replies) {
            m.then(r);
        }
        return m;
    }

    /** After the script runs out, answer with this function of the request. */
    public ScriptedModel otherwise(Function<ModelRequest, String> answer) {
        this.fallback = answer;
        return this;
    }

    public ScriptedModel then(String reply) {
        script.add(ModelReply.of(reply));
        return this;
    }

    public ScriptedModel then(ModelReply reply) {
        script.add(reply);
        return this;
    }

    public ScriptedModel thenFail(ModelError error) {
        script.add(error);
        return this;
    }

    /** The next call stays open until {@link #complete} or {@link #fail}. */
    public ScriptedModel thenHold() {
        script.add(Hold.INSTANCE);
        return this;
    }

    private enum Hold { INSTANCE }

    @Override
    public synchronized Cancellable start(ModelRequest request, ReplyListener listener) {
        requests.add(request);
        Object next = script.poll();
        if (next == null && fallback != null) {
            next = ModelReply.of(fallback.apply(request));
        }
        if (next == null) {
            next = ModelError.of(ModelError.Kind.PERMANENT, "script exhausted");
        }
        if (next instanceof ModelReply r) {
            listener.onDelta(r.text());
            listener.onReply(r);
        } else if (next instanceof ModelError e) {
            listener.onError(e);
        } else {
            held = listener;
        }
        return () -> {
            synchronized (this) {
                cancelled++;
                held = null;
            }
        };
    }

    /** Streams a piece of the held call's reply. */
    public synchronized void stream(String piece) {
        held.onDelta(piece);
    }

    /** Tells the engine the held call starts over (as RetryingModelClient does after a cut stream). */
    public synchronized void retry() {
        held.onRetry(dev.parley.model.ModelError.of(dev.parley.model.ModelError.Kind.TRANSIENT, "stream cut"),
                java.time.Duration.ofSeconds(1));
    }

    public synchronized void complete(String text) {
        complete(ModelReply.of(text));
    }

    public synchronized void complete(ModelReply reply) {
        ReplyListener l = held;
        held = null;
        l.onReply(reply);
    }

    public synchronized void fail(ModelError e) {
        ReplyListener l = held;
        held = null;
        l.onError(e);
    }

    public synchronized boolean holding() {
        return held != null;
    }

    public synchronized List<ModelRequest> requests() {
        return List.copyOf(requests);
    }

    public synchronized ModelRequest lastRequest() {
        return requests.get(requests.size() - 1);
    }

    public synchronized int cancelled() {
        return cancelled;
    }

    @Override
    public String describe() {
        return "scripted";
    }
}
