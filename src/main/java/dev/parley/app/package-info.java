/**
 * The command line and the daemon: parses arguments, loads config, wires rooms, models and journals into
 * conversations, and shuts them down cleanly; and what makes a start fast (logging configured and bound in code,
 * classes loaded in parallel, the training run for the class-data-sharing archive with its minimal IRC server and
 * Matrix homeserver). Everything may be imported here; nothing imports app.
 */
package dev.parley.app;
