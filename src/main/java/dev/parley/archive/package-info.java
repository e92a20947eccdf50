/**
 * The archive: the append-only JSONL journal (source of truth), the Markdown transcript writer and its parser.
 * Depends on core, Jackson and slf4j; knows nothing of rooms, models, commands or the engine.
 */
package dev.parley.archive;
