/**
 * The replay provider: a seat that says prepared lines (a transcript's speaker) in order, for demos and tests.
 * Depends on core and the model SPI only; reading the transcript is the caller's job.
 */
package dev.parley.model.replay;
