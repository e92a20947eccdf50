package dev.parley.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.app.Cli;
import dev.parley.archive.Transcript;
import dev.parley.archive.TranscriptParser;
import dev.parley.irc.IrcLine;
import dev.parley.irc.IrcServerFixture;
import dev.parley.irc.RawIrcClient;
import dev.parley.testsupport.RequireServers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One conversation shown in an IRC channel on a real ngircd and a Matrix room on a real Synapse at once, run by
 * the daemon from a config file: both audiences see every seat message, in the same order, from the seats' own
 * identities; a human on either side is relayed to the other and reaches the transcript.
 */
class IrcAndMatrixIT {
    private static final List<String> KIMI = List.of("Shall we compare tide pools on two coasts?",
            "The Pacific ones have giant green anemones.", "Ochre stars, mostly purple, clinging to the rocks.",
            "Then we agree: bring boots and patience.");
    private static final List<String> CLAUDE = List.of("Yes. The Atlantic side has more barnacles than you'd think.",
            "Ours have periwinkles grazing the algae film.", "Sea urchins hide in the crevices at low tide.",
            "And a thermos of something hot.");

    @TempDir
    Path dir;

    @Test
    void aConversationShownOnIrcAndMatrixReachesBothAudiencesAndHearsBoth() throws Exception {
        RequireServers.assume(IrcServerFixture.Kind.NGIRCD.installed(), IrcServerFixture.Kind.NGIRCD.packageHint());
        RequireServers.assume(SynapseFixture.available(), "synapse (python venv at " + SynapseFixture.python() + ")");
        try (IrcServerFixture irc = IrcServerFixture.start(IrcServerFixture.Kind.NGIRCD);
             SynapseFixture synapse = SynapseFixture.start(SynapseFixture.Options.relaxed())) {
            Files.writeString(dir.resolve("parley.token"), synapse.register("parley", "parley-pw", false));
            Files.writeString(dir.resolve("kimi.token"), synapse.register("kimi", "kimi-pw", false));
            Files.writeString(dir.resolve("claude.token"), synapse.register("claude", "claude-pw", false));
            HumanClient alice = new HumanClient(synapse.url(), synapse.register("alice", "alice-pw", false),
                    "@alice:localhost");
            String roomId = alice.createRoom("salon", true, List.of());
            Path conf = writeConfig(irc, synapse);

            try (RawIrcClient op = RawIrcClient.connect(irc.host(), irc.port(), "op", "op")) {
                op.join("#salon");
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                FutureTask<Integer> daemon = new FutureTask<>(() -> new Cli(new ByteArrayInputStream(new byte[0]),
                        new PrintStream(out, true, StandardCharsets.UTF_8), System.err)
                        .run("run", "--once", "--config", conf.toString()));
                Thread thread = new Thread(daemon, "parley-daemon");
                thread.setDaemon(true);
                thread.start();

                List<IrcLine> first = op.privmsgs("#salon", 2, Duration.ofSeconds(60), "Kimi", "Claude");
                op.say("#salon", "hello from irc");
                alice.say(roomId, "hello from matrix");
                List<IrcLine> rest = op.privmsgs("#salon", 6, Duration.ofSeconds(60), "Kimi", "Claude");
                assertThat(daemon.get(60, TimeUnit.SECONDS)).as("exit code; output: %s", out).isZero();

                List<String> expected = List.of(KIMI.get(0), CLAUDE.get(0), KIMI.get(1), CLAUDE.get(1), KIMI.get(2),
                        CLAUDE.get(2), KIMI.get(3), CLAUDE.get(3));
                assertThat(Stream.concat(first.stream(), rest.stream()).map(l -> l.nick() + ": " + l.param(1)))
                        .containsExactlyElementsOf(expected.stream().map(t -> (KIMI.contains(t) ? "Kimi" : "Claude")
                                + ": " + t).toList());
                assertThat(op.allLines()).anyMatch(l -> l.command().equals("NOTICE") && "parley".equals(l.nick())
                        && l.param(1).contains("alice") && l.param(1).contains("hello from matrix"));

                List<JsonNode> matrix = alice.messages(roomId);
                assertThat(matrix.stream().filter(e -> e.path("content").path("msgtype").asText().equals("m.text")
                        && !e.path("sender").asText().equals("@alice:localhost"))
                        .map(e -> e.path("sender").asText() + ": " + e.path("content").path("body").asText()))
                        .containsExactlyElementsOf(expected.stream().map(t -> (KIMI.contains(t) ? "@kimi:localhost"
                                : "@claude:localhost") + ": " + t).toList());
                assertThat(matrix).anyMatch(e -> e.path("content").path("msgtype").asText().equals("m.notice")
                        && e.path("sender").asText().equals("@parley:localhost")
                        && e.path("content").path("body").asText().contains("hello from irc"));

                Transcript t;
                try (Stream<Path> files = Files.list(dir.resolve("transcripts/salon"))) {
                    t = TranscriptParser.read(files.filter(p -> p.toString().endsWith(".md")).findFirst()
                            .orElseThrow());
                }
                assertThat(t.messages()).extracting(Transcript.Entry::text)
                        .contains("hello from irc", "hello from matrix").containsAll(expected);
            }
        }
    }

    private Path writeConfig(IrcServerFixture irc, SynapseFixture synapse) throws Exception {
        Path script = dir.resolve("script.md");
        StringBuilder md = new StringBuilder("# Kimi ↔ Claude\n\n**Started:** 2026-11-26 10:00:00\n"
                + "**Ended:** 2026-11-26 10:05:00\n**Messages:** 8\n\n---\n\n");
        for (int i = 0; i < 4; i++) {
            md.append("### Kimi\n\n").append(KIMI.get(i)).append("\n\n---\n\n");
            md.append("### Claude\n\n").append(CLAUDE.get(i)).append("\n\n---\n\n");
        }
        Files.writeString(script, md.toString());
        Path conf = dir.resolve("both.conf");
        Files.writeString(conf, """
                transcripts-dir = "%1$s/transcripts"
                irc.networks.local { host = "%2$s", port = %3$d, control-nick = parley, operator-masks = ["op!*@*"],
                                     line-delay = 0s }
                matrix.servers.local { homeserver-url = "%4$s", control-user = "@parley:localhost",
                                       control-token-file = "%1$s/parley.token", operators = ["@alice:localhost"] }
                conversations = [ {
                  id = salon
                  rooms = [ { type = irc, channel = "#salon" }, { type = matrix, room = "#salon:localhost" } ]
                  seats = [
                    { id = kimi, name = Kimi, irc.nick = Kimi,
                      matrix { user = "@kimi:localhost", access-token-file = "%1$s/kimi.token" },
                      model { provider = replay, replay { transcript = "%5$s", speaker = Kimi } } }
                    { id = claude, name = Claude, irc.nick = Claude,
                      matrix { user = "@claude:localhost", access-token-file = "%1$s/claude.token" },
                      model { provider = replay, replay { transcript = "%5$s", speaker = Claude } } }
                  ]
                  pacing { min-delay = 700ms, max-delay = 700ms, typing-chars-per-second = 0 }
                  replies.empty-reply = post
                  stop.max-turns = 8
                } ]
                """.formatted(dir, irc.host(), irc.port(), synapse.url(), script));
        return conf;
    }
}
