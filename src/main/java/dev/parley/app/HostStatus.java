package dev.parley.app;

import dev.parley.host.SeriesStatus;
import dev.parley.web.LiveStatus;
import dev.parley.web.StatusSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The web's status of each conversation: the host says where its series is (waiting for !start, scheduled, running,
 * done), the journal feed what happens in the episode (cast, turn, last message, paused). Neither alone is right:
 * the journals cannot tell waiting from scheduled, and the host does not follow pauses. A conversation a reload
 * added shows with what the host knows until its first episode's journal says more.
 */
public final class HostStatus implements StatusSource {
    private final Supplier<List<SeriesStatus>> host;
    private final StatusSource journals;

    public HostStatus(Supplier<List<SeriesStatus>> host, StatusSource journals) {
        this.host = host;
        this.journals = journals;
    }

    @Override
    public List<LiveStatus> conversations() {
        Map<String, LiveStatus> known = new LinkedHashMap<>();
        journals.conversations().forEach(s -> known.put(s.conversation(), s));
        List<SeriesStatus> series = host.get();
        if (series.isEmpty()) {
            return List.copyOf(known.values()); // not started yet: the journals' view
        }
        Map<String, LiveStatus> out = new LinkedHashMap<>();
        for (SeriesStatus s : series) {
            LiveStatus j = known.getOrDefault(s.conversation(), new LiveStatus(s.conversation(), s.conversation(),
                    LiveStatus.State.WAITING, s.episodes(), null, List.of(), 0, 0, List.of(), null));
            out.put(s.conversation(), j.in(state(s.phase(), j.state()), s.nextStart()));
        }
        return List.copyOf(out.values());
    }

    /** The host's phase, with a pause only the journal knows of. */
    public static LiveStatus.State state(SeriesStatus.Phase phase, LiveStatus.State journal) {
        return switch (phase) {
            case RUNNING -> journal == LiveStatus.State.PAUSED ? LiveStatus.State.PAUSED : LiveStatus.State.RUNNING;
            case WAITING -> LiveStatus.State.WAITING;
            case SCHEDULED -> LiveStatus.State.SCHEDULED;
            case DONE, LEFT -> LiveStatus.State.ENDED;
        };
    }

    @Override
    public boolean ready() {
        return journals.ready();
    }
}
