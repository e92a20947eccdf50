package dev.parley.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model providers parley has, by the name the {@code provider} key gives, with what the config needs to know
 * of each: the one list config validation, the error texts and the model factory read. A provider's client is
 * built in the model package, whose factory table is keyed by these names and checked against them.
 */
public final class Providers {
    /**
     * @param name         the {@code provider} value
     * @param exampleModel a model id for the "missing model" hint; empty when the provider needs no model id
     * @param overHttp     whether its client needs the daemon's HTTP client
     */
    public record Provider(String name, Optional<String> exampleModel, boolean overHttp) {
        /** Whether a seat of this provider must name its model. */
        public boolean needsModelId() {
            return exampleModel.isPresent();
        }
    }

    private static final Map<String, Provider> ALL = new LinkedHashMap<>();

    static {
        // Any OpenAI-compatible server: OpenAI, OpenRouter, Ollama, llama.cpp, vLLM, LM Studio, Groq, Together.
        add(new Provider("openai", Optional.of("gpt-4o-mini"), true));
        add(new Provider("anthropic", Optional.of("claude-sonnet-4-5"), true));
        // Says the lines of a transcript: no model id, no network.
        add(new Provider("replay", Optional.empty(), false));
    }

    private Providers() {
    }

    private static void add(Provider p) {
        ALL.put(p.name(), p);
    }

    /** Every provider name, in the order help texts list them. */
    public static List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    public static Optional<Provider> of(String name) {
        return Optional.ofNullable(ALL.get(name));
    }
}
