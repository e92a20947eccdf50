package dev.parley.config;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValueFactory;
import dev.parley.core.SeatId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Renders the effective configuration (after defaults) as HOCON, for {@code parley check}: what parley will
 * actually do, key by key. Secrets are never printed: a secret shows as the variable or file it came from,
 * so the output can be pasted into a bug report, and loaded again with the same environment.
 */
public final class ConfigPrinter {
    private static final Pattern BARE_KEY = Pattern.compile("[A-Za-z0-9_-]+");

    private static final java.util.regex.Pattern SECRET_HEADER =
            java.util.regex.Pattern.compile("(?i)auth|key|token|secret|cookie|password|signature|session");
    private final StringBuilder out = new StringBuilder();
    private int depth;

    private ConfigPrinter() { }

    public static String print(ParleyConfig config) {
        ConfigPrinter p = new ConfigPrinter();
        p.config(config);
        return p.out.toString();
    }

    private void config(ParleyConfig c) {
        line("# Effective configuration loaded from " + c.origin() + " (defaults applied, secrets redacted).");
        value("transcripts-dir", c.transcriptsDir().toString());
        value("time-zone", c.timeZone().getId());
        open("http");
        raw("enabled", String.valueOf(c.http().enabled()));
        value("bind", c.http().bind());
        raw("port", String.valueOf(c.http().port()));
        raw("pseudonyms", String.valueOf(c.http().pseudonyms()));
        close();
        open("irc");
        open("networks");
        for (IrcNetworkConfig n : c.ircNetworks().values()) {
            open(key(n.name()));
            value("host", n.host());
            raw("port", String.valueOf(n.port()));
            raw("tls", String.valueOf(n.tls()));
            optional("trusted-certificate", n.trustedCertificate());
            secret("server-password", n.serverPassword());
            value("control-nick", n.controlNick());
            value("realname", n.realname());
            list("operator-accounts", n.operatorAccounts());
            list("operator-masks", n.operatorMasks());
            IrcOptions o = n.options();
            raw("line-delay", Durations.format(o.lineDelay()));
            raw("burst", String.valueOf(o.burst()));
            raw("max-lines", String.valueOf(o.maxLines()));
            raw("overflow", Node.kebab(o.overflow()));
            value("cut-marker", o.cutMarker());
            raw("formatting", String.valueOf(o.formatting()));
            raw("actions", String.valueOf(o.actions()));
            raw("direct-messages", String.valueOf(o.directMessages()));
            raw("reconnect-min", Durations.format(o.reconnectMin()));
            raw("reconnect-max", Durations.format(o.reconnectMax()));
            raw("nick-retry", Durations.format(o.nickRetry()));
            raw("ping-interval", Durations.format(o.pingInterval()));
            close();
        }
        close();
        close();
        open("matrix");
        open("servers");
        for (MatrixServerConfig s : c.matrixServers().values()) {
            open(key(s.name()));
            value("homeserver-url", s.homeserverUrl());
            value("control-user", s.controlUser());
            raw("mode", Node.kebab(s.mode()));
            secret("control-token", s.controlToken());
            secret("control-password", s.controlPassword());
            list("operators", s.operators());
            raw("operator-power-level", s.operatorPowerLevel().isPresent()
                    ? String.valueOf(s.operatorPowerLevel().getAsInt()) : "null");
            if (s.appservice().isPresent()) {
                open("appservice");
                value("registration-file", s.appservice().get().registrationFile().toString());
                value("id", s.appservice().get().id());
                optional("user-namespace", s.appservice().get().userNamespace());
                close();
            }
            close();
        }
        close();
        close();
        line("conversations = [");
        depth++;
        for (ConversationConfig conv : c.conversations()) {
            conversation(conv);
        }
        depth--;
        line("]");
    }

    private void conversation(ConversationConfig c) {
        line("{");
        depth++;
        value("id", c.id());
        raw("turn-policy", Node.kebab(c.turnPolicy()));
        optional("opening-line", c.openingLine());
        raw("auto-start", String.valueOf(c.autoStart()));
        if (c.hosting().cast().isEmpty()) {
            raw("cast", "null");
        } else {
            list("cast", c.hosting().cast().stream().map(SeatId::value).toList());
        }
        HostingConfig hosting = c.hosting();
        open("episodes");
        raw("after-end", Node.kebab(hosting.afterEnd()));
        raw("cool-down", Durations.format(hosting.coolDown()));
        raw("max", String.valueOf(hosting.maxEpisodes()));
        list("windows", hosting.windows().stream().map(TimeWindow::toString).toList());
        raw("next-cast", Node.kebab(hosting.nextCast()));
        close();
        line("seats = [");
        depth++;
        for (SeatConfig s : c.seats()) {
            seat(s);
        }
        depth--;
        line("]");
        line("rooms = [");
        depth++;
        for (RoomConfig r : c.rooms()) {
            room(r);
        }
        depth--;
        line("]");

        PacingConfig p = c.pacing();
        open("pacing");
        raw("min-delay", Durations.format(p.minDelay()));
        raw("max-delay", Durations.format(p.maxDelay()));
        raw("typing-chars-per-second", number(p.typingCharsPerSecond()));
        raw("typing-max", Durations.format(p.typingMax()));
        raw("show-typing", String.valueOf(p.showTyping()));
        close();

        StopConfig s = c.stop();
        open("stop");
        raw("max-turns", String.valueOf(s.maxTurns()));
        raw("max-duration", Durations.format(s.maxDuration()));
        value("end-token", s.endToken());
        raw("end-token-min-turns", String.valueOf(s.endTokenMinTurns()));
        raw("max-consecutive-failures", String.valueOf(s.maxConsecutiveFailures()));
        raw("max-tokens", String.valueOf(s.maxTokens()));
        raw("max-cost", s.maxCost().map(ConfigPrinter::number).orElse("null"));
        close();

        HealthConfig h = c.health();
        open("health");
        raw("enabled", String.valueOf(h.enabled()));
        raw("action", Node.kebab(h.action()));
        raw("window", String.valueOf(h.window()));
        raw("min-new-words", String.valueOf(h.minNewWords()));
        raw("empty-messages", String.valueOf(h.emptyMessages()));
        raw("similarity", number(h.similarity()));
        raw("repeats", String.valueOf(h.repeats()));
        raw("template-min-words", String.valueOf(h.templateMinWords()));
        raw("template-messages", String.valueOf(h.templateMessages()));
        raw("template-sameness", number(h.templateSameness()));
        raw("stale-messages", String.valueOf(h.staleMessages()));
        raw("stale-share", number(h.staleShare()));
        raw("rapture-messages", String.valueOf(h.raptureMessages()));
        raw("rapture-share", number(h.raptureShare()));
        close();

        ContextConfig x = c.context();
        open("context");
        raw("room-preamble", String.valueOf(x.roomPreamble()));
        value("aside-prefix", x.asidePrefix());
        raw("chars-per-token", number(x.charsPerToken()));
        close();

        ReplyConfig r = c.replies();
        open("replies");
        raw("on-failure", Node.kebab(r.onFailure()));
        raw("empty-reply", Node.kebab(r.emptyReply()));
        raw("stream-cut", Node.kebab(r.streamCut()));
        raw("stream-paragraphs", String.valueOf(r.streamParagraphs()));
        close();

        moderation(c.moderation());

        open("commands");
        value("prefix", c.commands().prefix());
        raw("private-messages", String.valueOf(c.commands().privateMessages()));
        close();
        open("web");
        raw("private", String.valueOf(c.web().hidden()));
        raw("indexable", String.valueOf(c.web().indexable()));
        close();
        depth--;
        line("}");
    }

    private void moderation(ModerationConfig m) {
        open("moderation");
        raw("enabled", String.valueOf(m.enabled()));
        list("lists", m.lists().stream().map(ModerationConfig.WordList::file).toList());
        raw("leetspeak", String.valueOf(m.leetspeak()));
        open("limits");
        raw("max-chars", String.valueOf(m.limits().maxChars()));
        raw("max-lines", String.valueOf(m.limits().maxLines()));
        raw("max-links", String.valueOf(m.limits().maxLinks()));
        raw("max-mentions", String.valueOf(m.limits().maxMentions()));
        close();
        raw("on-hit", Node.kebab(m.onHit()));
        raw("mute-after", String.valueOf(m.muteAfter()));
        raw("humans", Node.kebab(m.humans()));
        if (m.api().isPresent()) {
            ModerationConfig.Api a = m.api().get();
            open("api");
            value("url", a.url());
            value("model", a.model());
            secret("key", a.key());
            map("categories", a.thresholds());
            raw("timeout", Durations.format(a.timeout()));
            raw("when-down", Node.kebab(a.whenDown()));
            close();
        }
        close();
    }

    private void seat(SeatConfig s) {
        line("{");
        depth++;
        value("id", s.id().value());
        value("name", s.name());
        value("system-prompt", s.systemPrompt());
        raw("context-budget-tokens", String.valueOf(s.contextBudgetTokens()));
        if (s.irc().isPresent()) {
            open("irc");
            value("nick", s.irc().get().nick());
            secret("password", s.irc().get().password());
            close();
        }
        if (s.matrix().isPresent()) {
            open("matrix");
            value("user", s.matrix().get().userId());
            secret("access-token", s.matrix().get().accessToken());
            secret("password", s.matrix().get().password());
            close();
        }
        ModelConfig m = s.model();
        open("model");
        value("provider", m.provider());
        value("model", m.model());
        optional("base-url", m.baseUrl());
        secret("api-key", m.apiKey());
        map("headers", redactedHeaders(m.headers()));
        raw("temperature", m.temperature().map(ConfigPrinter::number).orElse("null"));
        raw("top-p", m.topP().map(ConfigPrinter::number).orElse("null"));
        raw("max-tokens", String.valueOf(m.maxTokens()));
        raw("seed", m.seed().map(String::valueOf).orElse("null"));
        list("stop", m.stop());
        map("extra-body", m.extraBody());
        open("timeouts");
        raw("connect", Durations.format(m.timeouts().connect()));
        raw("first-token", Durations.format(m.timeouts().firstToken()));
        raw("reply", Durations.format(m.timeouts().reply()));
        close();
        open("retry");
        raw("max-attempts", String.valueOf(m.retry().maxAttempts()));
        raw("base-delay", Durations.format(m.retry().baseDelay()));
        raw("max-delay", Durations.format(m.retry().maxDelay()));
        close();
        if (m.price().isPresent()) {
            open("price");
            raw("input-per-million", number(m.price().get().inputPerMillion()));
            raw("output-per-million", number(m.price().get().outputPerMillion()));
            close();
        } else {
            raw("price", "null");
        }
        raw("prompt-caching", String.valueOf(m.promptCaching()));
        value("anthropic-version", m.anthropicVersion());
        if (m.replay().isPresent()) {
            open("replay");
            value("transcript", m.replay().get().transcript());
            value("speaker", m.replay().get().speaker());
            raw("chars-per-second", number(m.replay().get().charsPerSecond()));
            close();
        }
        close();
        depth--;
        line("}");
    }

    private void room(RoomConfig r) {
        if (r instanceof RoomConfig.Terminal) {
            RoomConfig.Terminal t = (RoomConfig.Terminal) r;
            line("{ type = terminal, human-name = " + quote(t.humanName()) + ", colours = " + t.colours() + " }");
        } else if (r instanceof RoomConfig.Irc) {
            RoomConfig.Irc i = (RoomConfig.Irc) r;
            line("{");
            depth++;
            raw("type", "irc");
            value("network", i.network());
            value("channel", i.channel());
            secret("key", i.key());
            depth--;
            line("}");
        } else if (r instanceof RoomConfig.Matrix) {
            RoomConfig.Matrix m = (RoomConfig.Matrix) r;
            line("{ type = matrix, server = " + quote(m.server()) + ", room = " + quote(m.room()) + " }");
        }
    }

    /** A secret by where it came from ("env NAME" / "file PATH"); its value is never in the output. */
    private void secret(String base, Optional<Secret> secret) {
        if (secret.isEmpty()) {
            return;
        }
        String source = secret.get().source();
        if (source.startsWith("env ")) {
            line(base + "-env = " + quote(source.substring(4)) + "  # set; value redacted");
        } else if (source.startsWith("file ")) {
            line(base + "-file = " + quote(source.substring(5)) + "  # read; value redacted");
        } else {
            line("# " + base + ": " + secret.get());
        }
    }

    private void open(String key) {
        line(key + " {");
        depth++;
    }

    private void close() {
        depth--;
        line("}");
    }

    private void value(String key, String text) {
        raw(key, quote(text));
    }

    private void optional(String key, Optional<String> text) {
        raw(key, text.map(ConfigPrinter::quote).orElse("null"));
    }

    private void list(String key, List<String> items) {
        raw(key, ConfigValueFactory.fromIterable(items).render(ConfigRenderOptions.concise()));
    }

    /**
     * Headers are where gateways put their keys (Authorization, api-key, x-api-key, cookies): values of such
     * headers are never printed.
     */
    static Map<String, String> redactedHeaders(Map<String, String> headers) {
        Map<String, String> out = new java.util.TreeMap<>();
        headers.forEach((name, value) -> out.put(name,
                SECRET_HEADER.matcher(name).find() ? "<redacted>" : value));
        return out;
    }

    private void map(String key, Map<String, ?> map) {
        raw(key, ConfigValueFactory.fromMap(map).render(ConfigRenderOptions.concise()));
    }

    private void raw(String key, String rendered) {
        line(key + " = " + rendered);
    }

    private void line(String text) {
        out.append("  ".repeat(Math.max(0, depth))).append(text).append('\n');
    }

    private static String key(String name) {
        return BARE_KEY.matcher(name).matches() ? name : ConfigUtil.quoteString(name);
    }

    private static String quote(String s) {
        return ConfigUtil.quoteString(s);
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }
}
