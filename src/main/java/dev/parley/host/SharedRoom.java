package dev.parley.host;

import dev.parley.core.SeatId;
import dev.parley.room.Inbound;
import dev.parley.room.ForwardingRoom;
import dev.parley.room.Room;
import dev.parley.room.RoomListener;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A room the host keeps open across episodes. It is opened once; each episode gets a {@link #view()} whose
 * {@code open} attaches the episode's listener (told at once which seats are already in) and whose {@code close}
 * detaches it, leaving the room joined. Between episodes the room's events go to the series. While an episode is
 * on its way ({@link #hold}: made so, until {@link #release}), what humans say is kept for it, so a line typed
 * just as an episode starts reaches that episode, not the series.
 */
final class SharedRoom {
    private static final Logger log = LoggerFactory.getLogger(SharedRoom.class);
    /** Lines kept while an episode is on its way: a flood beyond this is dropped, not buffered without end. */
    private static final int MAX_HELD = 1000;
    private final Room room;
    private final BiConsumer<SharedRoom, Inbound> between;
    private final Set<SeatId> present = new LinkedHashSet<>();
    private RoomListener episode;
    private boolean holding = true;
    private final Deque<Inbound> held = new ArrayDeque<>();

    /** @param between hears the room's humans while no episode is attached */
    SharedRoom(Room room, BiConsumer<SharedRoom, Inbound> between) {
        this.room = room;
        this.between = between;
    }

    String name() {
        return room.name();
    }

    Room room() {
        return room;
    }

    void open() {
        room.open(new RoomListener() {
            @Override
            public void onHuman(Inbound message) {
                RoomListener to;
                synchronized (SharedRoom.this) {
                    to = episode;
                    if (to == null && holding) {
                        if (held.size() < MAX_HELD) {
                            held.add(message);
                        }
                        return;
                    }
                }
                if (to != null) {
                    to.onHuman(message);
                } else {
                    between.accept(SharedRoom.this, message);
                }
            }

            @Override
            public void onSeatPresence(SeatId seat, boolean isPresent) {
                RoomListener to;
                synchronized (SharedRoom.this) {
                    if (isPresent) {
                        present.add(seat);
                    } else {
                        present.remove(seat);
                    }
                    to = episode;
                }
                if (to != null) {
                    to.onSeatPresence(seat, isPresent);
                }
            }

            @Override
            public void onRoomProblem(String problem) {
                RoomListener to = attached();
                if (to != null) {
                    to.onRoomProblem(problem);
                } else {
                    log.warn("{}: {}", room.name(), problem);
                }
            }
        });
    }

    private synchronized RoomListener attached() {
        return episode;
    }

    /** An episode is about to attach: keep what humans say for it. */
    synchronized void hold() {
        holding = true;
    }

    /** No episode is coming: what was kept goes to the series, and so does what follows. */
    void release() {
        List<Inbound> kept;
        synchronized (this) {
            holding = false;
            kept = List.copyOf(held);
            held.clear();
        }
        kept.forEach(m -> between.accept(this, m));
    }

    /** Who plays from now on: seats sent out leave the room and are no longer counted as in it. */
    synchronized void cast(Set<SeatId> seats) {
        present.retainAll(seats);
        room.cast(seats);
    }

    void close() {
        room.close();
    }

    /** The room as one episode sees it: the room itself, but opening and closing only attach and detach. */
    Room view() {
        return new ForwardingRoom(room) {
            @Override
            public void open(RoomListener listener) {
                synchronized (SharedRoom.this) {
                    episode = listener;
                    holding = false;
                    List.copyOf(present).forEach(s -> listener.onSeatPresence(s, true));
                    held.forEach(listener::onHuman);
                    held.clear();
                }
            }

            @Override
            public void cast(Set<SeatId> seats) {
                SharedRoom.this.cast(seats);
            }

            /** The episode is over: the room stays, its events go back to the series. */
            @Override
            public void close() {
                synchronized (SharedRoom.this) {
                    episode = null;
                }
            }
        };
    }
}
