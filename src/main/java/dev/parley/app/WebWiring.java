package dev.parley.app;

import dev.parley.archive.JournalFeed;
import dev.parley.config.ParleyConfig;
import dev.parley.web.FeedStatus;
import dev.parley.web.StatusSource;
import dev.parley.web.WebOptions;
import dev.parley.web.WebServer;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The one place the host starts the web view. The host's part: wrap every episode's journal in a
 * {@code PublishingJournal} on {@code feed}, and give a {@link StatusSource} (or {@link #statusFromFeed} to derive
 * one from the journal events); this starts the server when {@code http.enabled} is set. Close what it returns
 * after the conversations have ended.
 */
public final class WebWiring {
    private WebWiring() { }

    /** The web view of {@code config}, started; empty when the config leaves it off. */
    public static Optional<WebServer> start(ParleyConfig config, JournalFeed feed, StatusSource status) {
        if (!config.http().enabled()) {
            return Optional.empty();
        }
        return Optional.of(WebServer.start(WebOptions.of(config), config.http().bind(), config.http().port(), feed,
                status, Cli.version()));
    }

    /** Status worked out from journal events alone; {@code ready} says whether every room is joined. */
    public static FeedStatus statusFromFeed(ParleyConfig config, JournalFeed feed, BooleanSupplier ready) {
        return new FeedStatus(config, feed, ready);
    }
}
