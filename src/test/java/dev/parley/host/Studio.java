package dev.parley.host;

import dev.parley.archive.Archive;
import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalReader;
import dev.parley.config.ConfigException;
import dev.parley.config.ConfigProblem;
import dev.parley.config.ConversationConfig;
import dev.parley.config.ParleyConfig;
import dev.parley.config.RoomConfig;
import dev.parley.config.SeatConfig;
import dev.parley.core.VirtualScheduler;
import dev.parley.model.ModelClient;
import dev.parley.room.MemoryRoom;
import dev.parley.testsupport.ScriptedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A host on in-memory rooms and scripted models, in virtual time, with real journals in a folder: the host's
 * Errbot-style test backend. Each seat's model answers "<name> <n>" (n counting its requests) unless a test
 * scripts it otherwise; every model made is recorded with the seat config it was made for.
 */
final class Studio {
    final VirtualScheduler clock;
    final Path dir;
    final Map<String, MemoryRoom> rooms = new ConcurrentHashMap<>();
    final List<Made> models = new CopyOnWriteArrayList<>();
    final Map<String, Function<SeatConfig, ScriptedModel>> scripts = new ConcurrentHashMap<>();
    volatile ParleyConfig config;
    /** Conversations whose rooms cannot be made (a network that refuses them, say). */
    final java.util.Set<String> unreachable = ConcurrentHashMap.newKeySet();
    /** The config file now has a problem: a reload reads it and is refused. */
    volatile boolean configBroken;
    Host host;
    CompletableFuture<Void> finished;

    /** A model the host asked for: which seat config (model id included) it was made for. */
    record Made(SeatConfig seat, ScriptedModel model) { }

    Studio(Path dir, Instant start, ConversationConfig... conversations) {
        this.dir = dir;
        this.clock = new VirtualScheduler(start);
        this.config = config(conversations);
    }

    ParleyConfig config(ConversationConfig... conversations) {
        return new ParleyConfig(dir, ZoneId.of("UTC"), List.of(conversations), Map.of(), Map.of(), "test");
    }

    Studio start() {
        host = new Host(config, () -> {
            if (configBroken) {
                throw new ConfigException(List.of(new ConfigProblem("test.conf", 3, "conversations.0.stop.max-turns",
                        "expected a number, got \"lots\"")));
            }
            return config;
        }, new Parts() {
            @Override
            public dev.parley.room.Room room(ParleyConfig top, ConversationConfig c, RoomConfig rc) {
                if (unreachable.contains(c.id())) {
                    throw new IllegalArgumentException("no irc network named \"elsewhere\"");
                }
                String name = c.id() + ":" + (rc instanceof RoomConfig.Irc irc ? irc.channel() : "terminal");
                MemoryRoom room = new MemoryRoom(name, c.seats().stream().map(SeatConfig::id).toList());
                rooms.put(name, room);
                return room;
            }

            @Override
            public ModelClient model(ParleyConfig top, ConversationConfig c, SeatConfig seat,
                                     List<JournalEvent> journalSoFar) {
                ScriptedModel m = scripts.getOrDefault(seat.id().value(), s -> counting(s.name())).apply(seat);
                models.add(new Made(seat, m));
                return m;
            }
        }, clock, new Random(11), false);
        finished = host.start();
        settle();
        return this;
    }

    /** Runs what is due now, without letting time pass. */
    Studio settle() {
        clock.advance(Duration.ZERO);
        return this;
    }

    Studio run(Duration d) {
        clock.advance(d);
        return this;
    }

    MemoryRoom room(String name) {
        return rooms.get(name);
    }

    /** An operator says {@code line} in {@code room}; what it causes runs (no time passes). */
    Studio say(String room, String line) {
        rooms.get(room).say("kate", line, true);
        return settle();
    }

    /** The episode journals of a conversation, oldest first. */
    List<Path> journals(String id) {
        try (Stream<Path> files = Files.list(dir.resolve(id))) {
            return files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<JournalEvent> events(Path journal) {
        return JournalReader.read(journal);
    }

    JournalEvent.Start startOf(Path journal) {
        return (JournalEvent.Start) events(journal).get(0);
    }

    List<String> said(Path journal) {
        List<String> out = new ArrayList<>();
        events(journal).stream().filter(JournalEvent.Said.class::isInstance).map(JournalEvent.Said.class::cast)
                .forEach(s -> out.add(s.speaker() + ": " + s.text()));
        return out;
    }

    Optional<String> transcriptOf(Path journal) {
        Path md = Archive.transcriptOf(journal);
        try {
            return Files.exists(md) ? Optional.of(Files.readString(md)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Models made for one seat, in order. */
    List<Made> madeFor(String seat) {
        return models.stream().filter(m -> m.seat().id().value().equals(seat)).toList();
    }

    static ScriptedModel counting(String name) {
        int[] n = {0};
        return new ScriptedModel().otherwise(r -> name + " " + (++n[0]));
    }
}
