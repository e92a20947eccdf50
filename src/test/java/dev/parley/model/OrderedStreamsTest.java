package dev.parley.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.SystemScheduler;
import dev.parley.model.replay.ReplayModelClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The {@link ReplyListener} contract on the production scheduler, whose pool runs timers due at the same moment
 * on several workers at once: one call's deltas arrive one at a time and in order, so they add up to the reply.
 */
class OrderedStreamsTest {
    private static final int LINES = 40;

    /** Checks every call for order and overlap; the deltas of each call are kept to compare with its reply. */
    private static final class Checking implements ReplyListener {
        final StringBuilder deltas = new StringBuilder();
        final CompletableFuture<ModelReply> reply = new CompletableFuture<>();
        final AtomicBoolean inside = new AtomicBoolean();
        volatile boolean overlapped;

        @Override
        public void onDelta(String text) {
            enter();
            deltas.append(text);
            inside.set(false);
        }

        @Override
        public void onReply(ModelReply r) {
            enter();
            reply.complete(r);
            inside.set(false);
        }

        @Override
        public void onError(ModelError error) {
            reply.completeExceptionally(new AssertionError(error.message()));
        }

        private void enter() {
            if (!inside.compareAndSet(false, true)) {
                overlapped = true;
            }
        }
    }

    @Test
    void aFastReplayDeliversEveryCallsDeltasInOrderOnAPoolOfWorkers() throws Exception {
        List<String> lines = IntStream.range(0, LINES).mapToObj(OrderedStreamsTest::paragraphs).toList();
        try (SystemScheduler scheduler = new SystemScheduler(Clock.systemUTC(), 8)) {
            ReplayModelClient replay = new ReplayModelClient(lines, scheduler, 50_000);
            List<String> scrambled = new ArrayList<>();
            for (String line : lines) {
                Checking listener = new Checking();
                replay.start(ModelTestKit.twoSeatRequest(), listener);
                ModelReply reply = listener.reply.get(10, TimeUnit.SECONDS);
                assertThat(reply.text()).isEqualTo(line);
                assertThat(listener.overlapped).as("one callback at a time").isFalse();
                if (!listener.deltas.toString().equals(line)) {
                    scrambled.add(listener.deltas.toString());
                }
            }
            assertThat(scrambled).as("replies whose deltas came out of order").isEmpty();
        }
    }

    /** A reply of a few paragraphs of numbered words, so that any swap shows. */
    private static String paragraphs(int n) {
        StringBuilder sb = new StringBuilder();
        for (int p = 0; p < 3; p++) {
            for (int w = 0; w < 40; w++) {
                sb.append("w").append(n).append('.').append(p).append('.').append(w).append(' ');
            }
            sb.append("\n\n");
        }
        return sb.toString().strip();
    }
}
