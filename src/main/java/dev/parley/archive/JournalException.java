package dev.parley.archive;

/** The journal could not be written or read: the conversation must not go on as if it had been. */
public class JournalException extends RuntimeException {
    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }

    public JournalException(String message) {
        super(message);
    }
}
