package dev.parley.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.app.ParleyProcess;
import dev.parley.archive.Archive;
import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalReader;
import dev.parley.archive.TranscriptParser;
import dev.parley.testsupport.RequireServers;
import dev.parley.testsupport.Waiting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * parley as a host on a real Synapse, the jar run as a user runs it: it stays in the room after an episode,
 * {@code !cast} changes who is in the room (membership events: a seat leaves, another joins, nobody rejoins), the
 * next episode has its own journal, and {@code !retract} redacts the seat's event in the room while the journal
 * keeps it. The series is capped at two episodes, so the daemon leaves by itself at the end.
 */
class HostMatrixIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void castChangesMembershipAndRetractRedactsInTheRoom() throws Exception {
        RequireServers.assume(SynapseFixture.available(), "synapse (python venv at " + SynapseFixture.python() + ")");
        try (SynapseFixture synapse = SynapseFixture.start(SynapseFixture.Options.relaxed())) {
            for (String who : List.of("parley", "kimi", "claude", "cyd")) {
                Files.writeString(dir.resolve(who + ".token"), synapse.register(who, who + "-pw", false));
            }
            HumanClient alice = new HumanClient(synapse.url(), synapse.register("alice", "alice-pw", false),
                    "@alice:localhost");
            String roomId = alice.createRoom("show", true, List.of());
            Path conf = writeConfig(synapse);

            try (ParleyProcess parley = ParleyProcess.start(dir, "host", "run", "--config", conf.toString())) {
                awaitEvent(alice, roomId, notice("Episode 1 is over."));
                assertThat(parley.process().isAlive()).as("the host stays after an episode; %s", parley.output())
                        .isTrue();
                assertThat(member(alice, roomId, "@cyd:localhost")).isNotEqualTo("join");

                alice.say(roomId, "!cast claude cyd");
                awaitEvent(alice, roomId, e -> membership(e, "@cyd:localhost", "join"));
                awaitEvent(alice, roomId, e -> membership(e, "@kimi:localhost", "leave"));

                String start = alice.say(roomId, "!start");
                long startedAt = alice.call("GET", "/rooms/" + HumanClient.enc(roomId) + "/event/"
                        + HumanClient.enc(start), null).path("origin_server_ts").asLong();
                JsonNode first = awaitEvent(alice, roomId, e -> e.path("origin_server_ts").asLong() > startedAt
                        && e.path("type").asText().equals("m.room.message")
                        && e.path("content").path("msgtype").asText().equals("m.text")
                        && List.of("@claude:localhost", "@cyd:localhost").contains(e.path("sender").asText()));
                String firstText = first.path("content").path("body").asText();
                alice.say(roomId, "!retract");
                String firstId = first.path("event_id").asText();
                // Room versions 11 and later carry "redacts" in the content.
                awaitEvent(alice, roomId, e -> e.path("type").asText().equals("m.room.redaction")
                        && (e.path("redacts").asText().equals(firstId) || e.path("content").path("redacts").asText()
                        .equals(firstId)));
                assertThat(parley.waitFor(WAIT)).as("exit code after the last episode; %s", parley.output()).isZero();

                JsonNode redacted = alice.call("GET", "/rooms/" + HumanClient.enc(roomId) + "/event/"
                        + HumanClient.enc(first.path("event_id").asText()), null);
                assertThat(redacted.path("content").path("body").isMissingNode()).isTrue();
                assertThat(member(alice, roomId, "@kimi:localhost")).isEqualTo("leave");

                List<Path> journals;
                try (Stream<Path> files = Files.list(dir.resolve("transcripts/show"))) {
                    journals = files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
                }
                assertThat(journals).hasSize(2);
                List<JournalEvent> second = JournalReader.read(journals.get(1));
                assertThat(((JournalEvent.Start) second.get(0)).seats()).extracting(JournalEvent.SeatInfo::id)
                        .containsExactly("claude", "cyd");
                assertThat(second).filteredOn(JournalEvent.Said.class::isInstance)
                        .extracting(e -> ((JournalEvent.Said) e).text()).contains(firstText);
                assertThat(TranscriptParser.read(Archive.transcriptOf(journals.get(1))).messages())
                        .extracting(m -> m.text()).doesNotContain(firstText).isNotEmpty();
            }
        }
    }

    private static Predicate<JsonNode> notice(String startsWith) {
        return e -> e.path("content").path("msgtype").asText().equals("m.notice")
                && e.path("content").path("body").asText().startsWith(startsWith);
    }

    private static boolean membership(JsonNode e, String user, String membership) {
        return e.path("type").asText().equals("m.room.member") && e.path("state_key").asText().equals(user)
                && e.path("content").path("membership").asText().equals(membership);
    }

    private static String member(HumanClient alice, String roomId, String user) throws Exception {
        for (JsonNode e : alice.call("GET", "/rooms/" + HumanClient.enc(roomId) + "/members", null).path("chunk")) {
            if (e.path("state_key").asText().equals(user)) {
                return e.path("content").path("membership").asText();
            }
        }
        return "none";
    }

    /** Polls the room's whole timeline (every event type) until one matches. */
    private static JsonNode awaitEvent(HumanClient alice, String roomId, Predicate<JsonNode> what) {
        AtomicReference<JsonNode> match = new AtomicReference<>();
        // Every 200 ms, as each check is a request to Synapse.
        Waiting.upTo(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode chunk = alice.call("GET", "/rooms/" + HumanClient.enc(roomId) + "/messages?dir=b&limit=500",
                    null).path("chunk");
            for (JsonNode e : chunk) {
                if (what.test(e)) {
                    match.set(e);
                    return;
                }
            }
            throw new AssertionError("no matching event in " + roomId + " within " + WAIT + "; newest first: "
                    + chunk);
        });
        return match.get();
    }

    private Path writeConfig(SynapseFixture synapse) throws Exception {
        Path script = dir.resolve("script.md");
        StringBuilder md = new StringBuilder("# Kimi ↔ Claude ↔ Cyd\n\n**Started:** 2026-11-26 10:00:00\n"
                + "**Ended:** 2026-11-26 10:05:00\n**Messages:** 18\n\n---\n\n");
        for (int i = 1; i <= 6; i++) {
            for (String who : List.of("Kimi", "Claude", "Cyd")) {
                md.append("### ").append(who).append("\n\n").append(who).append(" speaks of harbour ").append(i)
                        .append(i % 2 == 0 ? " and its gulls." : " and its fog.").append("\n\n---\n\n");
            }
        }
        Files.writeString(script, md.toString());
        Path conf = dir.resolve("host.conf");
        String seat = """
                { id = %2$s, name = %3$s, matrix { user = "@%2$s:localhost", access-token-file = "%1$s/%2$s.token" },
                  model { provider = replay, replay { transcript = "%4$s", speaker = %3$s } } }
                """;
        Files.writeString(conf, """
                transcripts-dir = "%1$s/transcripts"
                matrix.servers.local { homeserver-url = "%2$s", control-user = "@parley:localhost",
                                       control-token-file = "%1$s/parley.token", operators = ["@alice:localhost"] }
                conversations = [ {
                  id = show
                  rooms = [ { type = matrix, room = "#show:localhost" } ]
                  seats = [ %3$s %4$s %5$s ]
                  cast = [kimi, claude]
                  episodes { after-end = wait, max = 2 }
                  pacing { min-delay = 4s, max-delay = 4s, typing-chars-per-second = 0 }
                  replies.stream-paragraphs = false
                  health.enabled = false
                  stop.max-turns = 3
                } ]
                """.formatted(dir, synapse.url(), seat.formatted(dir, "kimi", "Kimi", script),
                seat.formatted(dir, "claude", "Claude", script), seat.formatted(dir, "cyd", "Cyd", script)));
        return conf;
    }
}
