/**
 * Rooms on Matrix: a small client-server API client on OkHttp + Jackson, the {@link dev.parley.matrix.MatrixRoom}
 * (one user per seat: own accounts or application-service ghosts), what it knows and does about end-to-end
 * encrypted rooms ({@link dev.parley.matrix.RoomEncryption}: no crypto of its own, an encrypting proxy or a plain
 * "I can't read this") and the appservice registration file.
 * Depends on core, room and config only; never on the conversation engine, models or commands.
 */
package dev.parley.matrix;
