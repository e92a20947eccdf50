package dev.parley.archive;

/** A transcript file is not in the transcript format; {@link #line()} is where (1-based) it went wrong. */
public class TranscriptParseException extends RuntimeException {
    private final int line;

    public TranscriptParseException(int line, String message) {
        super("line " + line + ": " + message);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
