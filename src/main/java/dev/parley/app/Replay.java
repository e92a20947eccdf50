package dev.parley.app;

import dev.parley.archive.Transcript;
import dev.parley.config.ConversationConfig;
import dev.parley.config.IrcIdentity;
import dev.parley.config.ModelConfig;
import dev.parley.config.ParleyConfig;
import dev.parley.config.ReplyConfig;
import dev.parley.config.SeatConfig;
import dev.parley.config.StopConfig;
import dev.parley.conversation.TurnPolicy;
import dev.parley.core.SeatId;
import dev.parley.room.Inbound;
import dev.parley.room.Room;
import dev.parley.room.RoomListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code parley replay TRANSCRIPT}: stages an archived transcript as a live conversation. Each speaker named in
 * the title becomes a seat saying its own lines in order, in the transcript's order of turns; everyone else is
 * replayed as a human at their place. Pacing, rooms and stop conditions come from the config, so the health
 * monitor can stop a degenerate replay.
 */
final class Replay {
    /** Who stops a replay that ends with humans, as the journal's command event names it. */
    static final String AUDIENCE = "replay";
    private final Transcript transcript;
    private final Path file;
    private final Map<String, SeatId> seatOf = new LinkedHashMap<>();
    private String stopCommand = "!stop the end of the transcript";

    /**
     * @throws IllegalArgumentException for a transcript without messages: no seat has a line and no human a place,
     *         so no stop condition would ever end the conversation
     */
    Replay(Path file, Transcript transcript) {
        if (transcript.messages().isEmpty()) {
            throw new IllegalArgumentException("transcript " + file + " has no messages: there is nothing to replay");
        }
        this.file = file;
        this.transcript = transcript;
        Set<String> used = new HashSet<>();
        for (String name : transcript.title()) {
            String id = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]+", "-").replaceAll("^[^a-z0-9]+", "");
            id = id.isEmpty() ? "seat" : id;
            String unique = id;
            for (int i = 2; !used.add(unique); i++) {
                unique = id + "-" + i;
            }
            seatOf.put(name, SeatId.of(unique));
        }
    }

    /** The config to run: the base config's first conversation, with the transcript's speakers as seats. */
    ParleyConfig config(ParleyConfig base) {
        ConversationConfig c = base.conversations().get(0);
        ModelConfig template = c.seats().get(0).model();
        List<SeatConfig> seats = new ArrayList<>();
        for (var e : seatOf.entrySet()) {
            ModelConfig m = new ModelConfig("replay", "replay", Optional.empty(), Optional.empty(), Map.of(),
                    Optional.empty(), Optional.empty(), template.maxTokens(), Optional.empty(), List.of(), Map.of(),
                    template.timeouts(), template.retry(), Optional.empty(), false, template.anthropicVersion(),
                    Optional.of(new ModelConfig.Replay(file.toString(), e.getKey(), 0)));
            String nick = e.getKey().replaceAll("[^A-Za-z0-9_\\-\\[\\]\\\\^{}|`]", "");
            seats.add(new SeatConfig(e.getValue(), e.getKey(),
                    Optional.of(new IrcIdentity(nick.isEmpty() ? e.getValue().value() : nick, Optional.empty())),
                    Optional.empty(), m, "", c.seats().get(0).contextBudgetTokens()));
        }
        int seatTurns = (int) transcript.messages().stream().filter(m -> seatOf.containsKey(m.speaker())).count();
        StopConfig s = c.stop();
        int maxTurns = s.maxTurns() > 0 ? Math.min(s.maxTurns(), seatTurns) : seatTurns;
        if (endsWithHumans() && maxTurns == seatTurns) {
            // Stopping at the last seat message would drop the humans who spoke after it: the audience ends it.
            maxTurns = 0;
        }
        StopConfig stop = new StopConfig(maxTurns, s.maxDuration(), s.endToken(), s.endTokenMinTurns(),
                s.maxConsecutiveFailures(), s.maxTokens(), s.maxCost());
        // A blank message in the transcript is a line like any other: retrying it (the default for live models)
        // would make the seat say its next line in its place and shift the whole replay.
        // Whole messages only: the audience speaks after a seat's post, and a streamed first paragraph would let a
        // human line in before the seat's message is complete, changing the transcript's order.
        ReplyConfig replies = new ReplyConfig(c.replies().onFailure(), ReplyConfig.EmptyReply.POST,
                c.replies().streamCut(), false);
        stopCommand = c.commands().prefix() + "stop the end of the transcript";
        ConversationConfig replay = new ConversationConfig("replay-" + baseName(), seats, c.rooms(),
                ConversationConfig.TurnPolicyKind.MANUAL, Optional.empty(), true, c.pacing(), stop, c.health(),
                c.context(), replies, c.commands());
        return new ParleyConfig(base.transcriptsDir(), base.timeZone(), List.of(replay), base.ircNetworks(),
                base.matrixServers(), base.origin(), base.http());
    }

    /** Seats speak in the transcript's order: the n-th seat message of the transcript is turn n. */
    TurnPolicy turnOrder() {
        List<SeatId> order = transcript.messages().stream().filter(m -> seatOf.containsKey(m.speaker()))
                .map(m -> seatOf.get(m.speaker())).toList();
        return s -> s.turnsTaken() < order.size() ? Optional.of(order.get(s.turnsTaken()))
                .filter(s.eligible()::contains) : Optional.empty();
    }

    /**
     * An invisible room whose "humans" are the transcript's other speakers, each speaking at their place.
     * {@code alreadySaid}: how many of the transcript's messages a resumed replay's journal already has; the
     * audience picks up after them rather than saying its lines again.
     */
    Room audience(int alreadySaid) {
        return new Room() {
            private RoomListener listener;
            private int next = Math.min(alreadySaid, transcript.messages().size());
            private boolean stopSent;

            @Override
            public String name() {
                return "the replayed audience";
            }

            @Override
            public void open(RoomListener l) {
                listener = l;
                seatOf.values().forEach(s -> l.onSeatPresence(s, true));
                speakHumans();
            }

            @Override
            public synchronized void post(SeatId seat, String text) {
                while (next < transcript.messages().size()) {
                    Transcript.Entry e = transcript.messages().get(next++);
                    if (seat.equals(seatOf.get(e.speaker()))) {
                        break;
                    }
                }
                speakHumans();
            }

            private void speakHumans() {
                while (next < transcript.messages().size()
                        && !seatOf.containsKey(transcript.messages().get(next).speaker())) {
                    Transcript.Entry e = transcript.messages().get(next++);
                    listener.onHuman(Inbound.say(e.speaker(), e.text(), false));
                }
                if (next == transcript.messages().size() && endsWithHumans() && !stopSent) {
                    // No seat speaks after these lines, so no turn limit can end the replay; the replay itself,
                    // as an operator, stops it once the last of them has been heard.
                    stopSent = true;
                    listener.onHuman(Inbound.say(AUDIENCE, stopCommand, true));
                }
            }

            @Override
            public void notice(String text) { }

            @Override
            public void relay(String sender, String text) { }

            @Override
            public void close() { }
        };
    }

    /** Whether the transcript's last message is not a seat's (so the seats' turn limit cannot end the replay). */
    private boolean endsWithHumans() {
        List<Transcript.Entry> m = transcript.messages();
        return !m.isEmpty() && !seatOf.containsKey(m.get(m.size() - 1).speaker());
    }

    private String baseName() {
        return file.getFileName().toString().replaceFirst("\\.md$", "").replaceAll("[^A-Za-z0-9_.-]+", "-");
    }
}
