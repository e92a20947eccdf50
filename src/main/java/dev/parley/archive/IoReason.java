package dev.parley.archive;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Objects;

/**
 * Why a file operation failed, in the operating system's words ("Not a directory", "Read-only file system"),
 * for a message such as "cannot create transcripts/talk: Read-only file system". Java keeps that reason apart
 * from the path (and some exceptions carry only the path), so a bare getMessage() loses it.
 */
public final class IoReason {
    private IoReason() { }

    /** The reason {@code e} gives about {@code target}; names the path it is about when that is another one. */
    public static String of(IOException e, java.nio.file.Path target) {
        if (e instanceof FileSystemException f) {
            String about = f.getFile() == null || Objects.equals(f.getFile(), target.toString()) ? ""
                    : " (" + f.getFile() + ")";
            if (f.getReason() != null) {
                return f.getReason() + about;
            }
            if (f instanceof FileAlreadyExistsException) {
                return about.isEmpty() ? "it exists and is not a directory"
                        : f.getFile() + " exists and is not a directory";
            }
            if (f instanceof NoSuchFileException) {
                return "no such file or directory" + about;
            }
            if (f instanceof AccessDeniedException) {
                return "permission denied" + about;
            }
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
