package dev.parley.conversation;

import dev.parley.core.Message;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.RandomAccess;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What was said in an episode, in order, and who has spoken so far. Every turn needs the names (a model must not
 * speak as anyone heard in the room): kept up to date as messages come, they cost a turn nothing, where reading
 * them off the whole history took most of a turn's time in a long episode.
 *
 * <p>Messages are only ever added at the end, or taken out by {@link #removeIf} (a retraction), after which the
 * names are counted again.
 */
final class History extends AbstractList<Message> implements RandomAccess {
    private final List<Message> messages = new ArrayList<>();
    private final Predicate<Message> visibleToModels;
    private final Set<String> humans = new LinkedHashSet<>();
    private final Set<String> visibleSpeakers = new LinkedHashSet<>();
    private int removals;

    /** {@code visibleToModels}: which messages the models are shown (not a human's aside). */
    History(Predicate<Message> visibleToModels) {
        this.visibleToModels = visibleToModels;
    }

    @Override
    public Message get(int index) {
        return messages.get(index);
    }

    @Override
    public int size() {
        return messages.size();
    }

    @Override
    public boolean add(Message m) {
        messages.add(m);
        count(m);
        return true;
    }

    @Override
    public boolean removeIf(Predicate<? super Message> taken) {
        if (!messages.removeIf(taken)) {
            return false;
        }
        removals++;
        humans.clear();
        visibleSpeakers.clear();
        messages.forEach(this::count);
        return true;
    }

    /** How many times messages were taken out: what was built from the history before may no longer hold. */
    int removals() {
        return removals;
    }

    /** Every human heard in the episode, asides included, in the order they first spoke. */
    Set<String> humans() {
        return Collections.unmodifiableSet(humans);
    }

    /** Everyone the models have been shown a message of, in the order of those first messages. */
    Set<String> visibleSpeakers() {
        return Collections.unmodifiableSet(visibleSpeakers);
    }

    private void count(Message m) {
        if (m.speaker().isHuman()) {
            humans.add(m.speaker().name());
        }
        if (visibleToModels.test(m)) {
            visibleSpeakers.add(m.speaker().name());
        }
    }
}
