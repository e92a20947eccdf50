package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.archive.Transcript;
import dev.parley.archive.TranscriptParser;
import dev.parley.config.ConfigLoader;
import dev.parley.config.ParleyConfig;
import dev.parley.model.ScriptedModelServer;
import dev.parley.model.ScriptedModelServer.Api;
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
 * A whole conversation through the daemon, with one seat on the OpenAI wire format and one on Anthropic's, each
 * talking to its own local fake server; checked through the transcript it leaves and the requests the servers got.
 */
class TwoApisConversationTest {
    @TempDir
    Path dir;

    @Test
    void twoSeatsOnTwoApisHoldAConversationAndTheTranscriptShowsIt() throws Exception {
        try (ScriptedModelServer openai = ScriptedModelServer.start(Api.OPENAI, List.of(
                "Shall we talk about tide pools?", "Barnacles glue themselves down head-first."));
             ScriptedModelServer anthropic = ScriptedModelServer.start(Api.ANTHROPIC, List.of(
                     "Yes. Why do they exist at all?", "Upside-down shrimp in limestone houses."))) {
            String conf = """
                    transcripts-dir = "%s"
                    conversations = [ {
                      id = two-apis
                      seats = [
                        { id = kimi, name = "Kimi", system-prompt = "You are Kimi.",
                          model { provider = openai, model = "kimi-k2", base-url = "%s", api-key-env = "FAKE_OPENAI_KEY" } }
                        { id = claude, name = "Claude", system-prompt = "You are Claude.",
                          model { provider = anthropic, model = "claude-test", base-url = "%s",
                                  api-key-env = "FAKE_ANTHROPIC_KEY", max-tokens = 300 } }
                      ]
                      rooms = [ { type = terminal, human-name = "you", colours = false } ]
                      pacing { min-delay = 0s, max-delay = 0s, typing-chars-per-second = 0 }
                      context { room-preamble = false }
                      replies { stream-paragraphs = false }
                      stop { max-turns = 4 }
                    } ]
                    """.formatted(dir.resolve("t"), openai.baseUrl(), anthropic.baseUrl());
            ParleyConfig config = ConfigLoader.withEnvironment(Map.of("FAKE_OPENAI_KEY", "sk-openai-secret",
                    "FAKE_ANTHROPIC_KEY", "sk-ant-secret")).load(conf, "two-apis.conf");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = new Daemon(config, null, new ByteArrayInputStream(new byte[0]),
                    new PrintStream(out, true, StandardCharsets.UTF_8)).run();

            assertThat(code).isZero();
            Path transcriptFile;
            try (Stream<Path> files = Files.list(dir.resolve("t/two-apis"))) {
                transcriptFile = files.filter(p -> p.toString().endsWith(".md")).findFirst().orElseThrow();
            }
            Transcript t = TranscriptParser.read(transcriptFile);
            assertThat(t.title()).containsExactly("Kimi", "Claude");
            assertThat(t.messages()).extracting(e -> e.speaker() + ": " + e.text()).containsExactly(
                    "Kimi: Shall we talk about tide pools?", "Claude: Yes. Why do they exist at all?",
                    "Kimi: Barnacles glue themselves down head-first.",
                    "Claude: Upside-down shrimp in limestone houses.");

            JsonNode secondToKimi = openai.requests().get(1);
            assertThat(secondToKimi.get("model").asText()).isEqualTo("kimi-k2");
            assertThat(secondToKimi.get("messages").toString()).isEqualTo("[{\"role\":\"system\",\"content\":"
                    + "\"You are Kimi.\"},{\"role\":\"user\",\"content\":\" \"},{\"role\":\"assistant\",\"content\":"
                    + "\"Shall we talk about tide pools?\"},{\"role\":\"user\",\"content\":"
                    + "\"Claude: Yes. Why do they exist at all?\"}]");
            JsonNode firstToClaude = anthropic.requests().get(0);
            assertThat(firstToClaude.get("system").toString()).contains("You are Claude.");
            assertThat(firstToClaude.get("max_tokens").asInt()).isEqualTo(300);
            assertThat(firstToClaude.get("messages").toString()).isEqualTo(
                    "[{\"role\":\"user\",\"content\":\"Kimi: Shall we talk about tide pools?\"}]");
            assertThat(firstToClaude.get("stop_sequences").toString()).contains("\\nKimi:");
            assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("sk-openai-secret", "sk-ant-secret");
        }
    }
}
