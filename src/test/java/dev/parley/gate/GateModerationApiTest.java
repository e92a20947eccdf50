package dev.parley.gate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.config.ModerationConfig;
import dev.parley.config.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible moderation client against a local server speaking its wire format. */
class GateModerationApiTest {
    @StartStop
    private final MockWebServer server = new MockWebServer();
    private final OkHttpClient http = new OkHttpClient();

    private static final String FLAGGED = """
            {"id":"modr-1","model":"omni-moderation-latest","results":[{"flagged":true,
             "categories":{"harassment":true,"hate":false},
             "category_scores":{"harassment":0.91,"hate":0.12}}]}""";
    private static final String CLEAN = """
            {"id":"modr-2","model":"omni-moderation-latest","results":[{"flagged":false,
             "categories":{"harassment":false,"hate":false},
             "category_scores":{"harassment":0.02,"hate":0.31}}]}""";

    @AfterEach
    void shutdown() {
        http.dispatcher().executorService().shutdownNow();
        http.connectionPool().evictAll();
    }

    private ModerationApiGate gate(Map<String, Double> thresholds, ModerationConfig.WhenDown whenDown) {
        return new ModerationApiGate(new ModerationConfig.Api(server.url("/v1/moderations").toString(),
                "omni-moderation-latest", Optional.of(new Secret("sk-mod", "env MOD_KEY")), thresholds,
                Duration.ofMillis(500), whenDown), http);
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder().setHeader("Content-Type", "application/json").body(body).build();
    }

    private static Verdict verdict(Gate gate, String text) throws Exception {
        return gate.check(Candidate.of("Basil", text)).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aFlaggedMessageIsAHitNamingTheCategoryAndTheRequestIsTheDocumentedOne() throws Exception {
        server.enqueue(json(FLAGGED));
        Verdict v = verdict(gate(Map.of(), ModerationConfig.WhenDown.HOLD), "you are awful");
        assertThat(v).isEqualTo(Verdict.hit("moderation-api:harassment", "flagged"));

        RecordedRequest req = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(req.getMethod()).isEqualTo("POST");
        assertThat(req.getUrl().encodedPath()).isEqualTo("/v1/moderations");
        assertThat(req.getHeaders().get("Authorization")).isEqualTo("Bearer sk-mod");
        JsonNode body = new ObjectMapper().readTree(req.getBody().utf8());
        assertThat(body.path("input").asText()).isEqualTo("you are awful");
        assertThat(body.path("model").asText()).isEqualTo("omni-moderation-latest");
    }

    @Test
    void aMessageThatIsNotFlaggedPasses() throws Exception {
        server.enqueue(json(CLEAN));
        assertThat(verdict(gate(Map.of(), ModerationConfig.WhenDown.HOLD), "hello")).isEqualTo(Verdict.PASS);
    }

    @Test
    void thresholdsFromTheConfigDecideOverTheServicesFlag() throws Exception {
        server.enqueue(json(CLEAN));
        Verdict v = verdict(gate(Map.of("hate", 0.3), ModerationConfig.WhenDown.HOLD), "hm");
        assertThat(v.kind()).isEqualTo(Verdict.Kind.HIT);
        assertThat(v.rule()).isEqualTo("moderation-api:hate");
        server.enqueue(json(FLAGGED));
        assertThat(verdict(gate(Map.of("hate", 0.5), ModerationConfig.WhenDown.HOLD), "hm")).isEqualTo(Verdict.PASS);
    }

    @Test
    void aSlowServiceTimesOutAndTheMessageIsHeld() throws Exception {
        server.enqueue(new MockResponse.Builder().setHeader("Content-Type", "application/json").body(CLEAN)
                .headersDelay(3, TimeUnit.SECONDS).build());
        Verdict v = verdict(gate(Map.of(), ModerationConfig.WhenDown.HOLD), "hello");
        assertThat(v.kind()).isEqualTo(Verdict.Kind.HELD);
        assertThat(v.passes()).isFalse();
    }

    @Test
    void aServiceThatIsDownHoldsOrLetsThroughWithANoticeAsConfigured() throws Exception {
        server.enqueue(new MockResponse.Builder().code(503).body("down").build());
        assertThat(verdict(gate(Map.of(), ModerationConfig.WhenDown.HOLD), "hello").kind())
                .isEqualTo(Verdict.Kind.HELD);
        server.enqueue(new MockResponse.Builder().code(503).body("down").build());
        Verdict v = verdict(gate(Map.of(), ModerationConfig.WhenDown.PASS_WITH_NOTICE), "hello");
        assertThat(v.kind()).isEqualTo(Verdict.Kind.UNCHECKED);
        assertThat(v.passes()).isTrue();
        assertThat(v.detail()).contains("HTTP 503");
    }

    @Test
    void garbageFromTheServiceCountsAsDown() throws Exception {
        server.enqueue(json("{\"results\": []}"));
        assertThat(verdict(gate(Map.of(), ModerationConfig.WhenDown.HOLD), "hello").kind())
                .isEqualTo(Verdict.Kind.HELD);
    }

    @Test
    void theListsAnswerFirstAndAMessageTheyWithholdCostsNoRoundTrip() throws Exception {
        ComposedGate composed = new ComposedGate(List.of(new WordListGate(List.of(
                new ModerationConfig.Rule("w.txt", 1, "grawlix", false)), new TextFolding(false))),
                Optional.of(gate(Map.of(), ModerationConfig.WhenDown.HOLD)));
        assertThat(verdict(composed, "a grawlix").rule()).isEqualTo("w.txt:1");
        assertThat(server.getRequestCount()).isZero();
    }
}
