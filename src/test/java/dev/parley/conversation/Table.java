package dev.parley.conversation;

import dev.parley.archive.JournalEvent;
import dev.parley.archive.MemoryJournal;
import dev.parley.config.ConversationConfig;
import dev.parley.config.SeatConfig;
import dev.parley.core.SeatId;
import dev.parley.core.VirtualScheduler;
import dev.parley.model.ModelClient;
import dev.parley.room.MemoryRoom;
import dev.parley.testsupport.ScriptedModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A conversation wired to scripted models, an in-memory room and journal, in virtual time. */
final class Table {
    final VirtualScheduler clock = new VirtualScheduler();
    final MemoryJournal journal;
    final MemoryRoom room;
    final Map<SeatId, ScriptedModel> models = new LinkedHashMap<>();
    final Conversation conversation;
    final List<String> transcripts = new ArrayList<>();

    Table(ConversationConfig config, ScriptedModel... scripts) {
        this(config, new MemoryJournal(), scripts);
    }

    Table(ConversationConfig config, MemoryJournal journal, ScriptedModel... scripts) {
        this.journal = journal;
        List<SeatId> ids = config.seats().stream().map(SeatConfig::id).toList();
        for (int i = 0; i < ids.size(); i++) {
            models.put(ids.get(i), scripts[i]);
        }
        room = new MemoryRoom("memory", ids);
        conversation = new Conversation(config, Map.<SeatId, ModelClient>copyOf(models), List.of(room), journal,
                clock, new Random(7), TestCommands::handle, events -> {
                    transcripts.add("t" + events.size());
                    return "memory:transcript";
                });
    }

    Table start() {
        conversation.start();
        clock.runDue();
        return this;
    }

    Table run(Duration d) {
        clock.advance(d);
        return this;
    }

    Table runToEnd() {
        clock.runUntilIdle(Duration.ofHours(10));
        return this;
    }

    Table say(String sender, String text, boolean operator) {
        room.say(sender, text, operator);
        clock.runDue();
        return this;
    }

    ScriptedModel model(String id) {
        return models.get(SeatId.of(id));
    }

    List<JournalEvent.Said> said() {
        return journal.events().stream().filter(JournalEvent.Said.class::isInstance)
                .map(JournalEvent.Said.class::cast).toList();
    }

    List<String> saidBy() {
        return said().stream().map(s -> s.speaker() + ": " + s.text()).toList();
    }

    JournalEvent.Stop stopEvent() {
        return journal.events().stream().filter(JournalEvent.Stop.class::isInstance)
                .map(JournalEvent.Stop.class::cast).findFirst().orElseThrow(() -> new AssertionError("not stopped"));
    }

    boolean stopped() {
        return conversation.stopped().isDone();
    }
}
