package dev.parley.web;

import dev.parley.archive.EpisodeId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Which conversations the web may show. A conversation configured private is hidden, and so is one whose folder
 * holds a {@value #MARKER} file: the daemon leaves that marker, so that `parley site` run on the folder alone,
 * without the config, still leaves the conversation out.
 */
final class Visibility {
    static final String MARKER = ".private";

    private final Path dir;
    private final Set<String> privateIds;
    private final Set<String> indexableIds;

    Visibility(Path transcriptsDir, Set<String> privateIds, Set<String> indexableIds) {
        this.dir = transcriptsDir;
        this.privateIds = Set.copyOf(privateIds);
        this.indexableIds = Set.copyOf(indexableIds);
    }

    boolean hidden(String conversation) {
        return !EpisodeId.isSafe(conversation) || privateIds.contains(conversation)
                || Files.exists(dir.resolve(conversation).resolve(MARKER));
    }

    boolean indexable(String conversation) {
        return indexableIds.contains(conversation) && !hidden(conversation);
    }

    /** Leaves the marker in each private conversation's folder (creating the folder if needed). */
    void markPrivate() {
        for (String id : privateIds) {
            if (!EpisodeId.isSafe(id)) {
                continue;
            }
            Path folder = dir.resolve(id);
            try {
                Files.createDirectories(folder);
                Path marker = folder.resolve(MARKER);
                if (!Files.exists(marker)) {
                    Files.writeString(marker, "This conversation is private: the web view and `parley site` leave "
                            + "it out.\n");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot mark " + folder + " private: " + e.getMessage(), e);
            }
        }
    }
}
