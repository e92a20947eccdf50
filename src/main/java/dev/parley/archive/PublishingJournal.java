package dev.parley.archive;

import java.util.List;
import java.util.Objects;

/**
 * A journal that also publishes each event to a {@link JournalFeed} once it is durable, so live readers see
 * exactly what the journal holds, in its order, and never an event that failed to be written.
 */
public final class PublishingJournal implements Journal {
    private final Journal journal;
    private final EpisodeId episode;
    private final JournalFeed feed;

    public PublishingJournal(Journal journal, EpisodeId episode, JournalFeed feed) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.episode = Objects.requireNonNull(episode, "episode");
        this.feed = Objects.requireNonNull(feed, "feed");
    }

    /** A file journal, published under the episode its file names. */
    public static PublishingJournal of(JsonlJournal journal, JournalFeed feed) {
        return new PublishingJournal(journal, EpisodeId.of(journal.file()), feed);
    }

    public EpisodeId episode() {
        return episode;
    }

    @Override
    public void append(JournalEvent event) {
        long start = System.nanoTime();
        journal.append(event);
        feed.publish(new JournalFeed.Published(episode, event, System.nanoTime() - start));
    }

    /** One write for the batch, as the journal inside makes it (an event and its outgoing parcel together). */
    @Override
    public void appendAll(List<JournalEvent> batch) {
        long start = System.nanoTime();
        journal.appendAll(batch);
        long took = System.nanoTime() - start;
        batch.forEach(event -> feed.publish(new JournalFeed.Published(episode, event, took)));
    }

    /** Published once durable, on the thread that says so, in the journal's order. */
    @Override
    public void appendAllThen(List<JournalEvent> batch, Durable then) {
        long start = System.nanoTime();
        journal.appendAllThen(batch, new Durable() {
            @Override
            public void done() {
                long took = System.nanoTime() - start;
                batch.forEach(event -> feed.publish(new JournalFeed.Published(episode, event, took)));
                then.done();
            }

            @Override
            public void failed(JournalException failure) {
                then.failed(failure);
            }
        });
    }

    @Override
    public void flush() {
        journal.flush();
    }

    /** The name parcels are keyed by: the journal's own, so that each episode's deliveries are told apart. */
    @Override
    public String name() {
        return journal.name();
    }

    @Override
    public List<JournalEvent> events() {
        return journal.events();
    }

    @Override
    public void close() {
        journal.close();
    }
}
