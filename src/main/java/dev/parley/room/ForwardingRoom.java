package dev.parley.room;

import dev.parley.core.SeatId;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A room that hands every call to another: the base of rooms that wrap one (the durable outbox, a host's view of a
 * room for one episode), so that each overrides only what it changes and a new Room method is forwarded once.
 */
public abstract class ForwardingRoom implements Room {
    protected final Room room;

    protected ForwardingRoom(Room room) {
        this.room = Objects.requireNonNull(room, "room");
    }

    @Override
    public String name() {
        return room.name();
    }

    @Override
    public void open(RoomListener listener) {
        room.open(listener);
    }

    @Override
    public void post(SeatId seat, String text) {
        room.post(seat, text);
    }

    @Override
    public void notice(String text) {
        room.notice(text);
    }

    @Override
    public void relay(String sender, String text) {
        room.relay(sender, text);
    }

    @Override
    public void typing(SeatId seat, boolean typing) {
        room.typing(seat, typing);
    }

    @Override
    public void cast(Set<SeatId> seats) {
        room.cast(seats);
    }

    @Override
    public void retract(List<Long> refs, String notice) {
        room.retract(refs, notice);
    }

    @Override
    public void topic(String text) {
        room.topic(text);
    }

    @Override
    public CompletableFuture<Void> deliver(Parcel parcel) {
        return room.deliver(parcel);
    }

    @Override
    public long deliveredUpTo(String episode) {
        return room.deliveredUpTo(episode);
    }

    @Override
    public String status() {
        return room.status();
    }

    @Override
    public void close() {
        room.close();
    }
}
