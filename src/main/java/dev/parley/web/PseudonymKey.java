package dev.parley.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * The secret that makes pseudonyms: made once, kept at {@code <transcripts-dir>/state/web-pseudonym.key}, so the live
 * site and a static export of the same archive give a person the same pseudonym, and nobody without the file can
 * work out who it is.
 */
final class PseudonymKey {
    private PseudonymKey() { }

    static byte[] load(Path transcriptsDir) {
        Path file = transcriptsDir.resolve("state").resolve("web-pseudonym.key");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                try {
                    Files.write(file, key, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException raced) {
                    // another process made it first: use theirs
                }
            }
            byte[] key = Files.readAllBytes(file);
            if (key.length < 16) {
                throw new IllegalStateException(file + " is too short to be a pseudonym key; delete it to make a new one");
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or make the pseudonym key " + file + ": " + e.getMessage(), e);
        }
    }
}
