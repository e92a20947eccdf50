/**
 * What the HTTP providers share: one SSE call's lifecycle on okhttp-sse, HTTP status to {@code ModelError},
 * Retry-After, redaction of provider messages, and the shared client's TLS set up on its first https connection.
 * Depends on OkHttp, Jackson, core and the model SPI; never on a provider.
 */
package dev.parley.model.http;
