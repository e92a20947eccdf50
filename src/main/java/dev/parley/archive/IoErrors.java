package dev.parley.archive;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;

/** Turns an I/O failure into the system's reason for a one-line message: the path is said by the caller. */
public final class IoErrors {
    private IoErrors() { }

    /** What the system said, without repeating the path (a bare {@link FileSystemException} message is the path). */
    public static String reason(IOException e) {
        if (e instanceof FileAlreadyExistsException) {
            return "a file is in the way";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
