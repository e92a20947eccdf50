package dev.parley.archive;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Names one episode in the archive: the conversation's id (its folder under the transcripts dir) and the journal's
 * file name without {@code .jsonl}, e.g. {@code tides / tides-20261129-011432}. Both are single path segments of
 * safe characters, so an id taken from a URL can never name a file outside the transcripts dir.
 */
public record EpisodeId(String conversation, String name) {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}");

    public EpisodeId {
        if (!isSafe(conversation) || !isSafe(name)) {
            throw new IllegalArgumentException("not an episode id: " + conversation + "/" + name);
        }
    }

    /** The episode a journal file holds, by its place: {@code <dir>/<conversation>/<name>.jsonl}. */
    public static EpisodeId of(Path journal) {
        Path abs = journal.toAbsolutePath();
        String file = abs.getFileName().toString();
        Objects.requireNonNull(abs.getParent(), "journal folder");
        return new EpisodeId(abs.getParent().getFileName().toString(), file.replaceFirst("\\.jsonl$", ""));
    }

    /**
     * Whether {@code segment} may be a conversation id or episode name: letters, digits, '_', '.', '-', not starting
     * with a dot (so never "." or ".."), no separator of any kind.
     */
    public static boolean isSafe(String segment) {
        return segment != null && SEGMENT.matcher(segment).matches();
    }

    /** The journal file under {@code transcriptsDir}. */
    public Path journal(Path transcriptsDir) {
        return transcriptsDir.resolve(conversation).resolve(name + ".jsonl");
    }

    /** The Markdown transcript beside the journal. */
    public Path transcript(Path transcriptsDir) {
        return transcriptsDir.resolve(conversation).resolve(name + ".md");
    }

    /** Written out for the reason {@link dev.parley.core.SeatId} says: compared as the web status starts. */
    @Override
    public boolean equals(Object o) {
        return o instanceof EpisodeId e && conversation.equals(e.conversation) && name.equals(e.name);
    }

    @Override
    public int hashCode() {
        return conversation.hashCode() * 31 + name.hashCode();
    }

    @Override
    public String toString() {
        return conversation + "/" + name;
    }
}
