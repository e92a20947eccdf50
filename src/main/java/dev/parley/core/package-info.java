/**
 * Plain data shared by every package: messages, speakers, seat ids, the clock/scheduler
 * that lets the engine run in real or virtual time, and {@link dev.parley.core.Telemetry}, the interface through
 * which rooms and models report figures for metrics without knowing a metrics library; and two file helpers
 * ({@link dev.parley.core.FileSize}, {@link dev.parley.core.AtomicFile}) that the archive, rooms and host share.
 * Depends on the JDK (and slf4j for logging) only; every other package may depend on it.
 */
package dev.parley.core;
