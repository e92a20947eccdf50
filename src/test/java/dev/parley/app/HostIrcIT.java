package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.archive.Archive;
import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalReader;
import dev.parley.archive.TranscriptParser;
import dev.parley.irc.IrcLine;
import dev.parley.irc.IrcServerFixture;
import dev.parley.irc.RawIrcClient;
import dev.parley.model.ScriptedModelServer;
import dev.parley.testsupport.RequireServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * parley as a 24/7 host through the real jar on a real ngircd, watched by a raw IRC client: the bot stays after an
 * episode, !start begins the next with a new journal and transcript, !cast and !invite/!dismiss make seats join and
 * part for real, !retract and !retry take messages back, !note reaches only its seat's next request (seen on the
 * fake provider), and SIGHUP adds a conversation in a second channel while a broken config is refused.
 */
class HostIrcIT {
    private static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir
    Path dir;

    @Test
    void theHostStaysBetweenEpisodesAndOperatorsSteerIt() throws Exception {
        IrcServerFixture.Kind kind = IrcServerFixture.Kind.NGIRCD;
        RequireServers.assume(kind.installed(), kind.packageHint());
        List<String> lines = IntStream.rangeClosed(1, 80).mapToObj(i -> "Line " + i + " about harbour number "
                + i * 7 + " and its " + (i % 2 == 0 ? "gulls" : "fog") + " " + "x".repeat(i % 5)).toList();
        try (IrcServerFixture irc = IrcServerFixture.start(kind);
             ScriptedModelServer models = ScriptedModelServer.start(ScriptedModelServer.Api.OPENAI, lines);
             RawIrcClient op = RawIrcClient.connect(irc.host(), irc.port(), "op", "op")) {
            op.join("#show");
            op.join("#late");
            Path conf = dir.resolve("host.conf");
            Files.writeString(conf, config(irc, models, false));

            try (ParleyProcess parley = ParleyProcess.start(dir, "host", "run", "--config", conf.toString())) {
                // Episode 1: Ada and Basil; a note for Basil after Ada's first line.
                await(op, l -> privmsg(l, "#show", "Ada"));
                op.say("#show", "!note basil Mention the lighthouse.");
                await(op, l -> notice(l, "#show", "Noted: Basil reads it in its next turn."));
                await(op, l -> notice(l, "#show", "Episode 1 is over."));
                assertThat(parley.process().isAlive()).isTrue();

                List<JsonNode> requests = models.requests();
                List<JsonNode> noted = requests.stream().filter(r -> r.toString().contains("lighthouse")).toList();
                assertThat(noted).hasSize(1);
                assertThat(system(noted.get(0))).startsWith("You are Basil.");

                // Between episodes: Cyd replaces Ada, for real.
                op.say("#show", "!cast basil cyd");
                awaitSeen(op, l -> l.command().equals("JOIN") && l.nick().equals("Cyd"));
                awaitSeen(op, l -> (l.command().equals("PART") || l.command().equals("QUIT")) && l.nick().equals("Ada"));

                // Episode 2: Ada is invited mid-episode, Cyd dismissed.
                op.say("#show", "!start Tell us about fog.");
                await(op, l -> privmsg(l, "#show", "Basil"));
                op.say("#show", "!invite ada");
                await(op, l -> l.command().equals("JOIN") && l.nick().equals("Ada"));
                op.say("#show", "!dismiss cyd");
                awaitSeen(op, l -> (l.command().equals("PART") || l.command().equals("QUIT")) && l.nick().equals("Cyd"));
                await(op, l -> privmsg(l, "#show", "Ada"));
                await(op, l -> notice(l, "#show", "Episode 2 is over."));

                // Episode 3: a message retracted, another retried.
                op.say("#show", "!start");
                IrcLine first = await(op, l -> privmsg(l, "#show", "Ada", "Basil"));
                op.say("#show", "!retract");
                await(op, l -> notice(l, "#show", "A message from " + first.nick() + " was retracted by op."));
                IrcLine next = await(op, l -> privmsg(l, "#show", "Ada", "Basil"));
                op.say("#show", "!retry");
                await(op, l -> notice(l, "#show", "Retracted; " + next.nick() + " answers again."));
                IrcLine again = await(op, l -> privmsg(l, "#show", next.nick()));
                await(op, l -> notice(l, "#show", "Episode 3 is over."));

                List<Path> journals = journals("show");
                assertThat(journals).hasSize(3);
                journals.forEach(j -> assertThat(Archive.transcriptOf(j)).isRegularFile());
                assertThat(start(journals.get(0)).seats()).extracting(JournalEvent.SeatInfo::id)
                        .containsExactly("ada", "basil");
                assertThat(start(journals.get(1)).seats()).extracting(JournalEvent.SeatInfo::id)
                        .containsExactly("basil", "cyd");
                assertThat(start(journals.get(1)).openingLine()).isEqualTo("Tell us about fog.");
                List<JournalEvent> third = JournalReader.read(journals.get(2));
                assertThat(third).filteredOn(JournalEvent.Retract.class::isInstance).hasSize(2);
                List<String> journalled = third.stream().filter(JournalEvent.Said.class::isInstance)
                        .map(e -> ((JournalEvent.Said) e).text()).toList();
                assertThat(journalled).contains(first.param(1), next.param(1), again.param(1));
                List<String> transcript = TranscriptParser.read(Archive.transcriptOf(journals.get(2))).messages()
                        .stream().map(e -> e.text()).toList();
                assertThat(transcript).doesNotContain(first.param(1), next.param(1)).contains(again.param(1));

                // SIGHUP: a second conversation in #late; then a broken config is refused and #show still answers.
                Files.writeString(conf, config(irc, models, true));
                hangUp(parley);
                await(op, parley, l -> l.command().equals("JOIN") && l.nick().equals("parley")
                        && l.param(0).equalsIgnoreCase("#late"));
                await(op, parley, l -> privmsg(l, "#late", "Ada", "Basil"));
                Files.writeString(conf, "conversations = [ { id = broken, seats = oops } ]\n");
                hangUp(parley);
                parley.awaitOutput(s -> s.contains("reload by SIGHUP refused"), WAIT);
                op.say("#show", "!status");
                await(op, l -> notice(l, "#show", "Episode 3 ended (reached the limit of 4 turns)"));
                assertThat(parley.process().isAlive()).isTrue();
            }
        }
    }

    private static String system(JsonNode request) {
        return request.path("messages").path(0).path("content").asText();
    }

    private List<Path> journals(String id) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("transcripts").resolve(id))) {
            return files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
    }

    private static JournalEvent.Start start(Path journal) {
        return (JournalEvent.Start) JournalReader.read(journal).get(0);
    }

    private static void hangUp(ParleyProcess parley) throws Exception {
        new ProcessBuilder("kill", "-HUP", Long.toString(parley.process().pid())).start().waitFor();
    }

    private static boolean privmsg(IrcLine l, String channel, String... nicks) {
        return l.command().equals("PRIVMSG") && l.param(0).equalsIgnoreCase(channel) && List.of(nicks).contains(l.nick());
    }

    private static boolean notice(IrcLine l, String channel, String startsWith) {
        return l.command().equals("NOTICE") && l.param(0).equalsIgnoreCase(channel) && l.param(1).startsWith(startsWith);
    }

    /** Waits until a matching line was seen at all, whatever came before or after it (order-free). */
    private static void awaitSeen(RawIrcClient client, Predicate<IrcLine> what) {
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).dontCatchUncaughtExceptions()
                .untilAsserted(() -> assertThat(client.allLines()).as("a matching line within %s", WAIT).anyMatch(what));
    }

    /** The first line seen (since the last await) that matches; lines in between are passed over. */
    private static IrcLine await(RawIrcClient client, Predicate<IrcLine> what) throws IOException {
        return client.await(what, WAIT);
    }

    /** The same, saying what parley printed when nothing matched (what a reload said, for one). */
    private static IrcLine await(RawIrcClient client, ParleyProcess parley, Predicate<IrcLine> what)
            throws IOException {
        try {
            return client.await(what, WAIT);
        } catch (IOException e) {
            throw new IOException(e.getMessage() + "\n" + parley.output(), e);
        }
    }

    private String config(IrcServerFixture irc, ScriptedModelServer models, boolean withLate) {
        String seat = """
                { id = %s, name = "%s", system-prompt = "You are %s.", irc { nick = "%s" },
                  model { provider = openai, model = "fake", base-url = "%s", api-key-env = "PATH" } }
                """;
        List<String> seats = new ArrayList<>();
        for (String name : List.of("Ada", "Basil", "Cyd")) {
            seats.add(seat.formatted(name.toLowerCase(), name, name, name, models.baseUrl()));
        }
        String conversation = """
                  {
                    id = %s
                    seats = [ %s ]
                    cast = [ada, basil]
                    rooms = [ { type = irc, channel = "%s" } ]
                    pacing { min-delay = 1s, max-delay = 1s, typing-chars-per-second = 0 }
                    stop { max-turns = %d }
                    health.enabled = false
                    replies.stream-paragraphs = false
                    context.room-preamble = false
                  }
                """;
        return """
                transcripts-dir = "%s"
                irc.networks.local { host = "%s", port = %d, operator-masks = ["*!*@*"], line-delay = 0s, burst = 50 }
                conversations = [
                %s%s]
                """.formatted(dir.resolve("transcripts"), irc.host(), irc.port(),
                conversation.formatted("show", String.join("\n", seats), "#show", 4),
                withLate ? conversation.formatted("late", String.join("\n", seats), "#late", 2) : "");
    }
}
