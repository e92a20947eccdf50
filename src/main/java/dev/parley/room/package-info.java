/**
 * The Room SPI (where a conversation is shown), the rooms that need no server (terminal and in-memory), and the
 * durable outbox any room can be wrapped in ({@link dev.parley.room.OutboxRoom}: journalled {@link
 * dev.parley.room.Parcel}s, delivery marks kept behind {@link dev.parley.room.DeliveryLog}).
 * Depends on core only; never on the conversation engine, models, commands, the archive or a network library.
 */
package dev.parley.room;
