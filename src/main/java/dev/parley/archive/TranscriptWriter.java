package dev.parley.archive;

import dev.parley.core.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Renders a {@link Transcript} as the Markdown of DESIGN.md "Transcript format", byte for byte, so that
 * {@link TranscriptParser} can read it back exactly.
 */
public final class TranscriptWriter {
    static final String ARROW = " \u2194 ";
    static final String STARTED = "**Started:** ";
    static final String ENDED = "**Ended:** ";
    static final String MESSAGES = "**Messages:** ";
    static final String SECTION = "### ";
    static final String RULE = "---\n\n";
    /** What ends every message text and separates it from the next section. */
    static final String SECTION_END = "\n\n---\n\n";
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    private TranscriptWriter() { }

    public static String render(Transcript transcript) {
        StringBuilder out = new StringBuilder(256);
        out.append("# ").append(String.join(ARROW, transcript.title())).append('\n')
                .append('\n')
                .append(STARTED).append(time(transcript.started())).append('\n')
                .append(ENDED).append(time(transcript.ended())).append('\n')
                .append(MESSAGES).append(transcript.messages().size()).append('\n')
                .append('\n')
                .append(RULE);
        for (Transcript.Entry entry : transcript.messages()) {
            out.append(SECTION).append(entry.speaker()).append("\n\n")
                    .append(entry.text())
                    .append(SECTION_END);
        }
        return out.toString();
    }

    public static byte[] renderBytes(Transcript transcript) {
        return render(transcript).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Writes the transcript to {@code file} so that a reader sees the old file or the new one, never half of one:
     * a temporary file beside it is written, forced to disk, then moved over it.
     */
    public static void write(Transcript transcript, Path file) {
        try {
            AtomicFile.replace(file, renderBytes(transcript));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write transcript " + file + ": " + e.getMessage(), e);
        }
    }
    private static String time(LocalDateTime at) {
        return TIME.format(at);
    }
}
