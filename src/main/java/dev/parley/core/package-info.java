/**
 * Plain data shared by every package: messages, speakers, seat ids, and the clock/scheduler
 * that lets the engine run in real or virtual time.
 * Depends on the JDK (and slf4j for logging) only; every other package may depend on it.
 */
package dev.parley.core;
