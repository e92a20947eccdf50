package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.archive.JournalEvent;
import dev.parley.archive.JournalReader;
import dev.parley.config.ConfigLoader;
import dev.parley.config.ParleyConfig;
import dev.parley.model.ScriptedModelServer;
import dev.parley.model.ScriptedModelServer.Api;
import dev.parley.model.Usage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * stop.max-cost counts every call, also one whose reply the impersonation guard cut while it streamed: each reply
 * here reports 1000 input and 100 output tokens, $0.20 at the configured price, so $0.90 is passed at turn 5.
 */
class CostOfCutRepliesTest {
    @TempDir
    Path dir;

    @Test
    void aReplyCutForImpersonationIsChargedWhatItsProviderReportedSoTheCostStopComesAtTurnFive() throws Exception {
        Usage each = new Usage(1000, 100, 0);
        try (ScriptedModelServer openai = ScriptedModelServer.start(Api.OPENAI, List.of(
                "Tide pools, then.\nClaude: Agreed, tide pools.\nKimi: Good.", "Barnacles glue down head-first.",
                "Anemones close at low tide.", "Spare."), each);
             ScriptedModelServer anthropic = ScriptedModelServer.start(Api.ANTHROPIC, List.of(
                     "Why do they exist at all?", "Limpets come home.", "Spare."), each)) {
            String conf = """
                    transcripts-dir = "%s"
                    conversations = [ {
                      id = cost
                      seats = [
                        { id = kimi, name = "Kimi", system-prompt = "You are Kimi.",
                          model { provider = openai, model = "kimi-k2", base-url = "%s",
                                  price { input-per-million = 100, output-per-million = 1000 } } }
                        { id = claude, name = "Claude", system-prompt = "You are Claude.",
                          model { provider = anthropic, model = "claude-test", base-url = "%s",
                                  price { input-per-million = 100, output-per-million = 1000 } } }
                      ]
                      rooms = [ { type = terminal, human-name = "you", colours = false } ]
                      pacing { min-delay = 0s, max-delay = 0s, typing-chars-per-second = 0 }
                      context { room-preamble = false }
                      replies { stream-paragraphs = true }
                      stop { max-turns = 20, max-cost = 0.9 }
                    } ]
                    """.formatted(dir.resolve("t"), openai.baseUrl(), anthropic.baseUrl());
            ParleyConfig config = ConfigLoader.withEnvironment(Map.of()).load(conf, "cost.conf");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = new Daemon(config, null, new ByteArrayInputStream(new byte[0]),
                    new PrintStream(out, true, StandardCharsets.UTF_8)).run();

            assertThat(code).isZero();
            List<JournalEvent> events = JournalReader.read(journal());
            List<JournalEvent.Said> said = events.stream().filter(JournalEvent.Said.class::isInstance)
                    .map(JournalEvent.Said.class::cast).toList();
            assertThat(said).extracting(JournalEvent.Said::turn).as("turns taken").containsExactly(1, 2, 3, 4, 5);
            assertThat(events).filteredOn(JournalEvent.Stop.class::isInstance)
                    .extracting(e -> ((JournalEvent.Stop) e).reason())
                    .containsExactly("cost $1.0000 reached the limit of $0.9000");
            assertThat(said.get(0).text()).isEqualTo("Tide pools, then.");
            assertThat(said).extracting(JournalEvent.Said::inputTokens).containsOnly(1000L);
            assertThat(said).extracting(JournalEvent.Said::outputTokens).containsOnly(100L);
        }
    }

    private Path journal() throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("t/cost"))) {
            return files.filter(p -> p.toString().endsWith(".jsonl")).findFirst().orElseThrow();
        }
    }
}
