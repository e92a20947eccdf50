package dev.parley.testsupport;

import dev.parley.room.DeliveryLog;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Delivery marks in memory: survives a "restart" within a test as long as the test keeps it. */
public final class MemoryDeliveryLog implements DeliveryLog {
    private final Map<String, Long> marks = new ConcurrentHashMap<>();

    @Override
    public long deliveredUpTo(String room, String episode) {
        return marks.getOrDefault(room + " " + episode, 0L);
    }

    @Override
    public void delivered(String room, String episode, long seq) {
        marks.merge(room + " " + episode, seq, Math::max);
    }
}
