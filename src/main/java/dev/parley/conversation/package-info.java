/**
 * The engine: a {@link Conversation} runs seats in turn on its own serial event loop, builds each model's view
 * of the room, paces turns, applies stop conditions and the health monitor, and journals everything.
 * Knows the Room and ModelClient interfaces only: never PircBotX, OkHttp, Matrix or a concrete provider.
 */
package dev.parley.conversation;
