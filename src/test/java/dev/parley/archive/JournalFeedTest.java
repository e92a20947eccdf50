package dev.parley.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JournalFeedTest {
    private static final EpisodeId TIDES = new EpisodeId("tides", "tides-1");
    private static final EpisodeId OTHER = new EpisodeId("other", "other-1");

    private static JournalFeed.Published notice(EpisodeId id, long seq) {
        return new JournalFeed.Published(id, new JournalEvent.Notice(seq, Instant.EPOCH, "n" + seq), 0);
    }

    @Test
    void aSubscriberGetsItsEpisodesEventsInOrderAndIsWokenOncePerBatch() {
        JournalFeed feed = new JournalFeed();
        AtomicInteger wakes = new AtomicInteger();
        JournalFeed.Subscription s = feed.subscribe(TIDES::equals, 10, wakes::incrementAndGet);
        feed.publish(notice(TIDES, 1));
        feed.publish(notice(OTHER, 1));
        feed.publish(notice(TIDES, 2));
        assertThat(wakes).hasValue(1);
        assertThat(s.drain()).extracting(p -> p.event().seq()).containsExactly(1L, 2L);
        feed.publish(notice(TIDES, 3));
        assertThat(wakes).hasValue(2);
    }

    @Test
    void aSubscriberAWholeBufferBehindIsDroppedAndToldWhileOthersGoOn() {
        JournalFeed feed = new JournalFeed();
        AtomicInteger slowWakes = new AtomicInteger();
        JournalFeed.Subscription slow = feed.subscribe(id -> true, 3, slowWakes::incrementAndGet);
        JournalFeed.Subscription fast = feed.subscribe(id -> true, 3, () -> { });
        for (long seq = 1; seq <= 5; seq++) {
            feed.publish(notice(TIDES, seq));
            fast.drain();
        }
        assertThat(slow.dropped()).isTrue();
        assertThat(slow.drain()).isEmpty();
        assertThat(slowWakes).hasValue(2);
        assertThat(feed.subscribers()).isEqualTo(1);
        assertThat(fast.dropped()).isFalse();
    }

    @Test
    void thePublishingJournalPublishesOnlyWhatItWrote() {
        JournalFeed feed = new JournalFeed();
        JournalFeed.Subscription s = feed.subscribe(id -> true, 10, () -> { });
        PublishingJournal journal = new PublishingJournal(new MemoryJournal(), TIDES, feed);
        journal.append(new JournalEvent.Notice(1, Instant.EPOCH, "one"));
        try {
            journal.append(new JournalEvent.Notice(5, Instant.EPOCH, "out of order"));
        } catch (JournalException expected) {
            // the journal refused it, so nobody may see it
        }
        assertThat(s.drain()).extracting(JournalFeed.Published::event).containsExactly(
                new JournalEvent.Notice(1, Instant.EPOCH, "one"));
        assertThat(journal.events()).hasSize(1);
        assertThat(List.of(EpisodeId.isSafe(".."), EpisodeId.isSafe("a/b"), EpisodeId.isSafe("tides-1")))
                .containsExactly(false, false, true);
    }
}
