package dev.parley.conversation;

import static dev.parley.testsupport.TestConfigs.conversation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.archive.JournalEvent;
import dev.parley.room.MemoryRoom;
import dev.parley.testsupport.ScriptedModel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A command's acknowledgement comes first, then what it causes: in the room and in the journal. */
class CommandOrderTest {
    private static List<String> timeline(Table t) {
        return t.room.shown().stream().filter(s -> s.kind() == MemoryRoom.Kind.POST || s.kind() == MemoryRoom.Kind.NOTICE)
                .map(s -> s.kind() + " " + s.text()).toList();
    }

    private static List<String> journalled(Table t) {
        return t.journal.events().stream().map(e -> e.getClass().getSimpleName()).toList();
    }

    @Test
    void resumedIsSaidBeforeTheHeldReplyIsPosted() {
        ScriptedModel ada = new ScriptedModel().thenHold().then("after");
        Table t = new Table(conversation("Ada", "Basil"), ada, ScriptedModel.saying("basil speaks")).start();
        t.say("kate", "!pause", true);
        ada.complete("held reply");
        t.run(Duration.ofMinutes(5));

        t.say("kate", "!resume", true);
        List<String> shown = timeline(t);
        assertThat(shown).containsSubsequence("NOTICE Resumed.", "POST held reply");
        assertThat(shown.indexOf("NOTICE Resumed.")).isLessThan(shown.indexOf("POST held reply"));
        List<String> events = journalled(t);
        assertThat(events.lastIndexOf("Command")).isLessThan(events.lastIndexOf("Said"));
    }

    @Test
    void stoppedIsSaidBeforeConversationEnded() {
        ScriptedModel ada = new ScriptedModel().thenHold();
        Table t = new Table(conversation("Ada", "Basil"), ada, ScriptedModel.saying("unused")).start();
        t.say("kate", "!stop enough", true);
        List<String> shown = timeline(t);
        assertThat(shown).containsSubsequence("NOTICE Stopped.", "NOTICE Conversation ended: stopped by kate: enough.");
        assertThat(shown.indexOf("NOTICE Stopped."))
                .isLessThan(shown.indexOf("NOTICE Conversation ended: stopped by kate: enough."));
        List<String> events = journalled(t);
        assertThat(events.indexOf("Command")).isLessThan(events.indexOf("Stop"));
        assertThat(t.stopped()).isTrue();
    }
}
