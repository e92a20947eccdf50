package dev.parley.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.SeatId;
import dev.parley.room.Inbound;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the room makes of each /sync batch: an invite or the room itself showing the control identity may join,
 * power levels, members leaving, and humans' messages for the listener. {@link #handle} is the one switch over
 * event types; a type added to {@link SyncFilter} gets its case there.
 */
final class InboundEvents implements SyncLoop.Batches {
    private static final Logger log = LoggerFactory.getLogger(InboundEvents.class);

    private final RoomContext room;
    private final Map<SeatId, MatrixSeat> seats;
    private final MatrixIdentities identities;
    private final PowerLevels powerLevels;
    private final MatrixMembership membership;

    InboundEvents(RoomContext room, Map<SeatId, MatrixSeat> seats, MatrixIdentities identities,
                  PowerLevels powerLevels, MatrixMembership membership) {
        this.room = room;
        this.seats = seats;
        this.identities = identities;
        this.powerLevels = powerLevels;
        this.membership = membership;
    }

    @Override
    public void handle(SyncResponse batch, List<RoomEvent> missed, boolean deliver, String poller) {
        String roomId = room.roomId;
        if (!room.appservice() && !membership.controlJoined() && batch.invited(roomId)) {
            membership.acceptInvite();
        }
        if (!room.appservice() && batch.joined(roomId) && !membership.controlJoined()) {
            membership.onControlJoined();
        }
        SyncResponse.JoinedRoom joined = batch.room(roomId);
        for (RoomEvent ev : joined.state().events()) {
            if ("m.room.power_levels".equals(ev.type())) {
                powerLevels.update(ev.content());
            }
        }
        for (RoomEvent ev : missed) {
            handle(ev, deliver);
        }
        for (RoomEvent ev : joined.timeline().events()) {
            handle(ev, deliver);
        }
        boolean sentOut = seats.values().stream()
                .anyMatch(s -> identities.userOf(s).equals(poller) && !room.inCast(s.id()));
        if (batch.left(roomId) && membership.controlJoined() && !sentOut) {
            room.problem(room.name + ": " + poller + " was removed from the room");
            // In appservice mode the reader is a seat's ghost: its own leave never shows in a joined timeline.
            seats.values().stream().filter(s -> room.appservice() && identities.userOf(s).equals(poller)).findFirst()
                    .ifPresent(s -> membership.membershipChanged(poller, "leave"));
        }
    }

    /** One timeline event; {@code deliver} false for history, which only updates state. */
    void handle(RoomEvent ev, boolean deliver) {
        switch (ev.type()) {
            case "m.room.power_levels" -> onPowerLevels(ev);
            case "m.room.member" -> {
                if (deliver) {
                    onMember(ev);
                }
            }
            case "m.room.message" -> {
                if (deliver) {
                    onMessage(ev);
                }
            }
            default -> { }
        }
    }

    private void onPowerLevels(RoomEvent ev) {
        if (ev.stateKey().isEmpty()) {
            powerLevels.update(ev.content());
        }
    }

    private void onMember(RoomEvent ev) {
        membership.membershipChanged(ev.stateKey(), ev.content().path("membership").asText());
    }

    /** A human's {@code m.text} or {@code m.emote} reaches the listener; ours, notices and edits do not. */
    private void onMessage(RoomEvent ev) {
        String sender = ev.sender();
        if (identities.isOwn(sender)) {
            return;
        }
        JsonNode content = ev.content();
        String msgtype = content.path("msgtype").asText();
        if (!msgtype.equals("m.text") && !msgtype.equals("m.emote")) {
            return;
        }
        if ("m.replace".equals(content.path("m.relates_to").path("rel_type").asText())) {
            log.debug("{}: edit by {} ignored (the original was already heard)", room.name, sender);
            return;
        }
        String body = content.path("body").asText("");
        if (content.path("m.relates_to").has("m.in_reply_to")) {
            body = stripReplyFallback(body);
        }
        room.listener.onHuman(new Inbound(MatrixIds.localpart(sender), body, powerLevels.isOperator(sender),
                msgtype.equals("m.emote"), false));
    }

    /** Drops the "> <@user> quoted" lines some clients put before a reply's own text. */
    static String stripReplyFallback(String body) {
        String[] lines = body.split("\n", -1);
        int i = 0;
        while (i < lines.length && lines[i].startsWith(">")) {
            i++;
        }
        if (i == 0) {
            return body;
        }
        while (i < lines.length && lines[i].isEmpty()) {
            i++;
        }
        return String.join("\n", Arrays.copyOfRange(lines, i, lines.length));
    }
}
