/**
 * HOCON files to immutable, validated records: {@link ConfigLoader} (with its package-private readers, one per part
 * of the file) is the only place that reads keys; everyone else receives records. Problems are collected and
 * reported with file:line and key path. Depends on core and Typesafe Config only.
 */
package dev.parley.config;
