package dev.parley.conversation;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The last {@code size} messages of the room (seats and humans), with the content words and phrases they hold
 * counted, so that asking what a new message brings costs one look-up per word instead of a pass over the window.
 */
final class RecentTalk {
    private final int size;
    /**
     * What each message of the window counted, oldest first, to take it out again: its content words and phrases
     * only, so the rest of a message (its shingles, its text) is not kept for the window's sake.
     */
    private final Deque<Counted> messages = new ArrayDeque<>();
    private Utterance last;
    private final LongCounts words;
    private final LongCounts phrases;

    /** What a message brought, measured against the window before it joined: see {@link #add}. */
    record Measure(int newWords, double borrowed) { }

    private record Counted(LongSet words, LongSet phrases) { }

    RecentTalk(int size) {
        // A word is counted once per message, in the window and the one joining it: size + 1 times at most.
        if (size >= LongCounts.MOST) {
            throw new IllegalArgumentException("a window of " + size + " messages; at most " + (LongCounts.MOST - 1));
        }
        this.size = size;
        // Small at first, grown (doubling) by the replies actually seen: sized up front for a window of long
        // replies they took some 72 KB per conversation, 72 MB of heap for 1,000 conversations of short replies.
        this.words = new LongCounts(size * 8);
        this.phrases = new LongCounts(size * 16);
    }

    Utterance last() {
        return last;
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
        messages.addLast(new Counted(u.content, u.phrases));
        last = u;
        while (messages.size() > size) {
            Counted old = messages.removeFirst();
            for (long w : old.words().values()) {
                words.remove(w);
            }
            for (long p : old.phrases().values()) {
                phrases.remove(p);
            }
            if (messages.isEmpty()) {
                last = null;
            }
        }
        return new Measure(fresh, u.phrases.size() == 0 ? 0 : (double) known / u.phrases.size());
    }
}
