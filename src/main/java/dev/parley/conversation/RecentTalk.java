package dev.parley.conversation;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The last {@code size} messages of the room (seats and humans), with the content words and phrases they hold
 * counted, so that asking what a new message brings costs one look-up per word instead of a pass over the window.
 */
final class RecentTalk {
    private final int size;
    private final Deque<Utterance> messages = new ArrayDeque<>();
    private final Map<String, Integer> words = new HashMap<>();
    private final Map<Long, Integer> phrases = new HashMap<>();

    RecentTalk(int size) {
        this.size = size;
    }

    /** How many of the message's content words nobody used in the window. */
    int newWords(Utterance u) {
        int n = 0;
        for (String w : u.content) {
            if (!words.containsKey(w)) {
                n++;
            }
        }
        return n;
    }

    /** The share of the message's three-word phrases already said in the window: 1 for a message made of them. */
    double borrowed(Utterance u) {
        if (u.phrases.length == 0) {
            return 0;
        }
        int known = 0;
        for (long p : u.phrases) {
            if (phrases.containsKey(p)) {
                known++;
            }
        }
        return (double) known / u.phrases.length;
    }

    Utterance last() {
        return messages.peekLast();
    }

    void add(Utterance u) {
        messages.addLast(u);
        u.content.forEach(w -> words.merge(w, 1, Integer::sum));
        for (long p : u.phrases) {
            phrases.merge(p, 1, Integer::sum);
        }
        while (messages.size() > size) {
            Utterance old = messages.removeFirst();
            old.content.forEach(w -> words.computeIfPresent(w, (k, c) -> c == 1 ? null : c - 1));
            for (long p : old.phrases) {
                phrases.computeIfPresent(p, (k, c) -> c == 1 ? null : c - 1);
            }
        }
    }
}
