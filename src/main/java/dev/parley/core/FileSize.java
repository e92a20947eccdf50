package dev.parley.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The size check made before a file is read whole: a journal, transcript or config of gigabytes would end in
 * OutOfMemoryError, so it is refused with its size and the limit instead.
 */
public final class FileSize {
    public static final long MB = 1L << 20;

    private FileSize() { }

    /** "3.0 GB", "16 MB", "64 KB", "512 bytes". */
    public static String describe(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        }
        if (bytes >= MB) {
            return bytes % MB == 0 ? bytes / MB + " MB" : String.format(Locale.ROOT, "%.1f MB", bytes / (double) MB);
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KB";
        }
        return bytes + " bytes";
    }

    /**
     * Why {@code file} is too large to read whole, or empty when it is not (or its size cannot be told: reading it
     * will then report what is wrong). {@code what} names the kind in the plural: "journals".
     */
    public static Optional<String> tooLarge(Path file, long max, String what) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
        return size <= max ? Optional.empty()
                : Optional.of("is " + describe(size) + "; parley reads " + what + " of at most " + describe(max));
    }
}
