/**
 * Rooms on Matrix: a small client-server API client on OkHttp + Jackson, the {@link dev.parley.matrix.MatrixRoom}
 * (one user per seat: own accounts or application-service ghosts) and the appservice registration file.
 * Depends on core, room and config only; never on the conversation engine, models or commands.
 */
package dev.parley.matrix;
