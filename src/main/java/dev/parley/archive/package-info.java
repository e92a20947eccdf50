/**
 * The archive: the append-only JSONL journal (source of truth), the Markdown transcript writer and its parser.
 * Depends on core and Jackson; knows nothing of rooms, models or the engine.
 */
package dev.parley.archive;
