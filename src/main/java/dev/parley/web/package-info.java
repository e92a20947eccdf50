/**
 * The web view, read-only: the server and its routes ({@link dev.parley.web.WebServer}), archive and live pages,
 * the static site, metrics and health. It reads journals, a {@link dev.parley.web.StatusSource} and the journal feed.
 * May use core and archive (journals, the feed); never config, conversation, command, model, room, irc or matrix.
 */
package dev.parley.web;
