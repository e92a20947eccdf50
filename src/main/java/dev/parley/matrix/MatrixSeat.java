package dev.parley.matrix;

import dev.parley.config.MatrixIdentity;
import dev.parley.core.SeatId;
import java.util.Objects;

/** A seat as a Matrix room needs it: its id, the display name it shows, and its Matrix identity. */
public record MatrixSeat(SeatId id, String displayName, MatrixIdentity identity) {
    public MatrixSeat {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(identity, "identity");
        MatrixIds.requireUserId(identity.userId());
    }
}
