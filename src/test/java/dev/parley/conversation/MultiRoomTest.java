package dev.parley.conversation;

import static dev.parley.testsupport.TestConfigs.conversation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.archive.MemoryJournal;
import dev.parley.core.SeatId;
import dev.parley.core.VirtualScheduler;
import dev.parley.model.ModelClient;
import dev.parley.room.MemoryRoom;
import dev.parley.testsupport.ScriptedModel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** One conversation shown in two rooms: every message reaches both, and a human in either is heard. */
class MultiRoomTest {
    @Test
    void everyMessageGoesToEachRoomAndHumansInAnyAreHeard() {
        var config = ConversationTestConfigs.turns(conversation("Ada", "Basil"), 3);
        List<SeatId> ids = List.of(SeatId.of("ada"), SeatId.of("basil"));
        MemoryRoom irc = new MemoryRoom("irc", ids);
        MemoryRoom matrix = new MemoryRoom("matrix", ids);
        ScriptedModel ada = new ScriptedModel().thenHold().then("Ada again");
        ScriptedModel basil = ScriptedModel.saying("Basil here");
        VirtualScheduler clock = new VirtualScheduler();
        Conversation c = new Conversation(config, Map.<SeatId, ModelClient>of(ids.get(0), ada, ids.get(1), basil),
                List.of(irc, matrix), new MemoryJournal(), clock, new Random(1), TestCommands::handle, e -> "none");
        c.start();
        clock.runDue();

        matrix.say("mallory", "hello from matrix", false);
        clock.runDue();
        ada.complete("Ada first");
        irc.say("kate", "!pause", true);
        clock.runDue();
        irc.say("kate", "!resume", true);
        clock.runUntilIdle(Duration.ofMinutes(1));

        assertThat(irc.posts()).containsExactly("Ada first", "Basil here", "Ada again");
        assertThat(matrix.posts()).containsExactly("Ada first", "Basil here", "Ada again");
        assertThat(irc.shown()).anyMatch(s -> s.kind() == MemoryRoom.Kind.RELAY
                && s.text().equals("<mallory> hello from matrix"));
        assertThat(matrix.shown()).noneMatch(s -> s.kind() == MemoryRoom.Kind.RELAY
                && s.text().contains("hello from matrix"));
        assertThat(basil.requests().get(0).turns().get(0).text()).contains("mallory: hello from matrix");
        assertThat(matrix.notices()).contains("Paused by kate.", "Resumed by kate.");
        assertThat(irc.notices()).contains("Paused. !resume to go on.", "Resumed.").doesNotContain("Paused by kate.");
    }
}
