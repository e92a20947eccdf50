/**
 * The ModelClient SPI (one request in, a streamed reply out) and its providers in sub-packages.
 * Providers know nothing about rooms, commands or the conversation engine; they depend on core and config only.
 */
package dev.parley.model;
