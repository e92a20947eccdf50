/**
 * The archive: the append-only JSONL journal (source of truth), the Markdown transcript writer and its parser, and
 * the rooms' delivery marks ({@link dev.parley.archive.JsonlDeliveryLog}, implementing room's small
 * {@code DeliveryLog} interface). Depends on core, room's interfaces, Jackson and slf4j; knows nothing of the
 * engine, models, commands or network rooms.
 */
package dev.parley.archive;
