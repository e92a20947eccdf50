package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.archive.Archive;
import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalReader;
import dev.parley.archive.Transcript;
import dev.parley.archive.TranscriptParser;
import dev.parley.archive.TranscriptWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability of the real jar: SIGKILL mid-conversation loses nothing that was posted and a restart with the same
 * config goes on from the journal (same file, turns continue, nothing said twice); SIGTERM ends it properly.
 */
class KillAndResumeIT {
    private static final int MAX_TURNS = 40;
    private static final String[] ANIMALS = {"otter", "heron", "badger", "lynx", "walrus", "gecko", "puffin",
        "marmot", "ibis", "tapir", "okapi", "vole", "newt", "kestrel", "bison", "dingo", "egret", "ferret",
        "gibbon", "hyena", "jackal", "koala", "lemur", "mink", "narwhal", "ocelot", "panda", "quokka", "raven",
        "stoat", "tortoise", "urchin", "viper", "wombat", "yak", "zebu", "alpaca", "beaver", "camel", "dormouse",
        "eland", "falcon", "gazelle", "hare", "impala", "jaguar", "kudu", "llama", "moose", "nightjar", "oriole",
        "pelican", "quail", "robin", "salmon", "toucan", "vulture", "weasel", "wren", "zander"};
    private static final String[] PLACES = {"harbour", "orchard", "quarry", "glacier", "library", "meadow",
        "lighthouse", "canyon", "vineyard", "marsh", "bakery", "observatory", "monastery", "railway", "volcano",
        "greenhouse", "cathedral", "lagoon", "windmill", "desert", "brewery", "tundra", "bazaar", "fjord",
        "plateau", "cellar", "aqueduct", "estuary", "foundry", "savanna", "atoll", "bridge", "chapel", "delta",
        "embassy", "forest", "garden", "hangar", "island", "jetty", "kiosk", "lagoonside", "mill", "nursery",
        "oasis", "pier", "quayside", "rampart", "steppe", "terrace", "underpass", "valley", "wharf", "yard",
        "zoo", "abbey", "bunker", "citadel", "dune", "escarpment"};
    private static final String[] DEEDS = {"juggled lanterns", "counted pebbles", "painted shutters",
        "mended nets", "tuned violins", "sorted letters", "baked bread", "carved spoons", "planted tulips",
        "polished brass", "folded maps", "weighed apples", "stitched sails", "ground pepper", "brewed cider",
        "pressed flowers", "wound clocks", "sharpened pencils", "measured rainfall", "repaired kites",
        "dyed wool", "bottled honey", "swept chimneys", "trimmed hedges", "catalogued beetles", "forged nails",
        "glazed pottery", "hatched plans", "inked posters", "jotted riddles", "knitted scarves", "loaded barges",
        "milled flour", "netted butterflies", "oiled hinges", "packed crates", "quizzed tourists",
        "raked gravel", "sketched bridges", "tested ropes", "unpacked books", "varnished oars", "whittled flutes",
        "xeroxed menus", "yodelled softly", "zipped tents", "aired blankets", "boiled kettles", "chased geese",
        "drew diagrams", "etched glass", "fed pigeons", "gathered mushrooms", "hummed shanties", "iced cakes",
        "joined choirs", "kneaded dough", "lit candles", "mapped caves", "named stars"};

    @TempDir
    Path dir;

    @Test
    void aKilledDaemonResumesFromItsJournalLosingAndRepeatingNothing() throws Exception {
        Path conf = writeConfig();
        Path journalDir = dir.resolve("transcripts/durable");

        List<JournalEvent.Said> beforeKill;
        try (ParleyProcess first = ParleyProcess.start(dir, "first", "run", "--config", conf.toString())) {
            first.awaitJournal(journalDir, events -> ParleyProcess.messages(events).size() >= 8,
                    Duration.ofMinutes(1));
            first.process().destroyForcibly(); // SIGKILL: no shutdown hook runs
            first.process().waitFor();
        }
        Path journal = ParleyProcess.onlyJournal(journalDir, true);
        List<JournalEvent> killed = JournalReader.read(journal);
        beforeKill = ParleyProcess.messages(killed);
        assertThat(killed).noneMatch(JournalEvent.Stop.class::isInstance);
        assertThat(beforeKill.size()).as("killed mid-conversation").isBetween(8, MAX_TURNS - 1);
        System.out.printf("KillAndResumeIT: killed with %d messages journalled%n", beforeKill.size());

        try (ParleyProcess second = ParleyProcess.start(dir, "second", "run", "--config", conf.toString())) {
            int exit = second.waitFor(Duration.ofMinutes(2));
            assertThat(exit).as("exit code of the resumed run\n%s", second.output()).isEqualTo(0);
        }

        assertThat(ParleyProcess.onlyJournal(journalDir, true)).as("the same journal was continued")
                .isEqualTo(journal);
        List<JournalEvent> events = JournalReader.read(journal);
        assertThat(events).filteredOn(JournalEvent.Restart.class::isInstance).hasSize(1);
        assertThat(events).extracting(JournalEvent::seq).as("sequence numbers go on across the restart")
                .isEqualTo(IntStream.rangeClosed(1, events.size()).mapToObj(i -> (long) i).toList());
        assertThat(ParleyProcess.finalStop(events).reason()).isEqualTo("reached the limit of " + MAX_TURNS + " turns");

        List<JournalEvent.Said> messages = ParleyProcess.messages(events);
        assertThat(messages).extracting(JournalEvent.Said::turn)
                .isEqualTo(IntStream.rangeClosed(1, MAX_TURNS).boxed().toList());
        Set<String> seen = new HashSet<>();
        assertThat(messages).extracting(JournalEvent.Said::text).allMatch(seen::add, "said only once");
        assertThat(messages.subList(0, beforeKill.size())).as("what was said before the kill, unchanged, in place")
                .isEqualTo(beforeKill);
        assertThat(messages).extracting(JournalEvent.Said::text).as("the script, in order, nothing skipped")
                .isEqualTo(script().subList(0, MAX_TURNS).stream().map(Transcript.Entry::text).toList());

        Transcript transcript = TranscriptParser.read(Archive.transcriptOf(journal));
        assertThat(transcript.messages()).isEqualTo(messages.stream()
                .map(m -> new Transcript.Entry(m.speaker(), m.text())).toList());
    }

    @Test
    void killedTwiceItStillSaysEveryLineOnceInOneJournal() throws Exception {
        Path conf = writeConfig();
        Path journalDir = dir.resolve("transcripts/durable");
        int[] killAt = {5, 20};
        List<JournalEvent.Said> before = List.of();
        for (int round = 0; round < killAt.length; round++) {
            int atLeast = killAt[round];
            try (ParleyProcess p = ParleyProcess.start(dir, "round" + round, "run", "--config", conf.toString())) {
                p.awaitJournal(journalDir, events -> ParleyProcess.messages(events).size() >= atLeast,
                        Duration.ofMinutes(1));
                p.process().destroyForcibly();
                p.process().waitFor();
            }
            List<JournalEvent.Said> now = ParleyProcess.messages(JournalReader.read(
                    ParleyProcess.onlyJournal(journalDir, true)));
            assertThat(now.subList(0, before.size())).as("round %d kept what was said before", round)
                    .isEqualTo(before);
            before = now;
        }
        try (ParleyProcess last = ParleyProcess.start(dir, "last", "run", "--config", conf.toString())) {
            assertThat(last.waitFor(Duration.ofMinutes(2))).as("exit code\n%s", last.output()).isEqualTo(0);
        }
        List<JournalEvent> events = JournalReader.read(ParleyProcess.onlyJournal(journalDir, true));
        assertThat(events).filteredOn(JournalEvent.Restart.class::isInstance).hasSize(2);
        List<JournalEvent.Said> messages = ParleyProcess.messages(events);
        assertThat(messages.subList(0, before.size())).isEqualTo(before);
        assertThat(messages).extracting(JournalEvent.Said::turn)
                .isEqualTo(IntStream.rangeClosed(1, MAX_TURNS).boxed().toList());
        assertThat(messages).extracting(JournalEvent.Said::text)
                .isEqualTo(script().subList(0, MAX_TURNS).stream().map(Transcript.Entry::text).toList());
    }

    @Test
    void afterAGracefulStopTheNextStartBeginsANewConversation() throws Exception {
        Path conf = writeConfig();
        Path journalDir = dir.resolve("transcripts/durable");
        try (ParleyProcess p = ParleyProcess.start(dir, "stopped", "run", "--config", conf.toString())) {
            p.awaitJournal(journalDir, events -> ParleyProcess.messages(events).size() >= 3, Duration.ofMinutes(1));
            p.process().destroy();
            p.waitFor(Duration.ofSeconds(30));
        }
        Path first = ParleyProcess.onlyJournal(journalDir, true);
        byte[] firstBytes = Files.readAllBytes(first);
        try (ParleyProcess p = ParleyProcess.start(dir, "again", "run", "--config", conf.toString())) {
            assertThat(p.waitFor(Duration.ofMinutes(2))).as("exit code\n%s", p.output()).isEqualTo(0);
        }
        assertThat(Files.readAllBytes(first)).as("the ended journal is left alone").isEqualTo(firstBytes);
        List<Path> journals;
        try (var files = Files.list(journalDir)) {
            journals = files.filter(f -> f.toString().endsWith(".jsonl") && !f.equals(first)).toList();
        }
        assertThat(journals).hasSize(1);
        List<JournalEvent> events = JournalReader.read(journals.get(0));
        assertThat(events.get(0)).isInstanceOf(JournalEvent.Start.class);
        assertThat(events).noneMatch(JournalEvent.Restart.class::isInstance);
        assertThat(ParleyProcess.messages(events)).extracting(JournalEvent.Said::turn)
                .isEqualTo(IntStream.rangeClosed(1, MAX_TURNS).boxed().toList());
    }

    @Test
    void aKilledReplayResumesWithItsHumansInPlace() throws Exception {
        Path conf = writeConfig();
        List<Transcript.Entry> staged = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            staged.add(script().get(i));
            if (i % 4 == 3) {
                staged.add(new Transcript.Entry("Carol", "Carol here again, note " + ANIMALS[59 - i] + " and "
                        + PLACES[59 - i] + "."));
            }
        }
        Path staging = dir.resolve("staged.md");
        TranscriptWriter.write(new Transcript(List.of("Ada", "Basil"), LocalDateTime.parse("2026-11-26T09:00:00"),
                LocalDateTime.parse("2026-11-26T09:10:00"), staged), staging);
        Path journalDir = dir.resolve("transcripts/replay-staged");

        try (ParleyProcess p = ParleyProcess.start(dir, "replay1", "replay", staging.toString(), "--config",
                conf.toString())) {
            p.awaitJournal(journalDir, events -> ParleyProcess.messages(events).size() >= 10, Duration.ofMinutes(1));
            p.process().destroyForcibly();
            p.process().waitFor();
        }
        Path journal = ParleyProcess.onlyJournal(journalDir, true);
        List<JournalEvent.Said> beforeKill = ParleyProcess.messages(JournalReader.read(journal));
        try (ParleyProcess p = ParleyProcess.start(dir, "replay2", "replay", staging.toString(), "--config",
                conf.toString())) {
            assertThat(p.waitFor(Duration.ofMinutes(2))).as("exit code\n%s", p.output()).isEqualTo(0);
        }

        assertThat(ParleyProcess.onlyJournal(journalDir, true)).isEqualTo(journal);
        List<JournalEvent> events = JournalReader.read(journal);
        assertThat(events).filteredOn(JournalEvent.Restart.class::isInstance).hasSize(1);
        List<JournalEvent.Said> messages = ParleyProcess.messages(events);
        assertThat(messages.subList(0, beforeKill.size())).isEqualTo(beforeKill);
        assertThat(messages).extracting(m -> new Transcript.Entry(m.speaker(), m.text())).isEqualTo(staged);
        assertThat(TranscriptParser.read(Archive.transcriptOf(journal)).messages()).isEqualTo(staged);
    }

    @Test
    void sigtermEndsTheConversationProperly() throws Exception {
        Path conf = writeConfig();
        Path journalDir = dir.resolve("transcripts/durable");
        int exit;
        String stdout;
        String stderr;
        try (ParleyProcess parley = ParleyProcess.start(dir, "term", "run", "--config", conf.toString())) {
            parley.awaitJournal(journalDir, events -> ParleyProcess.messages(events).size() >= 3,
                    Duration.ofMinutes(1));
            parley.process().destroy(); // SIGTERM: the shutdown hook ends the conversation
            exit = parley.waitFor(Duration.ofSeconds(30));
            stdout = parley.stdout();
            stderr = parley.stderr();
            System.out.printf("KillAndResumeIT: exit code after SIGTERM: %d%n", exit);
            assertThat(exit).as("exit code after SIGTERM\n%s", parley.output()).isIn(0, 143);
        }
        Path journal = ParleyProcess.onlyJournal(journalDir, true);
        List<JournalEvent> events = JournalReader.read(journal);
        assertThat(ParleyProcess.finalStop(events).reason()).isEqualTo("parley was shut down");
        assertThat(events).filteredOn(JournalEvent.Notice.class::isInstance)
                .extracting(e -> ((JournalEvent.Notice) e).text()).contains("Conversation ended: parley was shut down.");
        Path transcriptFile = Archive.transcriptOf(journal);
        assertThat(transcriptFile).isRegularFile();
        assertThat(stdout).as("the room was told").contains("* Conversation ended: parley was shut down.")
                .contains("Transcript: " + transcriptFile);
        List<JournalEvent.Said> messages = ParleyProcess.messages(events);
        assertThat(messages.size()).isBetween(3, MAX_TURNS - 1);
        assertThat(TranscriptParser.read(transcriptFile).messages()).isEqualTo(messages.stream()
                .map(m -> new Transcript.Entry(m.speaker(), m.text())).toList());
        // Every journal was closed and forced: the group commit's log goes too, so the next start, with nothing
        // to put back from it, reads no journal before it joins its rooms.
        try (var left = Files.list(dir.resolve("transcripts"))) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".wal"));
        }
        assertThat(stderr).as("started with SIGHUP at its default").doesNotContain("SIGHUP is ignored");
    }

    @Test
    void startedWithSighupIgnoredItSaysThatOnlyTheCommandReloads() throws Exception {
        // As under nohup: the JVM leaves an ignored SIGHUP ignored, so a reload by signal would never come.
        try (ParleyProcess parley = ParleyProcess.startWithHangUp(dir, "nohup", "--ignore-signal=HUP", "run", "--config",
                writeConfig().toString())) {
            parley.awaitOutput(s -> s.contains("SIGHUP is ignored"), Duration.ofSeconds(30));
            assertThat(parley.stderr()).contains("SIGHUP is ignored in this process (started under nohup?), so it "
                    + "does not reload the config; the !reload command does");
        }
    }

    /** Ada and Basil take turns, 30 lines each, every line made of words the last few lines did not use. */
    private static List<Transcript.Entry> script() {
        List<Transcript.Entry> lines = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String speaker = i % 2 == 0 ? "Ada" : "Basil";
            lines.add(new Transcript.Entry(speaker, "At the " + PLACES[i] + " a " + ANIMALS[i] + " " + DEEDS[i]
                    + (i % 3 == 0 ? "; what do you make of that?" : ".")));
        }
        return lines;
    }

    private Path writeConfig() throws IOException {
        Path script = dir.resolve("script.md");
        TranscriptWriter.write(new Transcript(List.of("Ada", "Basil"), LocalDateTime.parse("2026-11-26T09:00:00"),
                LocalDateTime.parse("2026-11-26T09:10:00"), script()), script);
        Path conf = dir.resolve("durable.conf");
        Files.writeString(conf, """
                transcripts-dir = %s
                conversations = [
                  {
                    id = durable
                    seats = [
                      { id = ada, name = "Ada", model { provider = replay, replay { transcript = %s, speaker = "Ada" } } }
                      { id = basil, name = "Basil", model { provider = replay, replay { transcript = %s, speaker = "Basil" } } }
                    ]
                    rooms = [ { type = terminal, colours = false } ]
                    pacing { min-delay = 150ms, max-delay = 150ms, typing-chars-per-second = 0 }
                    stop { max-turns = %d }
                    health { enabled = true, action = stop }
                  }
                ]
                """.formatted(quote(dir.resolve("transcripts")), quote(script), quote(script), MAX_TURNS));
        return conf;
    }

    private static String quote(Path p) {
        return "\"" + p.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
