package dev.parley.host;

import dev.parley.archive.JsonlJournal;
import dev.parley.conversation.Conversation;
import dev.parley.model.ModelClient;
import dev.parley.room.Room;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running episode of a {@link Series} and what it owns: its journal, its models and its views of the rooms. */
record Episode(int number, Conversation conversation, JsonlJournal journal, List<ModelClient> models,
               List<Room> views, AtomicReference<Path> transcript) {
    private static final Logger log = LoggerFactory.getLogger(Episode.class);

    /**
     * Lets go of everything the episode owns. An episode that journalled nothing leaves no file behind (it never
     * began: its models could not be made, or it stopped before its start was written); true if it did journal.
     */
    boolean closeUp() {
        views.forEach(Room::close);
        return closeModelsAndJournal(models, journal);
    }

    /** The transcript written when the episode ended, if one was. */
    Optional<Path> writtenTranscript() {
        return Optional.ofNullable(transcript.get());
    }

    /** For an episode that never got as far as its conversation: see {@link #closeUp()}. */
    static boolean closeModelsAndJournal(List<ModelClient> models, JsonlJournal journal) {
        models.forEach(ModelClient::close);
        journal.close(); // first: it waits for appends still being forced
        boolean empty = journal.events().isEmpty();
        if (empty) {
            try {
                Files.deleteIfExists(journal.file());
            } catch (IOException e) {
                log.warn("could not delete the empty journal {}", journal.file(), e);
            }
        }
        return !empty;
    }
}
