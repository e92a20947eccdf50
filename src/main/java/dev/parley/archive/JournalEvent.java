package dev.parley.archive;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.List;

/**
 * One line of the journal. Every event has a sequence number (1, 2, 3... per conversation) and a timestamp;
 * the {@code type} property names the kind on the wire. Fields that do not apply are left out of the JSON.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = JournalEvent.Start.class, name = "start"),
        @JsonSubTypes.Type(value = JournalEvent.Said.class, name = "message"),
        @JsonSubTypes.Type(value = JournalEvent.Draft.class, name = "draft"),
        @JsonSubTypes.Type(value = JournalEvent.Notice.class, name = "notice"),
        @JsonSubTypes.Type(value = JournalEvent.Outgoing.class, name = "outgoing"),
        @JsonSubTypes.Type(value = JournalEvent.Command.class, name = "command"),
        @JsonSubTypes.Type(value = JournalEvent.Pause.class, name = "pause"),
        @JsonSubTypes.Type(value = JournalEvent.Resume.class, name = "resume"),
        @JsonSubTypes.Type(value = JournalEvent.Failure.class, name = "failure"),
        @JsonSubTypes.Type(value = JournalEvent.Restart.class, name = "restart"),
        @JsonSubTypes.Type(value = JournalEvent.Stop.class, name = "stop"),
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface JournalEvent {
    long seq();

    Instant ts();

    /** A seat at the start of a conversation, as the title of the transcript names it. */
    record SeatInfo(String id, String name, String provider, String model) { }

    /** The conversation began. */
    record Start(long seq, Instant ts, String conversation, List<SeatInfo> seats, List<String> rooms)
            implements JournalEvent { }

    /**
     * A message that was said: {@code kind} is "model" or "human". Model turns carry the seat id, provider,
     * model id, latency and token usage; human ones the room they came from.
     */
    record Said(long seq, Instant ts, String speaker, String kind, String seat, String text, Integer turn,
                String provider, String model, Long latencyMs, Long inputTokens, Long outputTokens,
                Long cachedTokens, String room) implements JournalEvent {
        public static final String MODEL = "model";
        public static final String HUMAN = "human";

        public boolean isModel() {
            return MODEL.equals(kind);
        }
    }

    /**
     * Paragraphs of a model reply that were posted while the reply was still streaming. The whole reply is
     * recorded once more as a {@code message} when it is complete; drafts exist so that what the rooms were
     * shown is durable first, and a reply cut by a crash is recovered from them.
     */
    record Draft(long seq, Instant ts, String seat, String text) implements JournalEvent { }

    /** Something the control identity told the rooms. */
    record Notice(long seq, Instant ts, String text) implements JournalEvent { }

    /**
     * What the rooms named in {@code rooms} are to show: a seat's post ({@code kind} "post", with {@code seat}),
     * a notice ("notice") or a human's line from another room ("relay", with {@code sender}). Journalled with
     * the event it shows, in the same write, so that a restart can deliver what a room had not yet shown: this
     * event's sequence number is the parcel's key (see docs/matrix.md on transaction ids).
     */
    record Outgoing(long seq, Instant ts, List<String> rooms, String kind, String seat, String sender, String text)
            implements JournalEvent {
        public static final String POST = "post";
        public static final String NOTICE = "notice";
        public static final String RELAY = "relay";
    }

    /** A command a human typed, whether it was allowed, and what came of it. */
    record Command(long seq, Instant ts, String sender, String room, String text, boolean authorized, String outcome)
            implements JournalEvent { }

    record Pause(long seq, Instant ts, String by, String reason) implements JournalEvent { }

    record Resume(long seq, Instant ts, String by) implements JournalEvent { }

    /** A model call that failed: error kind, the short message, and what was done about it. */
    record Failure(long seq, Instant ts, String seat, String kind, String message, String action)
            implements JournalEvent { }

    /** The daemon restarted and picked the conversation up from this journal. */
    record Restart(long seq, Instant ts) implements JournalEvent { }

    /** The conversation ended; {@code reason} is what the rooms were told. */
    record Stop(long seq, Instant ts, String reason) implements JournalEvent { }
}
