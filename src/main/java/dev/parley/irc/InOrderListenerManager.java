package dev.parley.irc;

import com.google.common.collect.ImmutableSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.pircbotx.PircBotX;
import org.pircbotx.hooks.Event;
import org.pircbotx.hooks.Listener;
import org.pircbotx.hooks.managers.ListenerManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs PircBotX's own listeners (its CoreHooks, which answer server PINGs) on the input thread, in the order the
 * lines arrived. PircBotX's default manager hands each event to a thread pool, which reorders them; parley reads
 * everything it needs from the raw lines instead (see {@link IrcConnection}), so this manager only has to keep
 * PircBotX's housekeeping working. There is nothing to shut down: it owns no threads.
 */
final class InOrderListenerManager implements ListenerManager {
    private static final Logger log = LoggerFactory.getLogger(InOrderListenerManager.class);

    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public void onEvent(Event event) {
        for (Listener l : listeners) {
            try {
                l.onEvent(event);
            } catch (Exception e) {
                log.warn("PircBotX listener {} failed on {}", l.getClass().getSimpleName(),
                        event.getClass().getSimpleName(), e);
            }
        }
    }

    @Override
    public void addListener(Listener listener) {
        listeners.addIfAbsent(listener);
    }

    @Override
    public boolean removeListener(Listener listener) {
        return listeners.remove(listener);
    }

    @Override
    public boolean listenerExists(Listener listener) {
        return listeners.contains(listener);
    }

    @Override
    public ImmutableSet<Listener> getListeners() {
        return ImmutableSet.copyOf(listeners);
    }

    @Override
    public void shutdown(PircBotX bot) {
        // Nothing to stop: events run on the caller's thread.
    }
}
