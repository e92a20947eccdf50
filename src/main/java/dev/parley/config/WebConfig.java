package dev.parley.config;

/**
 * How one conversation appears on the web: a private one not at all (neither live nor in the archive, nor in the
 * static site); an indexable one without the {@code noindex} that keeps search engines off every other page.
 */
public record WebConfig(boolean hidden, boolean indexable) {
    public static final WebConfig DEFAULT = new WebConfig(false, false);
}
