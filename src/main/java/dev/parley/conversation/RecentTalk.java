package dev.parley.conversation;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The last {@code size} messages of the room (seats and humans), with the content words and phrases they hold
 * counted, so that asking what a new message brings costs one look-up per word instead of a pass over the window.
 */
final class RecentTalk {
    private final int size;
    private final Deque<Utterance> messages = new ArrayDeque<>();
    private final LongCounts words;
    private final LongCounts phrases;

    /** What a message brought, measured against the window before it joined: see {@link #add}. */
    record Measure(int newWords, double borrowed) { }

    RecentTalk(int size) {
        this.size = size;
        // Small at first, grown (doubling) by the replies actually seen: sized up front for a window of long
        // replies they took some 72 KB per conversation, 72 MB of heap for 1,000 conversations of short replies.
        this.words = new LongCounts(size * 8);
        this.phrases = new LongCounts(size * 16);
    }

    Utterance last() {
        return messages.peekLast();
    }

    /**
     * Adds a message to the window and says what it brought: how many of its content words nobody used in the
     * window, and the share of its three-word phrases already said there (1 for a message made of them). Counting
     * and adding are one look-up per word, which is most of what the monitor costs.
     */
    Measure add(Utterance u) {
        words.reserve(u.content.size());
        phrases.reserve(u.phrases.size());
        int fresh = 0;
        for (long w : u.content.values()) {
            if (words.add(w) == 0) {
                fresh++;
            }
        }
        int known = 0;
        for (long p : u.phrases.values()) {
            if (phrases.add(p) > 0) {
                known++;
            }
        }
        messages.addLast(u);
        while (messages.size() > size) {
            Utterance old = messages.removeFirst();
            for (long w : old.content.values()) {
                words.remove(w);
            }
            for (long p : old.phrases.values()) {
                phrases.remove(p);
            }
        }
        return new Measure(fresh, u.phrases.size() == 0 ? 0 : (double) known / u.phrases.size());
    }
}
