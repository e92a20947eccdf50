package dev.parley.app;

import dev.parley.archive.JournalFeed;
import dev.parley.config.ConversationConfig;
import dev.parley.config.ParleyConfig;
import dev.parley.config.RoomConfig;
import dev.parley.config.SeatConfig;
import dev.parley.web.FeedStatus;
import dev.parley.web.LiveStatus;
import dev.parley.web.Meters;
import dev.parley.web.StatusSource;
import dev.parley.web.WebOptions;
import dev.parley.web.WebServer;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The one place the host starts the web view. The host's part: wrap every episode's journal in a
 * {@code PublishingJournal} on {@code feed}, and give a {@link StatusSource} ({@link #statusFromFeed} derives one from
 * the journal events; {@link HostStatus} joins it with the host's own word); this starts the server when
 * {@code http.enabled} is set. The {@link #meters} are made first, for the rooms and models to report to. Close
 * what it returns after the conversations have ended.
 */
public final class WebWiring {
    private WebWiring() { }

    /** The web view of {@code config}, started; empty when the config leaves it off. */
    public static Optional<WebServer> start(ParleyConfig config, JournalFeed feed, StatusSource status) {
        if (!config.http().enabled()) {
            return Optional.empty();
        }
        return Optional.of(WebServer.start(options(config), config.http().bind(), config.http().port(), feed,
                status, Cli.version()));
    }

    /**
     * The meters rooms and models report to, made before them when the config has a web view (empty otherwise:
     * they then report to {@code Telemetry.NOOP}). Close them after the server.
     */
    static Optional<Meters> meters(ParleyConfig config) {
        return config.http().enabled() ? Optional.of(new Meters()) : Optional.empty();
    }

    /** The web view of {@code config} serving {@code meters} on /metrics, started; empty when the config leaves it off. */
    static Optional<WebServer> start(ParleyConfig config, JournalFeed feed, StatusSource status,
                                     Optional<Meters> meters) {
        if (meters.isEmpty()) {
            return start(config, feed, status);
        }
        return Optional.of(WebServer.start(options(config), config.http().bind(), config.http().port(), feed,
                status, Cli.version(), meters.get()));
    }

    /** What the web and the static site take from the config. */
    static WebOptions options(ParleyConfig config) {
        return new WebOptions(config.transcriptsDir(), config.timeZone(), config.http().pseudonyms(),
                config.conversations().stream().filter(c -> c.web().hidden()).map(ConversationConfig::id)
                        .collect(Collectors.toSet()),
                config.conversations().stream().filter(c -> c.web().indexable()).map(ConversationConfig::id)
                        .collect(Collectors.toSet()));
    }

    /** Status worked out from journal events alone; {@code ready} says whether every room is joined. */
    public static FeedStatus statusFromFeed(ParleyConfig config, JournalFeed feed, BooleanSupplier ready) {
        List<LiveStatus> waiting = config.conversations().stream().map(c -> new LiveStatus(c.id(), c.id(),
                LiveStatus.State.WAITING, 0, null, c.seats().stream().map(SeatConfig::name).toList(), 0,
                c.stop().maxTurns(), c.rooms().stream().map(RoomConfig::label).toList(), null)).toList();
        return new FeedStatus(waiting, config.transcriptsDir(), feed, ready);
    }
}
