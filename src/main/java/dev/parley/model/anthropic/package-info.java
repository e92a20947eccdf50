/**
 * The Anthropic Messages provider ({@code POST {base-url}/v1/messages}, streamed), with optional prompt caching.
 * Depends on model.http, config and core only.
 */
package dev.parley.model.anthropic;
