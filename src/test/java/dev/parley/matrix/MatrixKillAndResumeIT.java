package dev.parley.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.ParleyProcess;
import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalReader;
import dev.parley.archive.Transcript;
import dev.parley.archive.TranscriptWriter;
import dev.parley.testsupport.RequireServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The issue's case through the real jar on a real Synapse, in both modes: the homeserver goes down, parley
 * journals lines it cannot send, parley is killed, both start again. Everything journalled for the room reaches
 * it, once, in journal order, the backlog before anything new; a parcel the homeserver took just before a kill is
 * recognised by its transaction id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MatrixKillAndResumeIT {
    private static final int MAX_TURNS = 14;
    private static final Duration WAIT = Duration.ofMinutes(2);

    private SynapseFixture synapse;
    private HumanClient alice;
    private Path temp;
    private Path registration;
    private String controlToken;

    @BeforeAll
    void start() throws Exception {
        RequireServers.assume(SynapseFixture.available(), "synapse (python venv at " + SynapseFixture.python() + ")");
        temp = Files.createTempDirectory("parley-matrix-kill");
        registration = MatrixAppserviceIT.registrationFor(temp.resolve("registration.yaml"), false);
        synapse = SynapseFixture.start(new SynapseFixture.Options(false, List.of(registration)));
        alice = new HumanClient(synapse.url(), synapse.register("alice", "alice-pw", false), "@alice:localhost");
        // Not @parley: that user belongs to the application service of the other test.
        controlToken = synapse.register("host", "host-pw", false);
        synapse.register("ada", "ada-pw", false);
        synapse.register("basil", "basil-pw", false);
    }

    @AfterAll
    void stop() throws Exception {
        if (synapse != null) {
            synapse.close();
        }
    }

    @Test
    void accountsModeLosesAndRepeatsNothingThroughAnOutageAndKills() throws Exception {
        Files.writeString(temp.resolve("control.token"), controlToken);
        Files.writeString(temp.resolve("ada.pw"), "ada-pw");
        Files.writeString(temp.resolve("basil.pw"), "basil-pw");
        String server = """
                mode = accounts
                control-user = "@host:localhost"
                control-token-file = "%s"
                """.formatted(temp.resolve("control.token"));
        String ada = """
                user = "@ada:localhost", password-file = "%s"
                """.formatted(temp.resolve("ada.pw"));
        String basil = """
                user = "@basil:localhost", password-file = "%s"
                """.formatted(temp.resolve("basil.pw"));
        outageAndKills("accounts", server, ada, basil, Set.of("@host:localhost", "@ada:localhost",
                "@basil:localhost"));
    }

    @Test
    void appserviceModeLosesAndRepeatsNothingThroughAnOutageAndKills() throws Exception {
        String server = """
                mode = appservice
                control-user = "@parley:localhost"
                appservice { registration-file = "%s" }
                """.formatted(registration);
        outageAndKills("appservice", server, "user = \"@parley_ada:localhost\"", "user = \"@parley_basil:localhost\"",
                Set.of("@parley:localhost", "@parley_ada:localhost", "@parley_basil:localhost"));
    }

    private void outageAndKills(String mode, String serverBlock, String ada, String basil, Set<String> ours)
            throws Exception {
        Path dir = Files.createDirectories(temp.resolve(mode));
        String alias = "kill" + mode + System.nanoTime();
        String roomId = alice.createRoom(alias, true, List.of());
        Path conf = writeConfig(dir, mode, serverBlock, ada, basil, "#" + alias + ":localhost");
        Path journalDir = dir.resolve("transcripts/" + mode);

        try (ParleyProcess first = ParleyProcess.start(dir, "first", "run", "--once", "--config", conf.toString())) {
            int shown = alice.awaitFrom(roomId, ours, 4, WAIT, Duration.ZERO).size();
            synapse.stop();
            first.awaitJournal(journalDir, events -> outgoing(events).size() >= shown + 2, WAIT);
            first.process().destroyForcibly(); // SIGKILL while two or more lines wait for the homeserver
            first.process().waitFor();
        }
        synapse.start();
        try (ParleyProcess second = ParleyProcess.start(dir, "second", "run", "--once", "--config", conf.toString())) {
            // Killed again as soon as the backlog starts to go out: whatever the homeserver took is sent again.
            second.awaitJournal(journalDir, events -> events.stream()
                    .anyMatch(JournalEvent.Restart.class::isInstance), WAIT);
            Thread.sleep(400); // not polling: the backlog starts to go out before the kill
            second.process().destroyForcibly();
            second.process().waitFor();
        }
        try (ParleyProcess last = ParleyProcess.start(dir, "last", "run", "--once", "--config", conf.toString())) {
            assertThat(last.waitFor(WAIT)).as("exit code\n%s", last.output()).isZero();
        }

        List<JournalEvent> journal = JournalReader.read(ParleyProcess.onlyJournal(journalDir, true));
        ParleyProcess.finalStop(journal);
        List<String> expected = outgoing(journal);
        List<String> inRoom = alice.awaitFrom(roomId, ours, expected.size(), WAIT, Duration.ofSeconds(2)).stream()
                .map(e -> e.path("content").path("body").asText()).toList();
        System.out.printf("MatrixKillAndResumeIT (%s): %d parcels journalled, %d in the room%n", mode,
                expected.size(), inRoom.size());
        assertThat(inRoom).as("what the room shows: every journalled parcel once, in journal order")
                .isEqualTo(expected);
        assertThat(ParleyProcess.messages(journal)).hasSize(MAX_TURNS);
    }

    /** The texts the journal holds for the Matrix room, in order. */
    private static List<String> outgoing(List<JournalEvent> events) {
        return events.stream().filter(JournalEvent.Outgoing.class::isInstance).map(JournalEvent.Outgoing.class::cast)
                .filter(o -> o.rooms().stream().anyMatch(r -> r.startsWith("matrix "))).map(o -> switch (o.kind()) {
                    case JournalEvent.Outgoing.RELAY -> "<" + o.sender() + "> " + o.text();
                    default -> o.text();
                }).toList();
    }

    private Path writeConfig(Path dir, String id, String serverBlock, String ada, String basil, String room)
            throws Exception {
        List<Transcript.Entry> lines = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            lines.add(new Transcript.Entry(i % 2 == 0 ? "Ada" : "Basil", "Line " + i + " from the script of " + id));
        }
        Path script = dir.resolve("script.md");
        TranscriptWriter.write(new Transcript(List.of("Ada", "Basil"), LocalDateTime.parse("2026-11-26T09:00:00"),
                LocalDateTime.parse("2026-11-26T09:10:00"), lines), script);
        Path conf = dir.resolve("parley.conf");
        Files.writeString(conf, """
                transcripts-dir = "%s"
                matrix.servers.local {
                  homeserver-url = "%s"
                  %s
                }
                conversations = [
                  {
                    id = %s
                    seats = [
                      { id = ada, name = "Ada", matrix { %s }
                        model { provider = replay, replay { transcript = "%s", speaker = "Ada" } } }
                      { id = basil, name = "Basil", matrix { %s }
                        model { provider = replay, replay { transcript = "%s", speaker = "Basil" } } }
                    ]
                    rooms = [ { type = matrix, server = local, room = "%s" } ]
                    pacing { min-delay = 300ms, max-delay = 300ms, typing-chars-per-second = 0 }
                    stop { max-turns = %d }
                    health { enabled = false }
                  }
                ]
                """.formatted(dir.resolve("transcripts"), synapse.url(), serverBlock, id, ada, script, basil, script,
                room, MAX_TURNS));
        return conf;
    }
}
