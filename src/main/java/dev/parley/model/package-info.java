/**
 * The ModelClient SPI (one request in, a streamed reply out), the decorators every seat gets (timeouts, retries),
 * and the factory; providers live in sub-packages. Knows nothing about rooms, commands or the conversation engine.
 */
package dev.parley.model;
