package dev.parley.conversation;

import dev.parley.archive.Transcript;
import dev.parley.archive.TranscriptParser;
import dev.parley.config.HealthConfig;
import dev.parley.core.Message;
import dev.parley.core.SeatId;
import dev.parley.core.Speaker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The labelled corpus in {@code src/test/resources/health-corpus}: each transcript with its label from
 * {@code labels.tsv} (healthy, or degenerate from a given message on). Speakers named in a transcript's title are
 * seats, everyone else is a human, as {@code parley replay} stages them.
 */
record HealthCorpus(List<Log> logs) {
    static final Path DIR = Path.of("src/test/resources/health-corpus");

    /** One labelled log; {@code onset} is the index (from 0) of the first degenerate message, empty when healthy. */
    record Log(String file, OptionalInt onset, String why, List<Message> messages) {
        boolean degenerate() {
            return onset.isPresent();
        }

        boolean real() {
            return !file.startsWith("syn-");
        }
    }

    static HealthCorpus load() {
        try {
            List<Log> logs = new ArrayList<>();
            for (String line : Files.readAllLines(DIR.resolve("labels.tsv"))) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                OptionalInt onset = switch (f[1]) {
                    case "healthy" -> OptionalInt.empty();
                    case "degenerate" -> OptionalInt.of(Integer.parseInt(f[2]));
                    default -> throw new IllegalArgumentException("labels.tsv: unknown label " + f[1]);
                };
                logs.add(new Log(f[0], onset, f.length > 3 ? f[3] : "", messages(TranscriptParser.read(DIR.resolve(f[0])))));
            }
            return new HealthCorpus(List.copyOf(logs));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the monitor fired on a log (index from 0, and why), or never. */
    record Outcome(Log log, OptionalInt firedAt, HealthVerdict verdict) {
        boolean falseStop() {
            return firedAt.isPresent() && (!log.degenerate() || firedAt.getAsInt() < log.onset().getAsInt());
        }

        /** Stopped within {@code slack} messages of the onset. */
        boolean caught(int slack) {
            return log.degenerate() && firedAt.isPresent() && !falseStop()
                    && firedAt.getAsInt() <= log.onset().getAsInt() + slack;
        }

        int delay() {
            return firedAt.getAsInt() - log.onset().getAsInt();
        }
    }

    /** Replays a log through a fresh monitor, as a live conversation would feed it, up to the first verdict. */
    static Outcome replay(Log log, HealthConfig config) {
        HealthMonitor monitor = new HealthMonitor(config);
        List<Message> messages = log.messages();
        for (int i = 0; i < messages.size(); i++) {
            Optional<HealthVerdict> v = monitor.observe(messages.get(i));
            if (v.isPresent()) {
                return new Outcome(log, OptionalInt.of(i), v.get());
            }
        }
        return new Outcome(log, OptionalInt.empty(), null);
    }

    static List<Message> messages(Transcript t) {
        List<Message> out = new ArrayList<>();
        for (Transcript.Entry e : t.messages()) {
            Speaker speaker = t.title().contains(e.speaker())
                    ? Speaker.seat(SeatId.of(seatId(e.speaker())), e.speaker())
                    : Speaker.human(e.speaker());
            out.add(new Message(speaker, e.text(), Instant.EPOCH));
        }
        return out;
    }

    private static String seatId(String name) {
        String id = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return id.isEmpty() ? "seat" : id;
    }
}
