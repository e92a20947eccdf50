/**
 * Rooms on Matrix: a small client-server API client on OkHttp + Jackson, the {@link dev.parley.matrix.MatrixRoom}
 * (one user per seat: own accounts or application-service ghosts) and the appservice registration file.
 * {@code MatrixRoom} is a façade over parts with one job each: identities, membership, the sync loop and what its
 * events mean, the send queue, retractions and power levels (see docs/matrix.md, "How the code is laid out").
 * Depends on core, room and config only; never on the conversation engine, models or commands.
 */
package dev.parley.matrix;
