package dev.parley.matrix;

import dev.parley.core.SeatId;
import dev.parley.room.Inbound;
import dev.parley.room.RoomListener;
import dev.parley.testsupport.Waiting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/** A RoomListener that records what the room reports, for tests to wait on. */
class Recorder implements RoomListener {
    final LinkedBlockingQueue<Inbound> humans = new LinkedBlockingQueue<>();
    final Set<SeatId> present = ConcurrentHashMap.newKeySet();
    final List<String> problems = new CopyOnWriteArrayList<>();
    /** Every presence report in order, as "seat+" or "seat-". */
    final List<String> presenceLog = new CopyOnWriteArrayList<>();

    @Override
    public void onHuman(Inbound message) {
        humans.add(message);
    }

    @Override
    public void onSeatPresence(SeatId seat, boolean isPresent) {
        presenceLog.add(seat.value() + (isPresent ? "+" : "-"));
        if (isPresent) {
            present.add(seat);
        } else {
            present.remove(seat);
        }
    }

    @Override
    public void onRoomProblem(String problem) {
        problems.add(problem);
    }

    /** Whether {@code seats} seats are present within {@code timeout}; false (not a failure) when they are not. */
    boolean awaitPresent(int seats, Duration timeout) {
        try {
            Waiting.upTo(timeout).until(() -> present.size() >= seats);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /** Waits for human messages until one has text {@code last}; returns all received up to and including it. */
    List<Inbound> until(String last, Duration timeout) throws InterruptedException {
        List<Inbound> got = new ArrayList<>();
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            Inbound m = humans.poll(50, TimeUnit.MILLISECONDS);
            if (m != null) {
                got.add(m);
                if (m.text().equals(last)) {
                    return got;
                }
            }
        }
        throw new AssertionError("no human message '" + last + "' within " + timeout + "; got " + got
                + "; problems " + problems);
    }
}
