package dev.parley.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.ReplyConfig.StreamCut;
import dev.parley.core.SystemScheduler;
import dev.parley.model.ModelTestKit.Cfg;
import dev.parley.model.ModelTestKit.Recorder;
import dev.parley.model.ScriptedModelServer.Api;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * Two seats, one per API, each on its own fake server, taking turns as the engine would: each seat's request
 * carries the other's last reply as a "Name: " user turn. Proves the fakes the engine's end-to-end tests use.
 */
class ScriptedModelServerTest {
    @Test
    void twoSeatsOnTwoApisTakeTurns() throws Exception {
        OkHttpClient shared = ModelClients.newSharedHttpClient();
        try (SystemScheduler wall = new SystemScheduler();
             ScriptedModelServer kimiApi = ScriptedModelServer.start(Api.OPENAI,
                     List.of("Tide pools are tiny oceans.", "Then each one is a world."));
             ScriptedModelServer claudeApi = ScriptedModelServer.start(Api.ANTHROPIC,
                     List.of("Or large puddles with ambitions.", "^C^C"))) {
            Cfg k = new Cfg();
            k.baseUrl = kimiApi.baseUrl();
            Cfg c = new Cfg();
            c.provider = "anthropic";
            c.baseUrl = claudeApi.baseUrl();
            c.apiKey = "sk-ant-x";
            ModelClient kimi = ModelClients.create(k.build(), wall, shared, x -> List.of(), StreamCut.RETRY);
            ModelClient claude = ModelClients.create(c.build(), wall, shared, x -> List.of(), StreamCut.RETRY);

            List<String> transcript = new ArrayList<>();
            List<Turn> kimiView = new ArrayList<>(List.of(Turn.user(" ")));
            List<Turn> claudeView = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                String k1 = say(kimi, new ModelRequest("You are Kimi.", kimiView, List.of("\nClaude:")));
                transcript.add("Kimi: " + k1);
                kimiView.add(Turn.assistant(k1));
                claudeView.add(Turn.user("Kimi: " + k1));
                String c1 = say(claude, new ModelRequest("You are Claude.", claudeView, List.of("\nKimi:")));
                transcript.add("Claude: " + c1);
                claudeView.add(Turn.assistant(c1));
                kimiView.add(Turn.user("Claude: " + c1));
            }
            assertEquals(List.of("Kimi: Tide pools are tiny oceans.", "Claude: Or large puddles with ambitions.",
                    "Kimi: Then each one is a world.", "Claude: ^C^C"), transcript);
            var second = claudeApi.requests().get(1);
            assertEquals("Kimi: Then each one is a world.", second.path("messages").path(2).path("content").asText());
            assertEquals("You are Claude.", second.path("system").asText());
            assertEquals("Claude: Or large puddles with ambitions.",
                    kimiApi.requests().get(1).path("messages").path(3).path("content").asText());
            assertTrue(kimiApi.requests().get(0).path("stream").asBoolean());
        } finally {
            shared.dispatcher().executorService().shutdownNow();
        }
    }

    private static String say(ModelClient client, ModelRequest request) throws InterruptedException {
        Recorder r = new Recorder();
        client.start(request, r);
        r.await();
        if (r.error != null) {
            throw new AssertionError(r.error.message());
        }
        assertEquals(r.reply.text(), r.text(), "the deltas add up to the reply");
        return r.reply.text();
    }
}
