package dev.parley.irc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.ParleyProcess;
import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalReader;
import dev.parley.archive.Transcript;
import dev.parley.archive.TranscriptWriter;
import dev.parley.testsupport.RequireServers;
import dev.parley.testsupport.Waiting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IRC server dies mid-conversation, killed as soon as a watcher saw the fourth line; what parley journals
 * meanwhile (the pause, a reply under way) cannot be sent; parley is killed; both start again. Before the outbox
 * these lines were lost with the process; now the next start sends them first, in order, then the conversation
 * goes on. A line the server relayed in the instant before it died may come once more (at least once).
 */
class IrcKillAndResumeIT {
    private static final int MAX_TURNS = 12;
    private static final Duration WAIT = Duration.ofMinutes(1);
    private static final Set<String> OURS = Set.of("ada", "basil", "parley");
    private static final String CHANNEL = "#kill";

    @TempDir
    Path dir;

    @Test
    void linesJournalledDuringAnOutageReachTheChannelAfterAKillAndRestart() throws Exception {
        RequireServers.assume(IrcServerFixture.Kind.NGIRCD.installed(), IrcServerFixture.Kind.NGIRCD.packageHint());
        List<String> seen = new ArrayList<>();
        try (IrcServerFixture ngircd = IrcServerFixture.start(IrcServerFixture.Kind.NGIRCD)) {
            Path conf = writeConfig(ngircd.port());
            Path journalDir = dir.resolve("transcripts/outage");
            try (RawIrcClient before = watcher(ngircd);
                 ParleyProcess first = ParleyProcess.start(dir, "first", "run", "--once", "--config", conf.toString())) {
                before.privmsgs(CHANNEL, 4, WAIT, "ada", "basil");
                ngircd.kill();
                first.awaitJournal(journalDir, events -> events.stream().anyMatch(JournalEvent.Pause.class::isInstance),
                        WAIT);
                first.process().destroyForcibly();
                first.process().waitFor();
                seen.addAll(ours(before));
            }
            ngircd.restart();
            try (RawIrcClient after = watcher(ngircd);
                 ParleyProcess second = ParleyProcess.start(dir, "second", "run", "--once", "--config", conf.toString())) {
                assertThat(second.waitFor(WAIT)).as("exit code\n%s", second.output()).isZero();
                List<JournalEvent> journal = JournalReader.read(ParleyProcess.onlyJournal(journalDir, true));
                List<String> expected = outgoing(journal);
                Waiting.upTo(WAIT).untilAsserted(() -> assertThat(ours(after)).as("lines after the restart")
                        .hasSizeGreaterThanOrEqualTo(expected.size() - seen.size()));
                Thread.sleep(500); // not polling: a moment more, so that a repeat would show
                seen.addAll(ours(after));
                System.out.printf("IrcKillAndResumeIT: %d parcels journalled, %d lines in the channel%n",
                        expected.size(), seen.size());
                // At least once: the line the server relayed just before it died may come again, right after
                // itself, when parley never got the PONG that would have confirmed it (docs/irc.md).
                List<String> once = new ArrayList<>();
                seen.forEach(l -> {
                    if (once.isEmpty() || !once.get(once.size() - 1).equals(l)) {
                        once.add(l);
                    }
                });
                assertThat(once).as("the channel saw every journalled parcel, in journal order").isEqualTo(expected);
                assertThat(seen.size() - once.size()).as("repeats: only what was on its way when the server died")
                        .isLessThanOrEqualTo(1);
                assertThat(ParleyProcess.messages(journal)).hasSize(MAX_TURNS);
            }
        }
    }

    private static RawIrcClient watcher(IrcServerFixture ngircd) throws Exception {
        RawIrcClient c = RawIrcClient.connect(ngircd.host(), ngircd.port(), "watcher", "watcher");
        c.join(CHANNEL);
        return c;
    }

    /** Texts our identities said or noticed in the channel, in the order the watcher got them. */
    private static List<String> ours(RawIrcClient c) {
        return c.allLines().stream().filter(l -> (l.command().equals("PRIVMSG") || l.command().equals("NOTICE"))
                && l.param(0).equalsIgnoreCase(CHANNEL) && OURS.contains(l.nick())).map(l -> l.param(1)).toList();
    }

    private static List<String> outgoing(List<JournalEvent> events) {
        return events.stream().filter(JournalEvent.Outgoing.class::isInstance).map(JournalEvent.Outgoing.class::cast)
                .filter(o -> o.rooms().stream().anyMatch(r -> r.startsWith("irc "))).map(JournalEvent.Outgoing::text)
                .toList();
    }

    private Path writeConfig(int port) throws Exception {
        List<Transcript.Entry> lines = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            lines.add(new Transcript.Entry(i % 2 == 0 ? "Ada" : "Basil", "Line " + i + " of the outage script"));
        }
        Path script = dir.resolve("script.md");
        TranscriptWriter.write(new Transcript(List.of("Ada", "Basil"), LocalDateTime.parse("2026-11-26T09:00:00"),
                LocalDateTime.parse("2026-11-26T09:10:00"), lines), script);
        Path conf = dir.resolve("parley.conf");
        Files.writeString(conf, """
                transcripts-dir = "%s"
                irc.networks.local {
                  host = "127.0.0.1", port = %d, control-nick = parley
                  line-delay = 0s, reconnect-min = 200ms, reconnect-max = 1s
                }
                conversations = [
                  {
                    id = outage
                    seats = [
                      { id = ada, name = "Ada", irc { nick = ada }
                        model { provider = replay, replay { transcript = "%s", speaker = "Ada" } } }
                      { id = basil, name = "Basil", irc { nick = basil }
                        model { provider = replay, replay { transcript = "%s", speaker = "Basil" } } }
                    ]
                    rooms = [ { type = irc, network = local, channel = "%s" } ]
                    pacing { min-delay = 300ms, max-delay = 300ms, typing-chars-per-second = 0 }
                    stop { max-turns = %d }
                    health { enabled = false }
                  }
                ]
                """.formatted(dir.resolve("transcripts"), port, script, script, CHANNEL, MAX_TURNS));
        return conf;
    }
}
