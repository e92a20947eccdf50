package dev.parley.conversation;

import dev.parley.core.SeatId;
import dev.parley.room.Room;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which seats are present in which room, as the rooms report it; a conversation runs only when all are. */
final class Attendance {
    private final Map<SeatId, String> seatNames;
    private final Map<Room, Set<SeatId>> present = new LinkedHashMap<>();

    Attendance(Map<SeatId, String> seatNames) {
        this.seatNames = new LinkedHashMap<>(seatNames);
    }

    void watch(Room room) {
        present.put(room, new HashSet<>());
    }

    /** Records a report; false when it is about a room or seat this conversation does not have. */
    boolean update(Room room, SeatId seat, boolean isPresent) {
        Set<SeatId> here = present.get(room);
        if (here == null || !seatNames.containsKey(seat)) {
            return false;
        }
        if (isPresent) {
            here.add(seat);
        } else {
            here.remove(seat);
        }
        return true;
    }

    /** A seat invited mid-episode: it is awaited in every room. */
    void add(SeatId seat, String name) {
        seatNames.put(seat, name);
    }

    /** A seat sent out: no longer awaited anywhere. */
    void remove(SeatId seat) {
        seatNames.remove(seat);
        present.values().forEach(here -> here.remove(seat));
    }

    /** Whether the seat is in every room. */
    boolean isIn(SeatId seat) {
        return present.values().stream().allMatch(here -> here.contains(seat));
    }

    boolean everyoneIn() {
        return missing().isEmpty();
    }

    /** "Basil (irc #parley)" for each seat not in a room. */
    List<String> missing() {
        List<String> missing = new ArrayList<>();
        present.forEach((room, here) -> seatNames.forEach((seat, name) -> {
            if (!here.contains(seat)) {
                missing.add(name + " (" + room.name() + ")");
            }
        }));
        return missing;
    }
}
