package dev.parley.model;

import dev.parley.core.Cancellable;
import java.util.ArrayList;
import java.util.List;

/** A ModelClient the test drives by hand: it records each call and the test decides what the call reports. */
final class FakeModel implements ModelClient {
    final class Call implements Cancellable {
        final ModelRequest request;
        final ReplyListener listener;
        volatile boolean cancelled;

        Call(ModelRequest request, ReplyListener listener) {
            this.request = request;
            this.listener = listener;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    final List<Call> calls = new ArrayList<>();

    @Override
    public synchronized Cancellable start(ModelRequest request, ReplyListener listener) {
        Call c = new Call(request, listener);
        calls.add(c);
        return c;
    }

    synchronized Call last() {
        return calls.get(calls.size() - 1);
    }

    @Override
    public String describe() {
        return "fake";
    }
}
