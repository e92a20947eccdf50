package dev.parley.testsupport;

import dev.parley.room.ForwardingRoom;
import dev.parley.room.MemoryRoom;
import dev.parley.room.Parcel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A room whose server is slow or away: it shows every parcel at once (in its {@link MemoryRoom}) but confirms
 * them only when the test says so, like a room waiting for its server's answer.
 */
public final class HeldRoom extends ForwardingRoom {
    private final List<Parcel> parcels = new ArrayList<>();
    private final List<CompletableFuture<Void>> unconfirmed = new ArrayList<>();
    private boolean holding;

    public HeldRoom(MemoryRoom shown) {
        super(shown);
    }

    /** From now on, parcels wait for {@link #confirm} (or {@link #drop}). */
    public synchronized HeldRoom hold() {
        holding = true;
        return this;
    }

    @Override
    public synchronized CompletableFuture<Void> deliver(Parcel parcel) {
        parcels.add(parcel);
        room.deliver(parcel);
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (holding) {
            unconfirmed.add(f);
        } else {
            f.complete(null);
        }
        return f;
    }

    /** The server confirms the {@code index}-th parcel still waiting (0: the oldest). */
    public synchronized void confirm(int index) {
        unconfirmed.remove(index).complete(null);
    }

    /** The room closes with the waiting parcels undelivered. */
    public synchronized void drop() {
        unconfirmed.forEach(f -> f.completeExceptionally(new IllegalStateException("closed (expected by the test)")));
        unconfirmed.clear();
    }

    public synchronized List<Parcel> parcels() {
        return List.copyOf(parcels);
    }
}
