package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalReader;
import dev.parley.irc.IrcLine;
import dev.parley.irc.IrcServerFixture;
import dev.parley.irc.RawIrcClient;
import dev.parley.model.ScriptedModelServer;
import dev.parley.testsupport.RequireServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The moderation gate through the real jar on a real ngircd, with a local moderation server speaking the OpenAI
 * wire format (flagged, not flagged, slow, down): a raw IRC observer sees the notices and the clean lines, never a
 * withheld text, and the journal keeps what was withheld and why.
 */
class GateIrcIT {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final List<String> WITHHELD = List.of("g.r.a.w", "flagme", "slowly", "outage");

    @TempDir
    Path dir;

    @Test
    void aRawObserverNeverSeesAWithheldText() throws Exception {
        IrcServerFixture.Kind kind = IrcServerFixture.Kind.NGIRCD;
        RequireServers.assume(kind.installed(), kind.packageHint());
        List<String> replies = List.of("Hello from the harbour.", "You are a g.r.a.w.l.i.x.", "Please flagme now.",
                "I answer slowly.", "During the outage.", "Closing line one.", "Closing line two.", "Spare line.", "Spare line two.");
        try (IrcServerFixture irc = IrcServerFixture.start(kind);
             ScriptedModelServer models = ScriptedModelServer.start(ScriptedModelServer.Api.OPENAI, replies);
             MockWebServer moderation = moderationServer();
             RawIrcClient op = RawIrcClient.connect(irc.host(), irc.port(), "op", "op")) {
            op.join("#show");
            Files.writeString(dir.resolve("words.txt"), "grawlix\n");
            Path conf = dir.resolve("gate.conf");
            Files.writeString(conf, config(irc, models, moderation));

            try (ParleyProcess parley = ParleyProcess.start(dir, "gate", "run", "--config", conf.toString())) {
                op.await(l -> privmsg(l, "Ada") && l.param(1).equals("Hello from the harbour."), WAIT);
                op.await(l -> notice(l, "A message from Basil was withheld by the filter."), WAIT);
                op.await(l -> notice(l, "A message from Basil was withheld by the filter."), WAIT);
                op.await(l -> notice(l, "A message from Ada was withheld by the filter."), WAIT);
                op.await(l -> notice(l, "A message from Basil was withheld by the filter."), WAIT);
                op.await(l -> privmsg(l, "Ada") && l.param(1).equals("Closing line one."), WAIT);
                op.await(l -> privmsg(l, "Basil") && l.param(1).equals("Closing line two."), WAIT);
                op.await(l -> notice(l, "Episode 1 is over."), WAIT);

                assertThat(op.allLines()).noneMatch(l -> WITHHELD.stream()
                        .anyMatch(w -> String.join(" ", l.params()).contains(w)));
                List<JournalEvent> journal = JournalReader.read(journal());
                assertThat(journal).filteredOn(JournalEvent.Withheld.class::isInstance)
                        .extracting(e -> ((JournalEvent.Withheld) e).speaker(), e -> ((JournalEvent.Withheld) e).text(),
                                e -> ((JournalEvent.Withheld) e).rule(), e -> ((JournalEvent.Withheld) e).action())
                        .containsExactly(
                                tuple("Basil", "You are a g.r.a.w.l.i.x.", "words.txt:1", "retried"),
                                tuple("Basil", "Please flagme now.", "moderation-api:hate", "skipped"),
                                tuple("Ada", "I answer slowly.", "moderation-api-down", "held"),
                                tuple("Basil", "During the outage.", "moderation-api-down", "held"));
            }
        }
    }

    /**
     * Flags a text with "flagme", answers a text with "slowly" after the gate's timeout, is down (503) for a text
     * with "outage", and passes the rest.
     */
    private static MockWebServer moderationServer() throws Exception {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String body = request.getBody() == null ? "" : request.getBody().utf8();
                boolean flagged = body.contains("flagme");
                MockResponse.Builder answer = new MockResponse.Builder()
                        .setHeader("Content-Type", "application/json")
                        .body("{\"id\":\"modr-1\",\"model\":\"omni-moderation-latest\",\"results\":[{\"flagged\":"
                                + flagged + ",\"categories\":{\"hate\":" + flagged + "},\"category_scores\":"
                                + "{\"hate\":" + (flagged ? 0.97 : 0.01) + "}}]}");
                if (body.contains("outage")) {
                    return new MockResponse.Builder().code(503).body("upstream unavailable").build();
                }
                if (body.contains("slowly")) {
                    answer.headersDelay(5, TimeUnit.SECONDS);
                }
                return answer.build();
            }
        });
        server.start();
        return server;
    }

    private Path journal() throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("transcripts").resolve("show"))) {
            return files.filter(p -> p.toString().endsWith(".jsonl")).findFirst().orElseThrow();
        }
    }

    private static boolean privmsg(IrcLine l, String nick) {
        return l.command().equals("PRIVMSG") && l.param(0).equalsIgnoreCase("#show") && l.nick().equals(nick);
    }

    private static boolean notice(IrcLine l, String text) {
        return l.command().equals("NOTICE") && l.param(0).equalsIgnoreCase("#show") && l.param(1).startsWith(text);
    }

    private String config(IrcServerFixture irc, ScriptedModelServer models, MockWebServer moderation) {
        String seat = """
                { id = %s, name = "%s", system-prompt = "You are %s.", irc { nick = "%s" },
                  model { provider = openai, model = "fake", base-url = "%s", api-key-env = "PATH" } }
                """;
        return """
                transcripts-dir = "%s"
                irc.networks.local { host = "%s", port = %d, operator-masks = ["*!*@*"], line-delay = 0s, burst = 50 }
                conversations = [
                  {
                    id = show
                    seats = [ %s %s ]
                    rooms = [ { type = irc, channel = "#show" } ]
                    pacing { min-delay = 1s, max-delay = 1s, typing-chars-per-second = 0 }
                    stop { max-turns = 3 }
                    health.enabled = false
                    replies.stream-paragraphs = false
                    context.room-preamble = false
                    moderation {
                      lists = ["words.txt"]
                      api { url = "%s", timeout = 2s, when-down = hold }
                    }
                  }
                ]
                """.formatted(dir.resolve("transcripts"), irc.host(), irc.port(),
                seat.formatted("ada", "Ada", "Ada", "Ada", models.baseUrl()),
                seat.formatted("basil", "Basil", "Basil", "Basil", models.baseUrl()),
                moderation.url("/v1/moderations"));
    }
}
