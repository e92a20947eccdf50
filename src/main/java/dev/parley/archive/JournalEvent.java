package dev.parley.archive;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;

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
        @JsonSubTypes.Type(value = JournalEvent.Retract.class, name = "retract"),
        @JsonSubTypes.Type(value = JournalEvent.Steer.class, name = "steer"),
        @JsonSubTypes.Type(value = JournalEvent.Health.class, name = "health"),
        @JsonSubTypes.Type(value = JournalEvent.Withheld.class, name = "withheld"),
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface JournalEvent {
    long seq();

    Instant ts();

    /** A seat at the start of an episode (its cast), as the title of the transcript names it. */
    record SeatInfo(String id, String name, String provider, String model, String systemPrompt) {
        public SeatInfo(String id, String name, String provider, String model) {
            this(id, name, provider, model, null);
        }
    }

    /**
     * The episode began, with what defines it: the conversation, which episode of it (1, 2, ...; absent in
     * journals of one-shot runs before episodes existed), its cast, rooms, topic and opening line.
     */
    record Start(long seq, Instant ts, String conversation, List<SeatInfo> seats, List<String> rooms,
                 Integer episode, String topic, String openingLine) implements JournalEvent {
        public Start(long seq, Instant ts, String conversation, List<SeatInfo> seats, List<String> rooms) {
            this(seq, ts, conversation, seats, rooms, null, null, null);
        }
    }

    /**
     * A message that was said: {@code kind} is "model" or "human". Model turns carry the seat id, provider,
     * model id, latency and token usage; human ones the room they came from.
     */
    record Said(long seq, Instant ts, String speaker, String kind, String seat, String text, Integer turn,
                String provider, String model, Long latencyMs, Long inputTokens, Long outputTokens,
                Long cachedTokens, String room) implements JournalEvent {
        public static final String MODEL = "model";
        public static final String HUMAN = "human";

        /** A seat's turn; add latency and token usage with {@link #withUsage} when the provider reported them. */
        public static Said model(long seq, Instant ts, String speaker, String seat, String text, int turn,
                                 String provider, String model) {
            return new Said(seq, ts, speaker, MODEL, seat, text, turn, provider, model, null, null, null, null, null);
        }

        /** A human's message, as it came from {@code room}. */
        public static Said human(long seq, Instant ts, String speaker, String text, String room) {
            return new Said(seq, ts, speaker, HUMAN, null, text, null, null, null, null, null, null, null, room);
        }

        /** This turn with how long the model took and the tokens it reported (input counts the whole prompt). */
        public Said withUsage(long latencyMs, long inputTokens, long outputTokens, long cachedTokens) {
            return new Said(seq, ts, speaker, kind, seat, text, turn, provider, model, latencyMs, inputTokens,
                    outputTokens, cachedTokens, room);
        }

        public boolean isModel() {
            return MODEL.equals(kind);
        }

        public boolean isHuman() {
            return HUMAN.equals(kind);
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

    /**
     * The conversation paused; {@code reason} completes "Paused ..." ("by kate", "by the health monitor: ...").
     * A pause lasts across a restart, except one parley made while a seat was away: attendance decides that anew.
     */
    record Pause(long seq, Instant ts, String by, String reason) implements JournalEvent {
        /** How the reason of a pause for a seat away from the room begins. */
        public static final String WHILE_AWAY = "while ";

        public boolean forAbsence() {
            return reason != null && reason.startsWith(WHILE_AWAY);
        }
    }

    record Resume(long seq, Instant ts, String by) implements JournalEvent { }

    /** A model call that failed: error kind, the short message, and what was done about it. */
    record Failure(long seq, Instant ts, String seat, String kind, String message, String action)
            implements JournalEvent { }

    /** The daemon restarted and picked the conversation up from this journal. */
    record Restart(long seq, Instant ts) implements JournalEvent { }

    /**
     * Messages taken back by an operator ({@code !retract}, {@code !retry}): the events with these sequence numbers
     * leave the models' context and the Markdown transcript. The journal keeps them: it is append-only.
     */
    record Retract(long seq, Instant ts, String by, List<Long> messages) implements JournalEvent { }

    /**
     * An operator steered the episode: {@code action} is invite, dismiss, note (a director's note only
     * {@code seat} sees in its next context), model (the seat's model id from its next turn), system (its system
     * prompt for the rest of the episode), topic, retry, mute or unmute; {@code text} is the note, model id, prompt
     * or topic.
     */
    record Steer(long seq, Instant ts, String by, String action, String seat, String text) implements JournalEvent {
        public static final String INVITE = "invite";
        public static final String DISMISS = "dismiss";
        public static final String NOTE = "note";
        public static final String MODEL = "model";
        public static final String SYSTEM = "system";
        public static final String TOPIC = "topic";
        public static final String RETRY = "retry";
        /** {@code !mute} and {@code !unmute}: they last the episode, across restarts. */
        public static final String MUTE = "mute";
        public static final String UNMUTE = "unmute";
        /** {@code !filter on|off}: {@code text} is "on" or "off", for the rest of the episode. */
        public static final String FILTER = "filter";
    }

    /** The conversation ended; {@code reason} is what the rooms were told. */
    record Stop(long seq, Instant ts, String reason) implements JournalEvent { }

    /**
     * The health monitor fired: which {@code rule}, what it said ({@code evidence}, the sentence the rooms were
     * told), the figures behind it, and what it did ({@code stop}, {@code pause} or {@code notice}). It comes right
     * before the stop, pause or notice it caused. Older journals have no such lines, and need none.
     */
    record Health(long seq, Instant ts, String rule, String evidence, Map<String, Double> figures, String action)
            implements JournalEvent { }

    /**
     * The moderation gate kept a message from the rooms. {@code text} is what was withheld (for the archive and
     * operators; never shown in the transcript or on the web), {@code rule} what matched ("words.txt:12",
     * "max-links", "moderation-api:hate"), {@code action} what followed: "retried" (the seat was asked once more),
     * "skipped", "muted", "cut" (paragraphs already shown stay, the rest is withheld), "held" (the moderation service
     * could not answer) or "kept-from-models" (a human's message the rooms saw but the models do not).
     */
    record Withheld(long seq, Instant ts, String seat, String speaker, String text, String rule, String detail,
                    String action) implements JournalEvent {
        public static final String KEPT_FROM_MODELS = "kept-from-models";
    }
}
