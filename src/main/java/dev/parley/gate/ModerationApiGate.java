package dev.parley.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.config.ModerationConfig;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * An OpenAI-compatible moderation service: {@code POST <url>} with {@code {"input": text, "model": model}}, read
 * from {@code results[0]}: {@code flagged}, {@code categories} and {@code category_scores}. With thresholds in the
 * config, a category scoring at or above its threshold withholds the message; without, the service's
 * {@code flagged} does. A service that is slow (the configured timeout), down or answering garbage gives the
 * configured {@code when-down} verdict: nothing is ever let through silently.
 */
public final class ModerationApiGate implements Gate {
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ModerationConfig.Api api;
    private final OkHttpClient http;

    public ModerationApiGate(ModerationConfig.Api api, OkHttpClient shared) {
        this.api = api;
        this.http = shared.newBuilder().callTimeout(api.timeout()).build();
    }

    @Override
    public boolean remote() {
        return true;
    }

    @Override
    public CompletableFuture<Verdict> check(Candidate candidate) {
        CompletableFuture<Verdict> verdict = new CompletableFuture<>();
        ObjectNode body = MAPPER.createObjectNode().put("input", candidate.text());
        if (!api.model().isBlank()) {
            body.put("model", api.model());
        }
        Request.Builder request = new Request.Builder().url(api.url()).post(RequestBody.create(body.toString(), JSON));
        api.key().ifPresent(k -> request.header("Authorization", "Bearer " + k.reveal()));
        http.newCall(request.build()).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                verdict.complete(down(e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage())));
            }

            @Override
            public void onResponse(Call call, Response response) {
                try (ResponseBody b = response.body()) {
                    if (!response.isSuccessful()) {
                        verdict.complete(down("HTTP " + response.code()));
                        return;
                    }
                    verdict.complete(read(MAPPER.readTree(b.string())));
                } catch (IOException | RuntimeException e) {
                    verdict.complete(down("unreadable answer (" + e.getClass().getSimpleName() + ")"));
                }
            }
        });
        return verdict;
    }

    /** The verdict in a moderation response; an answer without {@code results[0]} counts as the service down. */
    Verdict read(JsonNode answer) {
        JsonNode result = answer.path("results").path(0);
        if (!result.isObject()) {
            return down("answer without results");
        }
        if (api.thresholds().isEmpty()) {
            if (result.path("flagged").asBoolean(false)) {
                return Verdict.hit("moderation-api:" + firstFlagged(result.path("categories")), "flagged");
            }
            return Verdict.PASS;
        }
        JsonNode scores = result.path("category_scores");
        for (Map.Entry<String, Double> t : api.thresholds().entrySet()) {
            JsonNode score = scores.path(t.getKey());
            if (score.isNumber() && score.asDouble() >= t.getValue()) {
                return Verdict.hit("moderation-api:" + t.getKey(),
                        String.format(Locale.ROOT, "score %.3f at or above %.3f", score.asDouble(),
                                t.getValue()));
            }
        }
        return Verdict.PASS;
    }

    private static String firstFlagged(JsonNode categories) {
        for (Iterator<Map.Entry<String, JsonNode>> it = categories.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().asBoolean(false)) {
                return e.getKey();
            }
        }
        return "flagged";
    }

    private Verdict down(String why) {
        String detail = "moderation service unavailable: " + why;
        return api.whenDown() == ModerationConfig.WhenDown.HOLD ? Verdict.held(detail) : Verdict.unchecked(detail);
    }
}
