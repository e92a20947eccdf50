package dev.parley.archive;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The in-process feed of journal events as they are appended, for readers that follow conversations live (the
 * web view, metrics). Publishing never blocks and never fails: each subscriber has a bounded buffer, and a
 * subscriber whose buffer is full is dropped (it is told, and can start over from the journal file). So a slow
 * or vanished reader costs a conversation one short, uncontended lock per event, nothing more.
 */
public final class JournalFeed {
    /** One appended event, the episode it belongs to, and how long the append (with its fsync) took. */
    public record Published(EpisodeId episode, JournalEvent event, long appendNanos) { }

    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    /** Hands {@code published} to every subscriber that wants its episode; never blocks. */
    public void publish(Published published) {
        Objects.requireNonNull(published, "published");
        for (Subscription s : subscriptions) {
            if (s.wants.test(published.episode())) {
                s.offer(published);
            }
        }
    }

    /**
     * Subscribes to the events of the episodes {@code wants} accepts. {@code ready} is called, on the publishing
     * thread, when the buffer goes from empty to not empty, or when the subscription was dropped; it must only
     * schedule work (the drain happens elsewhere), since it runs on a conversation's loop.
     */
    public Subscription subscribe(Predicate<EpisodeId> wants, int capacity, Runnable ready) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        Subscription s = new Subscription(wants, capacity, ready);
        subscriptions.add(s);
        return s;
    }

    /** How many subscribers there are now. */
    public int subscribers() {
        return subscriptions.size();
    }

    /** One reader's place in the feed: a bounded buffer it drains at its own pace. */
    public final class Subscription implements AutoCloseable {
        private final Predicate<EpisodeId> wants;
        private final int capacity;
        private final Runnable ready;
        private final ArrayDeque<Published> buffer = new ArrayDeque<>();
        private boolean dropped;
        private boolean closed;

        private Subscription(Predicate<EpisodeId> wants, int capacity, Runnable ready) {
            this.wants = Objects.requireNonNull(wants, "wants");
            this.capacity = capacity;
            this.ready = Objects.requireNonNull(ready, "ready");
        }

        private void offer(Published p) {
            boolean signal;
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (buffer.size() >= capacity) {
                    // Too slow to keep up: let go of it rather than hold events (or the publisher) for it.
                    dropped = true;
                    closed = true;
                    buffer.clear();
                    subscriptions.remove(this);
                    signal = true;
                } else {
                    signal = buffer.isEmpty();
                    buffer.add(p);
                }
            }
            if (signal) {
                ready.run();
            }
        }

        /** Takes everything buffered so far, oldest first (empty when nothing is waiting). */
        public synchronized List<Published> drain() {
            List<Published> out = new ArrayList<>(buffer);
            buffer.clear();
            return out;
        }

        /** True once this subscriber fell a whole buffer behind and was let go. */
        public synchronized boolean dropped() {
            return dropped;
        }

        @Override
        public void close() {
            synchronized (this) {
                closed = true;
                buffer.clear();
            }
            subscriptions.remove(this);
        }
    }
}
