package dev.parley.irc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.SeatId;
import dev.parley.room.Inbound;
import dev.parley.room.RoomListener;
import dev.parley.testsupport.Waiting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what a room reports, for integration tests to wait on. */
final class RecordingListener implements RoomListener {
    final BlockingQueue<Inbound> humans = new LinkedBlockingQueue<>();
    final List<String> presence = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();

    @Override
    public void onHuman(Inbound message) {
        humans.add(message);
    }

    @Override
    public void onSeatPresence(SeatId seat, boolean present) {
        presence.add(seat + (present ? "+" : "-"));
    }

    @Override
    public void onRoomProblem(String problem) {
        problems.add(problem);
    }

    List<Inbound> humans(int n, Duration timeout) throws InterruptedException {
        List<Inbound> got = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (got.size() < n) {
            Inbound m = humans.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new AssertionError("got " + got.size() + " of " + n + " human messages: " + got);
            }
            got.add(m);
        }
        return got;
    }

    void awaitPresence(String entry, int count, Duration timeout) {
        Waiting.upTo(timeout).untilAsserted(() -> assertThat(presence)
                .as("presence %s x%d reported; saw %s", entry, count, presence)
                .filteredOn(entry::equals).hasSizeGreaterThanOrEqualTo(count));
    }
}
