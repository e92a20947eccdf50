package dev.parley.host;

import dev.parley.archive.Archive;
import dev.parley.config.ConfigException;
import dev.parley.config.ConversationConfig;
import dev.parley.config.ParleyConfig;
import dev.parley.core.Scheduler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts every conversation of a config, each as a {@link Series} of episodes, for the life of the process.
 * {@link #start} returns a future that completes when every series has left its rooms (a one-shot run, a
 * terminal demo, the last episode of a capped series); a 24/7 host runs until {@link #shutdown}. A
 * {@link #reload} swaps the config of the next episodes without touching a running one.
 */
public final class Host {
    private static final Logger log = LoggerFactory.getLogger(Host.class);

    /** Reads the config again (for {@code !reload} and SIGHUP); throws {@link ConfigException} when it has problems. */
    @FunctionalInterface
    public interface ConfigSource {
        ParleyConfig load();
    }

    private final Parts parts;
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final boolean once;
    private final ConfigSource source;
    private final Archive archive;
    private final Map<String, Series> series = new LinkedHashMap<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    /** The series hosted, newest of each conversation last: read by {@link #statuses} without the lock. */
    private volatile List<Series> hosted = List.of();
    private ParleyConfig config;
    private boolean shutDown;

    /**
     * @param once   every conversation leaves after one episode ({@code parley run --once}, a staged replay)
     * @param source where {@code !reload} reads the config from again
     */
    public Host(ParleyConfig config, ConfigSource source, Parts parts, Scheduler scheduler, RandomGenerator random,
                boolean once) {
        this.config = Objects.requireNonNull(config, "config");
        this.source = source;
        this.parts = parts;
        this.scheduler = scheduler;
        this.random = random;
        this.once = once;
        this.archive = new Archive(config.transcriptsDir(), config.timeZone(), parts.committer());
    }

    /**
     * Joins every conversation's rooms and starts (or resumes) its episodes; returns at once. The future fails
     * with the reason when a conversation cannot start at all (its seats cannot be set up).
     */
    public synchronized CompletableFuture<Void> start() {
        for (ConversationConfig c : config.conversations()) {
            add(c, true);
        }
        watchForTheEnd();
        return finished;
    }

    private void add(ConversationConfig c, boolean startOfProcess) {
        Series s = new Series(this, config, c, archive, parts, scheduler, random, once);
        series.put(c.id(), s);
        hosted = List.copyOf(series.values());
        s.left().thenRun(this::watchForTheEnd);
        s.open(startOfProcess);
    }

    /**
     * Every hosted conversation's status, in config order (a conversation removed by a reload stays, as left, until
     * another takes its place). From any thread; never waits for the host (the web view asks on every page).
     */
    public List<SeriesStatus> statuses() {
        return hosted.stream().map(Series::status).toList();
    }

    /** A conversation could not start at all: the host stops with that failure (see {@link #start}). */
    void failed(RuntimeException e) {
        finished.completeExceptionally(e);
    }

    /** Done when every series has left (none left to host). */
    private synchronized void watchForTheEnd() {
        if (series.values().stream().allMatch(s -> s.left().isDone())) {
            finished.complete(null);
        }
    }

    /**
     * Re-reads the config. With problems, the running config stays and the answer says so (the problems go to
     * the log). Otherwise conversations added start, those removed end their episode and leave, and those
     * changed take the change from their next episode.
     */
    public synchronized String reload(String by, boolean checkOnly) {
        ParleyConfig next;
        try {
            next = source.load();
        } catch (ConfigException e) {
            log.warn("reload by {} refused: the config has {} problem(s):\n{}", by, e.problems().size(),
                    e.getMessage());
            return "The config has " + e.problems().size() + " problem" + (e.problems().size() == 1 ? "" : "s")
                    + " (see the log); nothing changed.";
        } catch (RuntimeException e) {
            log.warn("reload by {} refused", by, e);
            return "Cannot read the config: " + e.getMessage() + "; nothing changed.";
        }
        Map<String, ConversationConfig> wanted = next.conversations().stream()
                .collect(Collectors.toMap(ConversationConfig::id, c -> c, (a, b) -> a, LinkedHashMap::new));
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        wanted.forEach((id, c) -> {
            Series s = series.get(id);
            if (s == null || s.left().isDone()) {
                added.add(id);
            } else if (!s.config().equals(c) || !sameNetworks(config, next)) {
                changed.add(id);
            }
        });
        series.forEach((id, s) -> {
            if (!wanted.containsKey(id) && !s.left().isDone()) {
                removed.add(id);
            }
        });
        String summary = summary(added, removed, changed, next);
        if (checkOnly || shutDown) {
            return (added.isEmpty() && removed.isEmpty() && changed.isEmpty()) ? "The config has not changed."
                    : "A reload would " + summary + ".";
        }
        config = next;
        for (String id : removed) {
            series.get(id).retire("the conversation was removed from the config");
        }
        for (String id : changed) {
            series.get(id).replaceConfig(next, wanted.get(id));
        }
        for (String id : added) {
            add(wanted.get(id), false);
        }
        log.info("reload by {}: {}", by, summary);
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty() ? "Reloaded; nothing changed."
                : "Reloaded: " + summary + ".";
    }

    private static boolean sameNetworks(ParleyConfig a, ParleyConfig b) {
        return a.ircNetworks().equals(b.ircNetworks()) && a.matrixServers().equals(b.matrixServers());
    }

    private static String summary(List<String> added, List<String> removed, List<String> changed, ParleyConfig next) {
        List<String> parts = new ArrayList<>();
        if (!added.isEmpty()) {
            parts.add("add " + String.join(", ", added));
        }
        if (!removed.isEmpty()) {
            parts.add("end and remove " + String.join(", ", removed));
        }
        if (!changed.isEmpty()) {
            parts.add("change " + String.join(", ", changed) + " from the next episode");
        }
        return parts.isEmpty() ? "change nothing" : String.join("; ", parts);
    }

    /**
     * Ends every running episode properly (stop journalled, rooms told, transcript written), waits for that at
     * most {@code grace}, then leaves every room. Safe from any thread, once.
     */
    public void shutdown(String reason, java.time.Duration grace) {
        List<Series> all;
        synchronized (this) {
            if (shutDown) {
                return;
            }
            shutDown = true;
            all = List.copyOf(series.values());
        }
        CompletableFuture<?>[] quiet = all.stream().map(s -> s.shutdown(reason)).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(quiet).get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("episodes did not end within {} s of shutdown", grace.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            log.warn("shutdown failed", e.getCause());
        }
        all.forEach(Series::close);
        finished.complete(null);
    }
}
