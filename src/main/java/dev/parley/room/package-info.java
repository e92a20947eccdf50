/**
 * The Room SPI (where a conversation is shown) and the rooms that need no server: terminal and in-memory.
 * Depends on core only; never on the conversation engine, models, commands or a network library.
 */
package dev.parley.room;
