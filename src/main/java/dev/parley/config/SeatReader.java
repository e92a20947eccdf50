package dev.parley.config;

import dev.parley.core.SeatId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads one seat (laid over seat-defaults): its identity on each network and the model it talks with. */
final class SeatReader {
    private final Values values;
    private final ConfigLoader.ReplayCheck replayCheck;

    SeatReader(Values values, ConfigLoader.ReplayCheck replayCheck) {
        this.values = values;
        this.replayCheck = replayCheck;
    }

    Optional<SeatConfig> seat(Node s) {
        String idText = s.text("id");
        SeatId id = null;
        if (!idText.isEmpty()) {
            try {
                id = SeatId.of(idText);
            } catch (IllegalArgumentException e) {
                s.problem("id", "a seat id is 1-64 letters, digits, '_', '.' or '-', got \"" + idText + "\"");
            }
        }
        String name = s.optString("name").orElse(idText);
        if (s.isSet("name") && name.isBlank()) {
            s.problem("name", "must not be empty");
        }
        if (name.contains(":") || name.contains("\n")) {
            // Models see others' lines as "Name: text"; a colon in a name would make that ambiguous.
            s.problem("name", "a seat name must not contain ':' or line breaks, got \"" + name + "\"");
        }
        String systemPrompt = s.string("system-prompt");
        int budget = s.integer("context-budget-tokens", 1, Bounds.CONTEXT_TOKENS);

        Node ircNode = s.child("irc");
        Optional<IrcIdentity> irc = Optional.empty();
        Node matrixNode = s.child("matrix");
        Optional<MatrixIdentity> matrix = Optional.empty();
        if (s.ownHas("irc")) {
            irc = Optional.of(new IrcIdentity(Values.nick(ircNode, "nick"), values.secret(ircNode, "password")));
        } else {
            Values.markRead(ircNode, "nick", "password-env", "password-file");
        }
        if (s.ownHas("matrix")) {
            matrix = Optional.of(new MatrixIdentity(Values.matrixUser(matrixNode, "user"),
                    values.secret(matrixNode, "access-token"), values.secret(matrixNode, "password")));
        } else {
            Values.markRead(matrixNode, "user", "access-token-env", "access-token-file", "password-env", "password-file");
        }
        ModelConfig model = model(s.child("model"), name, s);
        if (id == null) {
            return Optional.empty();
        }
        return Optional.of(new SeatConfig(id, name, irc, matrix, model, systemPrompt, budget));
    }


    private ModelConfig model(Node m, String seatName, Node seat) {
        String provider;
        if (!m.isSet("provider")) {
            // Said about the seat when it has no model block at all: that is what is missing.
            if (seat.ownHas("model")) {
                m.missing("provider", String.join(", ", ConfigLoader.PROVIDERS));
            } else {
                seat.missing("model", "the model this seat talks with, such as model { provider = openai, "
                        + "model = \"gpt-4o-mini\", api-key-env = OPENAI_API_KEY }");
            }
            provider = "";
        } else {
            provider = m.text("provider");
        }
        Optional<Providers.Provider> known = Providers.of(provider);
        if (!provider.isEmpty() && known.isEmpty()) {
            m.problem("provider", "unknown provider \"" + provider + "\" (known: " + String.join(", ", ConfigLoader.PROVIDERS) + ")");
        }
        String model = m.optString("model").orElse("");
        if (model.isBlank() && known.isPresent()) {
            if (known.get().needsModelId()) {
                m.missing("model", "the " + provider + " model id, such as \"" + known.get().exampleModel().get()
                        + "\"");
            } else {
                // A provider without model ids (replay) is named by its provider in logs and transcripts.
                model = provider;
            }
        }
        Optional<String> baseUrl = Values.httpUrl(m, "base-url", false);
        Optional<Secret> apiKey = values.secret(m, "api-key");
        Map<String, String> headers = m.stringMap("headers");
        for (Map.Entry<String, String> h : headers.entrySet()) {
            // Checked here so that a bad header is a config error, not an HTTP client exception mid-conversation.
            if (!Values.HEADER_NAME.matcher(h.getKey()).matches()) {
                m.problem("headers", "not a valid HTTP header name: \"" + h.getKey() + "\"");
            } else if (h.getValue().chars().anyMatch(ch -> ch < 0x20 && ch != '\t' || ch == 0x7f)) {
                m.problem("headers", "the value of header \"" + h.getKey() + "\" contains a control character");
            }
        }
        Optional<Double> temperature = m.optNumber("temperature", 0, 2);
        Optional<Double> topP = m.optNumber("top-p", 0, 1);
        int maxTokens = m.integer("max-tokens", 0, 1_000_000);
        Optional<Long> seed = m.optLong("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        List<String> stop = m.strings("stop");
        Map<String, Object> extraBody = m.anyMap("extra-body");

        Node t = m.child("timeouts");
        ModelConfig.Timeouts timeouts = new ModelConfig.Timeouts(Values.positive(t, "connect"), Values.positive(t, "first-token"),
                Values.positive(t, "reply"));

        Node r = m.child("retry");
        int attempts = r.integer("max-attempts", 1, 100);
        Optional<Duration> baseSet = r.requiredDuration("base-delay", Duration.ZERO);
        Optional<Duration> maxSet = r.requiredDuration("max-delay", Duration.ZERO);
        Duration base = baseSet.orElse(Duration.ZERO);
        Duration max = maxSet.orElse(Duration.ZERO);
        if (baseSet.isPresent() && maxSet.isPresent() && base.compareTo(max) > 0) {
            r.problems().add(Values.userOrigin(r, "base-delay", "max-delay"), r.path(),
                    "base-delay " + Durations.format(base) + " is longer than max-delay " + Durations.format(max));
        }
        ModelConfig.Retry retry = new ModelConfig.Retry(attempts, base, max);

        Optional<ModelConfig.Price> price = Optional.empty();
        if (m.isSet("price")) {
            Node p = m.child("price");
            price = Optional.of(new ModelConfig.Price(p.number("input-per-million", 0, Bounds.DOLLARS),
                    p.number("output-per-million", 0, Bounds.DOLLARS)));
        }
        boolean promptCaching = m.bool("prompt-caching");
        String anthropicVersion = m.text("anthropic-version");

        // The replay provider's own block: the transcript it says the lines of.
        boolean replay = "replay".equals(provider);
        Node rp = m.child("replay");
        Optional<String> transcript = rp.optString("transcript");
        Optional<String> speaker = rp.optString("speaker");
        double cps = rp.number("chars-per-second", 0, Bounds.RATE);
        Optional<ModelConfig.Replay> replayConfig = Optional.empty();
        if (replay) {
            if (transcript.isEmpty() || transcript.get().isBlank()) {
                rp.missing("transcript", "the dialogue to replay: \"classpath:dialogues/x.md\" or a file path");
            } else if (!transcript.get().startsWith("classpath:") && !Values.readableFile(transcript.get())) {
                rp.problem("transcript", "cannot read transcript file \"" + transcript.get() + "\"");
            } else {
                replayCheck.problem(new ModelConfig.Replay(transcript.get(), speaker.orElse(seatName), cps))
                        .ifPresent(why -> rp.problem("speaker", why));
            }
            replayConfig = Optional.of(new ModelConfig.Replay(transcript.orElse(""), speaker.orElse(seatName), cps));
        }
        return new ModelConfig(provider, model, baseUrl, apiKey, headers, temperature, topP, maxTokens, seed, stop,
                extraBody, timeouts, retry, price, promptCaching, anthropicVersion, replayConfig);
    }
}
