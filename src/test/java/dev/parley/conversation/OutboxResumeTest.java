package dev.parley.conversation;

import static dev.parley.testsupport.TestConfigs.conversation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.archive.JournalEvent;
import dev.parley.archive.MemoryJournal;
import dev.parley.config.ConversationConfig;
import dev.parley.core.SeatId;
import dev.parley.core.VirtualScheduler;
import dev.parley.model.ModelClient;
import dev.parley.room.MemoryRoom;
import dev.parley.room.OutboxRoom;
import dev.parley.room.Parcel;
import dev.parley.testsupport.HeldRoom;
import dev.parley.testsupport.MemoryDeliveryLog;
import dev.parley.testsupport.ScriptedModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The process dies while a room's server has not confirmed the last few messages (a server outage): the next
 * start shows them first, in order, before anything new; nothing the journal holds is lost or shown twice.
 */
class OutboxResumeTest {
    private static final List<SeatId> IDS = List.of(SeatId.of("ada"), SeatId.of("basil"));
    private final ConversationConfig config = ConversationTestConfigs.turns(conversation("Ada", "Basil"), 6);
    private final MemoryJournal journal = new MemoryJournal();
    private final MemoryDeliveryLog deliveries = new MemoryDeliveryLog();

    private Conversation resumable(OutboxRoom room, VirtualScheduler clock, ScriptedModel ada,
                                      ScriptedModel basil) {
        return new Conversation(config, Map.<SeatId, ModelClient>of(IDS.get(0), ada, IDS.get(1), basil),
                List.of(room), journal, clock, new Random(1), TestCommands::handle, e -> "none");
    }

    @Test
    void whatTheServerHadNotConfirmedGoesOutFirstAfterARestartThenTheConversationGoesOn() {
        HeldRoom server = new HeldRoom(new MemoryRoom("room", IDS)).hold();
        VirtualScheduler before = new VirtualScheduler();
        resumable(new OutboxRoom(server, deliveries), before, new ScriptedModel().then("one").then("three").thenHold(),
                ScriptedModel.saying("two", "four")).start();
        before.runUntilIdle(Duration.ofHours(1));
        server.confirm(0); // "Starting ..."
        server.confirm(0); // "one"; then the server went away, and the process is killed while Ada thinks

        MemoryRoom after = new MemoryRoom("room", IDS);
        VirtualScheduler clock = new VirtualScheduler();
        resumable(new OutboxRoom(after, deliveries), clock, ScriptedModel.saying("five"),
                ScriptedModel.saying("six")).start();
        clock.runUntilIdle(Duration.ofHours(1));

        List<String> unconfirmed = server.parcels().subList(2, server.parcels().size()).stream()
                .map(Parcel::text).toList();
        assertThat(unconfirmed).contains("two", "three");
        List<String> shownAfter = texts(after);
        assertThat(shownAfter.subList(0, unconfirmed.size())).as("the backlog first, in order")
                .isEqualTo(unconfirmed);
        assertThat(shownAfter.get(unconfirmed.size())).startsWith("Picking up");

        List<String> delivered = new ArrayList<>(server.parcels().subList(0, 2).stream().map(Parcel::text).toList());
        delivered.addAll(shownAfter);
        assertThat(delivered).as("every journalled parcel exactly once, in journal order").isEqualTo(
                journal.events().stream().filter(JournalEvent.Outgoing.class::isInstance)
                        .map(e -> ((JournalEvent.Outgoing) e).text()).toList());
        assertThat(after.posts()).containsSubsequence("two", "three", "four", "five", "six");
        List<JournalEvent> events = journal.events();
        assertThat(events).filteredOn(JournalEvent.Outgoing.class::isInstance).as("each right after what it shows")
                .allSatisfy(o -> assertThat(events.get((int) new Parcel.Key("e", o.seq()).shows() - 1))
                        .isNotInstanceOf(JournalEvent.Outgoing.class));
    }

    @Test
    void aRoomThatHadEverythingIsSentNothingAgain() {
        VirtualScheduler before = new VirtualScheduler();
        HeldRoom server = new HeldRoom(new MemoryRoom("room", IDS));
        resumable(new OutboxRoom(server, deliveries), before, new ScriptedModel().then("one").thenHold(),
                ScriptedModel.saying("two")).start();
        before.runUntilIdle(Duration.ofHours(1));

        MemoryRoom after = new MemoryRoom("room", IDS);
        VirtualScheduler clock = new VirtualScheduler();
        resumable(new OutboxRoom(after, deliveries), clock, ScriptedModel.saying("three"),
                ScriptedModel.saying("four")).start();
        clock.runDue();

        assertThat(after.notices()).first().asString().startsWith("Picking up");
        assertThat(after.posts()).doesNotContain("one", "two");
    }

    private static List<String> texts(MemoryRoom room) {
        return room.shown().stream().filter(s -> s.kind() == MemoryRoom.Kind.POST || s.kind() == MemoryRoom.Kind.NOTICE)
                .map(MemoryRoom.Shown::text).toList();
    }
}
