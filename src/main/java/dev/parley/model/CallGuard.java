package dev.parley.model;

/**
 * Enforces the {@link ReplyListener} contract around one call whose events come from several threads
 * (HTTP callbacks, timers, cancel): deltas only before the end, exactly one end, nothing once closed.
 * Delivery and closing share one lock, so once {@link #close} returns no callback can start any more.
 */
public final class CallGuard {
    private final ReplyListener listener;
    private boolean closed;
    private final StringBuilder text = new StringBuilder();

    public CallGuard(ReplyListener listener) {
        this.listener = listener;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** The deltas delivered so far, concatenated. */
    public synchronized String textSoFar() {
        return text.toString();
    }

    public synchronized boolean hasText() {
        return text.length() > 0;
    }

    public synchronized void delta(String piece) {
        if (closed || piece == null || piece.isEmpty()) {
            return;
        }
        text.append(piece);
        listener.onDelta(piece);
    }

    /** Passes a retry notice on unless closed; the text so far is forgotten, as the contract says. */
    public synchronized void retry(ModelError cause, java.time.Duration delay) {
        if (closed) {
            return;
        }
        text.setLength(0);
        listener.onRetry(cause, delay);
    }

    /** Delivers the reply if nothing ended the call before; returns whether it was delivered. */
    public synchronized boolean reply(ModelReply reply) {
        if (closed) {
            return false;
        }
        closed = true;
        listener.onReply(reply);
        return true;
    }

    public synchronized boolean error(ModelError error) {
        if (closed) {
            return false;
        }
        closed = true;
        listener.onError(error);
        return true;
    }

    /** Silences the call (cancel): returns whether it was still open. */
    public synchronized boolean close() {
        boolean wasOpen = !closed;
        closed = true;
        return wasOpen;
    }
}
