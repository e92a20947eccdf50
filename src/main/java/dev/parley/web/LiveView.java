package dev.parley.web;

import dev.parley.archive.EpisodeId;
import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalFeed;
import dev.parley.archive.JournalScanner;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /c/<conversation>/<episode>/events}: a running episode's new events as Server-Sent Events, each a list
 * item rendered like the page's own. Every stream is driven by one pump thread with asynchronous writes, so a
 * browser that reads slowly holds no thread: its events wait in a bounded buffer, and when that is full the
 * stream is told to reload and closed. Conversations only ever hand events to the feed's buffers.
 */
final class LiveView implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveView.class);
    /** Events a stream may fall behind the feed before it is let go. */
    static final int FEED_BUFFER = 1000;
    /** Bytes a stream may have waiting for a slow browser before it is let go. */
    static final int MAX_PENDING_BYTES = 1024 * 1024;
    static final long HEARTBEAT_SECONDS = 15;

    private final JournalFeed feed;
    private final Catalog catalog;
    private final Pages pages;
    private final ArchivePages archive;
    private final ScheduledExecutorService pump = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "parley-web-live");
        t.setDaemon(true);
        return t;
    });
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final AtomicLong dropped = new AtomicLong();
    /** Items ready to send, by episode and seq: a hundred viewers of one episode cost one rendering per event. */
    private final Map<String, byte[]> rendered = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > 512;
        }
    };

    LiveView(JournalFeed feed, Catalog catalog, Pages pages, ArchivePages archive) {
        this.feed = feed;
        this.catalog = catalog;
        this.pages = pages;
        this.archive = archive;
        pump.scheduleAtFixedRate(this::heartbeat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    }

    int viewers() {
        return streams.size();
    }

    long dropped() {
        return dropped.get();
    }

    void events(Exchange ex, EpisodeId id) {
        Optional<EpisodeSummary> found = catalog.find(id);
        Path journal = catalog.journal(id);
        if (found.isEmpty() || journal == null) {
            ex.notFound();
            return;
        }
        long after = Math.max(number(ex.query("after")), number(ex.header("Last-Event-ID")));
        ex.response().setStatus(200);
        ex.response().getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        ex.response().getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        ex.response().getHeaders().put("X-Accel-Buffering", "no");
        Stream stream = new Stream(ex, id, EventHtml.of(found.get(), pages.pseudonyms(), pages.zone()),
                found.get().humans(), after);
        streams.add(stream);
        // Subscribed before the file is read, so nothing falls between the two; seqs weed out what both have.
        stream.subscription = feed.subscribe(id::equals, FEED_BUFFER, () -> pump.execute(stream::pump));
        ex.request().addFailureListener(failure -> pump.execute(() -> stream.fail(failure)));
        pump.execute(() -> stream.start(found.get(), journal));
    }

    private void heartbeat() {
        for (Stream s : streams) {
            s.send(": keepalive\n\n");
            s.flush();
        }
    }

    @Override
    public void close() {
        pump.shutdownNow();
        streams.forEach(s -> s.subscription.close());
    }

    private static long number(String s) {
        if (s == null || s.isEmpty() || s.length() > 18 || !s.chars().allMatch(Character::isDigit)) {
            return 0;
        }
        return Long.parseLong(s);
    }

    /** One browser's stream. Only the pump thread touches its fields (the subscription is set before it runs). */
    private final class Stream {
        private final Exchange ex;
        private final EpisodeId id;
        private final EventHtml html;
        private final Set<String> humans;
        private final List<byte[]> pending = new ArrayList<>();
        private volatile JournalFeed.Subscription subscription;
        private long lastSeq;
        private int pendingBytes;
        private boolean writing;
        private boolean ending;
        private boolean done;
        private boolean dropCounted;

        Stream(Exchange ex, EpisodeId id, EventHtml html, Set<String> humans, long after) {
            this.ex = ex;
            this.id = id;
            this.html = html;
            this.humans = humans;
            this.lastSeq = after;
        }

        /** What the page has not got yet from the file, then the state; then the feed takes over. */
        void start(EpisodeSummary summary, Path journal) {
            send("retry: 2000\n\n");
            try {
                long from = lastSeq + 1;
                int page = EpisodeSummary.pageOf(from);
                long offset = page <= summary.pageOffsets().length ? summary.pageOffsets()[page - 1] : 0;
                long seq = offset == 0 ? 0 : (long) (page - 1) * EpisodeSummary.EVENTS_PER_PAGE;
                try (JournalScanner scanner = JournalScanner.open(journal, offset)) {
                    for (JournalScanner.Line line = scanner.next(); line != null && !done; line = scanner.next()) {
                        if (++seq > lastSeq) {
                            item(line.event(journal));
                        }
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("web: cannot read {} for a live page: {}", id, e.getMessage());
            }
            if (!ending) {
                LiveStatus.State state = archive.currentState(id);
                if (state == null) {
                    state(summary.finished() ? "ended" : "unfinished", summary.finished() ? "Ended." :
                            "Not ended (parley stopped before it did).", true);
                } else {
                    state(state == LiveStatus.State.PAUSED ? "paused" : "running", state.label(), false);
                }
            }
            pump();
        }

        void pump() {
            if (done) {
                return;
            }
            if (subscription.dropped()) {
                if (writing) {
                    // Still stuck on an earlier write: nothing more can reach it, so let it go now.
                    countDrop();
                    fail(new IllegalStateException("browser too slow"));
                    return;
                }
                if (!ending) {
                    // Once: what is left is the reload event, which must not be cleared by a later pump.
                    countDrop();
                    pending.clear();
                    pendingBytes = 0;
                    send("event: reload\ndata: behind\n\n");
                    ending = true;
                }
            }
            for (JournalFeed.Published p : subscription.drain()) {
                item(p.event());
            }
            flush();
        }

        private void item(JournalEvent event) {
            if (event.seq() <= lastSeq || ending) {
                return;
            }
            lastSeq = event.seq();
            byte[] sse = rendered.computeIfAbsent(id + "#" + event.seq(), k -> sse(event, html.item(event)));
            if (sse.length > 0) {
                send(sse);
            }
            if (event instanceof JournalEvent.Pause) {
                state("paused", "paused", false);
            } else if (event instanceof JournalEvent.Resume) {
                state("running", "running", false);
            } else if (event instanceof JournalEvent.Stop stop) {
                state("ended", "Ended: " + pages.pseudonyms().scrub(stop.reason(), humans) + ".", true);
            }
        }

        private void state(String state, String text, boolean last) {
            send("event: state\ndata: {\"state\":\"" + state + "\",\"text\":\"" + json(text) + "\"}\n\n");
            if (last) {
                ending = true;
            }
        }

        /** A stream let go for being slow counts once, however many ways it was found behind. */
        private void countDrop() {
            if (!dropCounted) {
                dropCounted = true;
                dropped.incrementAndGet();
            }
        }

        void send(String chunk) {
            send(chunk.getBytes(StandardCharsets.UTF_8));
        }

        void send(byte[] bytes) {
            if (done) {
                return;
            }
            pendingBytes += bytes.length;
            if (pendingBytes > MAX_PENDING_BYTES) {
                countDrop();
                fail(new IllegalStateException("browser too slow"));
                return;
            }
            pending.add(bytes);
        }

        void flush() {
            if (done || writing) {
                return;
            }
            if (pending.isEmpty()) {
                if (ending) {
                    finish();
                }
                return;
            }
            ByteBuffer out;
            if (pending.size() == 1) {
                out = ByteBuffer.wrap(pending.get(0)); // shared with other streams: only ever read
            } else {
                out = ByteBuffer.allocate(pendingBytes);
                pending.forEach(out::put);
                out.flip();
            }
            pending.clear();
            pendingBytes = 0;
            writing = true;
            ex.response().write(false, out, Callback.from(() -> pump.execute(() -> {
                writing = false;
                flush();
            }), failure -> pump.execute(() -> fail(failure))));
        }

        private void finish() {
            done = true;
            release();
            ex.response().write(true, ByteBuffer.allocate(0), ex.callback());
        }

        void fail(Throwable failure) {
            if (done) {
                return;
            }
            done = true;
            release();
            ex.callback().failed(failure);
        }

        private void release() {
            streams.remove(this);
            if (subscription != null) {
                subscription.close();
            }
        }
    }

    /** An item as one Server-Sent Event, its id the journal seq (so a reconnecting browser says where it was). */
    private static byte[] sse(JournalEvent event, String item) {
        if (item.isEmpty()) {
            return new byte[0];
        }
        StringBuilder sse = new StringBuilder(item.length() + 64).append("id: ").append(event.seq())
                .append("\nevent: item\n");
        for (String line : item.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1)) {
            sse.append("data: ").append(line).append('\n');
        }
        return sse.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    static String json(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : (s == null ? "" : s).toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '<' -> out.append("\\u003c");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
