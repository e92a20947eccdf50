package dev.parley.host;

import dev.parley.archive.Journal;
import dev.parley.archive.JournalCommitter;
import dev.parley.archive.JournalEvent;
import dev.parley.archive.JsonlJournal;
import dev.parley.config.ConversationConfig;
import dev.parley.config.ParleyConfig;
import dev.parley.config.RoomConfig;
import dev.parley.config.SeatConfig;
import dev.parley.conversation.TurnPolicy;
import dev.parley.model.ModelClient;
import dev.parley.room.Room;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What the host is given to make rooms and models from config: app's factories, or a test's in-memory ones. */
public interface Parts {
    /** A room of the conversation, made with every seat of its roster; who joins is set by {@link Room#cast}. */
    Room room(ParleyConfig config, ConversationConfig conversation, RoomConfig room);

    /**
     * A client for the seat's model. {@code journalSoFar}: the events of the episode being resumed (a replay seat
     * goes on from its next line), empty for a new episode.
     */
    ModelClient model(ParleyConfig config, ConversationConfig conversation, SeatConfig seat,
                      List<JournalEvent> journalSoFar);

    /** Rooms an episode has beside the configured ones (a staged replay's audience), given the journal so far. */
    default List<Room> extraRooms(ConversationConfig conversation, List<JournalEvent> journalSoFar) {
        return List.of();
    }

    /** A turn policy replacing the configured one (a staged replay follows its transcript). */
    default Optional<TurnPolicy> turnPolicy(ConversationConfig conversation) {
        return Optional.empty();
    }

    /**
     * The threads that force journals to disk, so that no conversation waits out a flush; none (the default):
     * each append is forced on the conversation's own thread, as tests in virtual time need.
     */
    default Optional<JournalCommitter> committer() {
        return Optional.empty();
    }

    /** The journal as the episode writes it: app wraps it so the web view follows every event. */
    default Journal watch(JsonlJournal journal) {
        return journal;
    }

    /** An episode ended: its journal, and its transcript if one was written. */
    default void episodeEnded(String conversation, Path journal, Optional<Path> transcript) { }
}
