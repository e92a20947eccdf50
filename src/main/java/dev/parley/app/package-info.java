/**
 * The command line and the daemon: parses arguments, loads config, wires rooms, models and journals into
 * conversations, and shuts them down cleanly. Everything may be imported here; nothing imports app.
 */
package dev.parley.app;
