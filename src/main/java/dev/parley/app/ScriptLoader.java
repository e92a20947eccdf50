package dev.parley.app;

import dev.parley.archive.Transcript;
import dev.parley.archive.TranscriptParseException;
import dev.parley.archive.TranscriptParser;
import dev.parley.config.ModelConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Loads the lines a replay seat says: its speaker's messages from a transcript on the classpath or on disk. */
final class ScriptLoader {
    private static final String CLASSPATH = "classpath:";

    private ScriptLoader() { }

    static List<String> lines(ModelConfig.Replay replay) {
        Transcript t = transcript(replay.transcript());
        List<String> lines = linesOrNone(replay, t);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("replay " + noLines(replay, t));
        }
        return lines;
    }

    /**
     * For config checks: why this replay seat could not say anything (its transcript cannot be read, or has no
     * messages by its speaker), or empty. {@code parley check} reports it at the seat's key, before any run.
     */
    static Optional<String> problem(ModelConfig.Replay replay) {
        Transcript t;
        try {
            t = transcript(replay.transcript());
        } catch (UncheckedIOException | IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        } catch (TranscriptParseException e) {
            return Optional.of("transcript " + replay.transcript() + ": " + e.getMessage());
        }
        return linesOrNone(replay, t).isEmpty() ? Optional.of(noLines(replay, t)) : Optional.empty();
    }

    private static String noLines(ModelConfig.Replay replay, Transcript t) {
        return "transcript " + replay.transcript() + " has no messages by \"" + replay.speaker() + "\" (speakers: "
                + String.join(", ", t.title()) + ")";
    }

    /**
     * The speaker's lines, possibly none: a staged replay gives a seat to everyone in the title, including one who
     * never got a word in, and its turn order never asks that seat.
     */
    static List<String> linesOrNone(ModelConfig.Replay replay) {
        return linesOrNone(replay, transcript(replay.transcript()));
    }

    private static List<String> linesOrNone(ModelConfig.Replay replay, Transcript t) {
        return t.messages().stream().filter(e -> e.speaker().equals(replay.speaker()))
                .map(Transcript.Entry::text).toList();
    }

    static Transcript transcript(String where) {
        if (!where.startsWith(CLASSPATH)) {
            return TranscriptParser.read(Path.of(where));
        }
        String resource = where.substring(CLASSPATH.length()).replaceFirst("^/", "");
        try (InputStream in = ScriptLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no such resource in the jar: " + where);
            }
            return TranscriptParser.parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
