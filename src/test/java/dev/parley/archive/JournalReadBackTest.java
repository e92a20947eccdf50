package dev.parley.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever the journal writes, it can read back: a journal that cannot be read can never be rendered or resumed. */
class JournalReadBackTest {
    @TempDir
    Path dir;

    @Test
    void aNoticeOfSixtyMillionCharactersIsJournalledCutSoTheJournalStaysReadable() {
        Path file = dir.resolve("j.jsonl");
        String huge = "x".repeat(60_000_000);
        try (JsonlJournal journal = JsonlJournal.open(file)) {
            journal.append(new JournalEvent.Notice(1, Instant.EPOCH, huge));
            journal.append(new JournalEvent.Notice(2, Instant.EPOCH, "after it"));
        }
        List<JournalEvent> back = JournalReader.read(file);
        assertThat(back).hasSize(2);
        String text = ((JournalEvent.Notice) back.get(0)).text();
        assertThat(text).hasSize(JournalJson.MAX_TEXT_CHARS + " [… 59000000 more characters not journalled]".length())
                .startsWith("xxxx").endsWith(" [… 59000000 more characters not journalled]");
        assertThat(((JournalEvent.Notice) back.get(1)).text()).isEqualTo("after it");
    }

    @Test
    void aMessageEventWithoutTextIsMalformedAtItsLine() throws Exception {
        Path file = dir.resolve("no-text.jsonl");
        Files.writeString(file, """
                {"type":"start","seq":1,"ts":"2026-01-01T00:00:00Z","conversation":"c","seats":[],"rooms":[]}
                {"type":"message","seq":2,"ts":"2026-01-01T00:00:01Z","speaker":"Ada","kind":"model","seat":"ada","text":"Hi."}
                {"type":"message","seq":3,"ts":"2026-01-01T00:00:02Z","speaker":"Basil","kind":"model","seat":"basil"}
                """);
        assertThat(catchThrowableOfType(JournalException.class, () -> JournalReader.read(file)))
                .hasMessage("journal " + file + " line 3: a message event without \"text\"");
    }
}
