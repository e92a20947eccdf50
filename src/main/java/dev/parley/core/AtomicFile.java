package dev.parley.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.EnumSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A small file replaced whole (a transcript, a room's sync position, kept sessions, series state): a reader, or
 * a start after a crash, finds the old contents or the new, never half of them.
 */
public final class AtomicFile {
    private AtomicFile() { }

    /**
     * Writes {@code bytes} to a fresh file beside {@code file}, forces it, moves it over {@code file} and forces the
     * directory. The fresh file is made with {@code attributes} (e.g. owner-only permissions) as it is created, so
     * it never exists with wider ones; without them it gets the umask's, like any file the process makes (not
     * {@code Files.createTempFile}, which makes it 0600 whatever the umask). Its name is new each time, so a file
     * left by a crash mid-write is never written into; a failed write deletes it.
     */
    public static void replace(Path file, byte[] bytes, FileAttribute<?>... attributes) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve("." + target.getFileName() + "."
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp,
                    EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the write's own failure is the one to report
                }
            }
        }
        forceDirectory(dir);
    }

    /** Makes a file's creation or rename in {@code dir} durable; where a directory cannot be forced, nothing. */
    public static void forceDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not every platform opens directories; the rename itself was atomic
        }
    }
}
