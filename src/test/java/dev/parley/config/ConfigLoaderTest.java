package dev.parley.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.ConversationConfig.TurnPolicyKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static String withIdentities(String conf) {
        return conf.replace("name = \"Ada\",", "name = \"Ada\", irc.nick = Ada, matrix { user = \"@ada:localhost\", "
                + "access-token-env = TOKEN },").replace("{ id = basil,", "{ id = basil, irc.nick = Basil, matrix { user = "
                + "\"@basil:localhost\", access-token-env = TOKEN },");
    }

    private static final String TWO_SEATS = """
            conversations = [
              {
                id = talk
                seats = [
                  { id = ada, name = "Ada", model { provider = replay, replay.transcript = "classpath:d.md" } }
                  { id = basil, model { provider = replay, replay.transcript = "classpath:d.md" } }
                ]
                rooms = [ { type = terminal } ]
              }
            ]
            """;

    private static ParleyConfig load(String text) {
        return ConfigLoader.withEnvironment(Map.of()).load(text, "conf/x.conf");
    }

    private static List<String> problems(String text) {
        return problems(ConfigLoader.withEnvironment(Map.of()), text);
    }

    private static List<String> problems(ConfigLoader loader, String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(text, "conf/x.conf"));
        return e.problems().stream().map(ConfigProblem::format).collect(Collectors.toList());
    }

    /** The minimal two-seat config with {@code extra} inserted into the conversation (line 8 onwards). */
    private static String conversationWith(String extra) {
        return TWO_SEATS.replace("    rooms = [ { type = terminal } ]\n",
                "    rooms = [ { type = terminal } ]\n" + extra + "\n");
    }

    @Test
    void theBuiltInDemoLoads() {
        ParleyConfig c = ConfigLoader.withEnvironment(Map.of()).loadDefault();
        assertEquals(ConfigLoader.DEFAULT_RESOURCE, c.origin());
        assertEquals(Path.of("transcripts"), c.transcriptsDir());
        ConversationConfig demo = c.conversations().get(0);
        assertEquals("demo", demo.id());
        assertEquals(List.of("Ada", "Basil"), demo.seats().stream().map(SeatConfig::name).collect(Collectors.toList()));
        for (SeatConfig s : demo.seats()) {
            assertEquals("replay", s.model().provider());
            assertEquals("classpath:dialogues/demo.md", s.model().replay().orElseThrow().transcript());
            assertEquals(s.name(), s.model().replay().orElseThrow().speaker());
        }
        assertEquals(List.of(new RoomConfig.Terminal("you", false)), demo.rooms());
        assertEquals(Duration.ofMillis(1500), demo.pacing().minDelay());
        assertEquals(Duration.ofSeconds(3), demo.pacing().maxDelay());
        assertTrue(demo.pacing().showTyping());
        assertEquals(40, demo.stop().maxTurns());
    }

    @Test
    void theSampleConfigInConfLoadsWithItsSecretsFromTheEnvironment() {
        Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-openai", "ANTHROPIC_API_KEY", "sk-ant",
                "PARLEY_MATRIX_TOKEN", "syt-parley", "KIMI_MATRIX_TOKEN", "syt-kimi", "CLAUDE_MATRIX_TOKEN", "syt-claude",
                "PARLEY_TRANSCRIPTS", "/var/lib/parley");
        ParleyConfig c = ConfigLoader.withEnvironment(env).load(Path.of("conf/parley.conf"));
        assertEquals(Path.of("/var/lib/parley"), c.transcriptsDir());
        ConversationConfig salon = c.conversations().get(0);
        SeatConfig kimi = salon.seats().get(0);
        assertEquals("sk-openai", kimi.model().apiKey().orElseThrow().reveal());
        assertEquals("Kimi", kimi.irc().orElseThrow().nick());
        assertEquals("syt-kimi", kimi.matrix().orElseThrow().accessToken().orElseThrow().reveal());
        assertEquals(Map.of("X-Title", "parley"), kimi.model().headers());
        assertEquals(Optional.of(0.8), kimi.model().temperature());
        assertEquals("sk-ant", salon.seats().get(1).model().apiKey().orElseThrow().reveal());
        assertTrue(salon.seats().get(1).model().promptCaching());
        assertEquals(6667, c.ircNetworks().get("local").port());
        assertEquals(List.of("*!*@127.0.0.1"), c.ircNetworks().get("local").operatorMasks());
        assertEquals("syt-parley", c.matrixServers().get("local").controlToken().orElseThrow().reveal());
        assertEquals(List.of(new RoomConfig.Irc("local", "#parley", Optional.empty()),
                new RoomConfig.Matrix("local", "#parley:localhost")), salon.rooms());
        assertEquals(Optional.of(1.0), salon.stop().maxCost());
    }

    @Test
    void everyMissingSecretOfTheSampleIsNamedWithItsKeyAndVariable() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.withEnvironment(Map.of("OPENAI_API_KEY", "sk-openai"))
                        .load(Path.of("conf/parley.conf")));
        List<String> messages = e.problems().stream().map(p -> p.path() + ": " + p.message())
                .collect(Collectors.toList());
        assertEquals(List.of(
                "matrix.servers.local.control-token-env: environment variable PARLEY_MATRIX_TOKEN is not set",
                "conversations.0.seats.0.matrix.access-token-env: environment variable KIMI_MATRIX_TOKEN is not set",
                "conversations.0.seats.1.matrix.access-token-env: environment variable CLAUDE_MATRIX_TOKEN is not set",
                "conversations.0.seats.1.model.api-key-env: environment variable ANTHROPIC_API_KEY is not set"),
                messages);
        assertTrue(e.problems().stream().allMatch(p -> p.file().equals("conf/parley.conf") && p.line() > 0));
        assertFalse(e.getMessage().contains("sk-openai"));
    }

    @Test
    void defaultsFillEverythingNotWritten() {
        ParleyConfig c = load(TWO_SEATS);
        assertEquals("conf/x.conf", c.origin());
        assertEquals("UTC", c.timeZone().getId());
        ConversationConfig conv = c.conversations().get(0);
        assertEquals(TurnPolicyKind.ROUND_ROBIN, conv.turnPolicy());
        assertEquals(Optional.empty(), conv.openingLine());
        assertTrue(conv.autoStart());
        assertEquals(new PacingConfig(Duration.ofSeconds(2), Duration.ofSeconds(5), 30, Duration.ofSeconds(6), true),
                conv.pacing());
        assertEquals(new StopConfig(40, Duration.ofMinutes(30), "^C^C", 4, 3, 0, Optional.empty()), conv.stop());
        assertEquals(new HealthConfig(true, HealthConfig.Action.STOP, 8, 2, 6, 0.8, 3, 20, 5, 0.68, 4, 0.1, 6, 0.04, 6, 0.2), conv.health());
        assertEquals(new ContextConfig(true, "//", 4.0), conv.context());
        assertEquals(new ReplyConfig(ReplyConfig.OnFailure.SKIP, ReplyConfig.EmptyReply.RETRY_THEN_SKIP,
                ReplyConfig.StreamCut.RETRY, true), conv.replies());
        assertEquals(new CommandConfig("!", false), conv.commands());

        SeatConfig basil = conv.seats().get(1);
        assertEquals("basil", basil.name(), "the name defaults to the id");
        assertEquals(Optional.empty(), basil.irc());
        assertEquals(Optional.empty(), basil.matrix());
        assertEquals(6000, basil.contextBudgetTokens());
        ModelConfig m = basil.model();
        assertEquals(512, m.maxTokens());
        assertEquals(new ModelConfig.Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofSeconds(120)), m.timeouts());
        assertEquals(new ModelConfig.Retry(4, Duration.ofSeconds(1), Duration.ofSeconds(30)), m.retry());
        assertEquals(Optional.empty(), m.price());
        assertEquals(Optional.empty(), m.temperature());
        assertEquals("2023-06-01", m.anthropicVersion());
        assertEquals(new ModelConfig.Replay("classpath:d.md", "basil", 0), m.replay().orElseThrow());
    }

    @Test
    void seatDefaultsInTheFileApplyToEverySeat() {
        ParleyConfig c = load("seat-defaults { context-budget-tokens = 900, model.max-tokens = 64 }\n" + TWO_SEATS);
        for (SeatConfig s : c.conversations().get(0).seats()) {
            assertEquals(900, s.contextBudgetTokens());
            assertEquals(64, s.model().maxTokens());
        }
    }

    @Test
    void aMisspeltKeyInSeatDefaultsIsReportedOnce() {
        assertEquals(List.of("conf/x.conf:1: seat-defaults.model.max-tokns: unknown key (did you mean \"max-tokens\"?)"),
                problems("seat-defaults { model.max-tokns = 64 }\n" + TWO_SEATS));
    }

    @Test
    void anUnknownKeyIsAnErrorWithASuggestion() {
        String text = TWO_SEATS.replace("{ id = basil, model", "{ id = basil, modle { }, model");
        assertEquals(List.of("conf/x.conf:6: conversations.0.seats.1.modle: unknown key (did you mean \"model\"?)"),
                problems(text));
    }

    @Test
    void anUnknownKeyFarFromAnyKnownOneListsTheKnownKeys() {
        List<String> p = problems(conversationWith("    pacing { zzzzzz = 1 }"));
        assertEquals(List.of("conf/x.conf:9: conversations.0.pacing.zzzzzz: unknown key (known here: min-delay, "
                + "max-delay, typing-chars-per-second, typing-max, show-typing)"), p);
    }

    @Test
    void anUnknownTopLevelKeyIsAnError() {
        assertEquals(List.of("conf/x.conf:1: transcript-dir: unknown key (did you mean \"transcripts-dir\"?)"),
                problems("transcript-dir = \"t\"\n" + TWO_SEATS));
    }

    @Test
    void anUnknownProviderListsTheKnownOnes() {
        String text = TWO_SEATS.replace("{ id = basil, model { provider = replay", "{ id = basil, model { provider = opnai");
        assertEquals(List.of("conf/x.conf:6: conversations.0.seats.1.model.provider: unknown provider \"opnai\" "
                + "(known: openai, anthropic, replay)"), problems(text));
    }

    @Test
    void wrongTypesAreNamed() {
        assertEquals(List.of(
                "conf/x.conf:9: conversations.0.stop.max-turns: expected a whole number, got \"many\"",
                "conf/x.conf:10: conversations.0.pacing.show-typing: expected true or false, got 3",
                "conf/x.conf:11: conversations.0.health.similarity: expected a number, got a list"),
                problems(conversationWith("""
                            stop { max-turns = many }
                            pacing { show-typing = 3 }
                            health { similarity = [1] }""")));
    }

    @Test
    void badDurationsAreNamed() {
        assertEquals(List.of(
                "conf/x.conf:9: conversations.0.pacing.min-delay: expected a duration such as 500ms, 2s or 5m, got \"fast\"",
                "conf/x.conf:10: conversations.0.stop.max-duration: give a duration with a unit, such as 30s or 30ms, "
                        + "got the bare number 30"),
                problems(conversationWith("""
                            pacing { min-delay = fast }
                            stop { max-duration = 30 }""")));
    }

    @Test
    void badEnumValuesListTheChoices() {
        assertEquals(List.of(
                "conf/x.conf:9: conversations.0.turn-policy: unknown turn-policy \"round-robbin\" "
                        + "(known: round-robin, random, addressed, manual)",
                "conf/x.conf:10: conversations.0.health.action: unknown action \"explode\" (known: stop, pause, notice)"),
                problems(conversationWith("""
                            turn-policy = round-robbin
                            health.action = explode""")));
    }

    @Test
    void outOfRangeNumbersAndInconsistentPacingAreErrors() {
        assertEquals(List.of(
                "conf/x.conf:9: conversations.0.pacing: min-delay 5s is longer than max-delay 2s",
                "conf/x.conf:10: conversations.0.stop.max-turns: must be between 0 and 1000000, got -1",
                "conf/x.conf:11: conversations.0.health.similarity: must be between 0.01 and 1, got 1.5"),
                problems(conversationWith("""
                            pacing { min-delay = 5s, max-delay = 2s }
                            stop.max-turns = -1
                            health.similarity = 1.5""")));
    }

    @Test
    void theStaleAndRaptureThresholdsAreCheckedLikeTheOthers() {
        assertEquals(List.of(
                "conf/x.conf:9: conversations.0.health.stale-messages: must be between 1 and 1000, got 0",
                "conf/x.conf:10: conversations.0.health.rapture-share: must be between 0.001 and 1, got 1.5"),
                problems(conversationWith("""
                            health.stale-messages = 0
                            health.rapture-share = 1.5""")));
    }

    @Test
    void theFormulaThresholdsAreCheckedLikeTheOthers() {
        assertEquals(List.of(
                "conf/x.conf:9: conversations.0.health.formula-messages: must be between 3 and 1000, got 2",
                "conf/x.conf:10: conversations.0.health.formula-restated: must be between 0 and 1, got -0.1"),
                problems(conversationWith("""
                            health.formula-messages = 2
                            health.formula-restated = -0.1""")));
    }

    @Test
    void aMissingRequiredKeyIsNamed() {
        String text = TWO_SEATS.replace("{ id = basil, model", "{ name = Basil, model");
        assertEquals(List.of("conf/x.conf:6: conversations.0.seats.1: missing required key \"id\""), problems(text));
    }

    @Test
    void aModelIdIsRequiredForRealProviders() {
        String text = TWO_SEATS.replace("{ id = basil, model { provider = replay", "{ id = basil, model { provider = anthropic");
        assertEquals(List.of("conf/x.conf:6: conversations.0.seats.1.model: missing required key \"model\" "
                + "(the anthropic model id, such as \"claude-sonnet-4-5\")"), problems(text));
    }

    @Test
    void duplicateSeatIdsAreAnError() {
        String text = TWO_SEATS.replace("{ id = basil,", "{ id = ada, name = Basil,");
        assertEquals(List.of("conf/x.conf:6: conversations.0.seats.1.id: duplicate seat id \"ada\" in conversation \"talk\""),
                problems(text));
    }

    @Test
    void aConversationNeedsTwoSeats() {
        String text = TWO_SEATS.replaceAll("(?m)^.*id = basil.*\\n", "");
        assertEquals(List.of("conf/x.conf:4: conversations.0.seats: a conversation needs at least 2 seats (found 1)"),
                problems(text));
    }

    @Test
    void aRoomMustNameADefinedNetworkOrServer() {
        String text = """
                irc.networks.libera { host = "irc.libera.chat", tls = true }
                matrix.servers.home { homeserver-url = "https://matrix.example.org", control-user = "@p:example.org", mode = appservice, appservice.registration-file = reg.yaml }
                """ + TWO_SEATS.replace("rooms = [ { type = terminal } ]", """
                rooms = [
                      { type = irc, network = lbera, channel = "#parley" }
                      { type = matrix, server = work, room = "#parley:example.org" }
                    ]""");
        assertEquals(List.of(
                "conf/x.conf:11: conversations.0.rooms.0.network: unknown irc network \"lbera\" "
                        + "(did you mean \"libera\"? defined: libera)",
                "conf/x.conf:12: conversations.0.rooms.1.server: unknown matrix server \"work\" (defined: home)"),
                problems(text));
    }

    @Test
    void matrixRoomsAreAliasesOrRoomIdsOfAnyRoomVersion() {
        String server = "matrix.servers.home { homeserver-url = \"http://127.0.0.1:8008\", "
                + "control-user = \"@p:localhost\", control-token-env = TOKEN }\n";
        for (String room : List.of("#parley:localhost", "!abc:localhost", "!Xy3_opaque-v12-id")) {
            ParleyConfig c = ConfigLoader.withEnvironment(Map.of("TOKEN", "t")).load(server
                    + withIdentities(TWO_SEATS).replace("{ type = terminal }", "{ type = matrix, room = \"" + room + "\" }"), "conf/x.conf");
            assertEquals(new RoomConfig.Matrix("home", room), c.conversations().get(0).rooms().get(0));
        }
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () ->
                ConfigLoader.withEnvironment(Map.of("TOKEN", "t")).load(server + withIdentities(TWO_SEATS)
                        .replace("{ type = terminal }", "{ type = matrix, room = parley }"), "conf/x.conf"));
        assertEquals(List.of("conf/x.conf:9: conversations.0.rooms.0.room: expected a Matrix room alias or id such as "
                + "\"#parley:example.org\" or \"!abc:example.org\", got \"parley\""),
                e.problems().stream().map(ConfigProblem::format).toList());
    }

    @Test
    void aSeatShownOnANetworkNeedsItsOwnIdentityThere() {
        String text = "irc.networks.libera { host = \"irc.libera.chat\", tls = true }\n"
                + TWO_SEATS.replace("{ type = terminal }", "{ type = irc, channel = \"#parley\" }")
                        .replace("{ id = basil,", "{ id = basil, irc.nick = Basil,");
        assertEquals(List.of("conf/x.conf:6: conversations.0.seats.0: the conversation is shown on irc network "
                + "\"libera\": the seat needs irc { nick = ... }"), problems(text));
    }

    @Test
    void aRoomMayLeaveOutTheNetworkWhenThereIsOnlyOne() {
        String text = "irc.networks.libera { host = \"irc.libera.chat\", tls = true }\n"
                + withIdentities(TWO_SEATS).replace("{ type = terminal }", "{ type = irc, channel = \"#parley\" }");
        ParleyConfig c = ConfigLoader.withEnvironment(Map.of("TOKEN", "t")).load(text, "conf/x.conf");
        assertEquals(new RoomConfig.Irc("libera", "#parley", Optional.empty()), c.conversations().get(0).rooms().get(0));
        assertEquals(6697, c.ircNetworks().get("libera").port(), "the TLS port is the default with tls = true");
        assertEquals("parley", c.ircNetworks().get("libera").controlNick());
    }

    @Test
    void anIrcRoomWithoutAnyNetworkSaysWhereToDefineOne() {
        String text = TWO_SEATS.replace("{ type = terminal }", "{ type = irc, channel = \"#parley\" }");
        assertEquals(List.of("conf/x.conf:8: conversations.0.rooms.0: missing required key \"network\" "
                + "(no irc networks are defined; add one under irc.networks)"), problems(text));
    }

    @Test
    void manyProblemsAreReportedTogetherInFileOrder() {
        String text = "time-zone = \"Mars/Olympus\"\n" + TWO_SEATS
                .replace("{ id = ada, name = \"Ada\", model { provider = replay",
                        "{ id = ada, name = \"Ada\", model { provider = replay, temperature = 3")
                .replace("{ id = basil, model { provider = replay", "{ id = basil, model { provider = opnai")
                .replace("{ type = terminal }", "{ type = telnet }");
        List<String> p = problems(text);
        assertEquals(List.of(
                "conf/x.conf:1: time-zone: unknown time zone \"Mars/Olympus\" (use an IANA zone id such as "
                        + "\"Europe/Paris\" or \"UTC\")",
                "conf/x.conf:6: conversations.0.seats.0.model.temperature: must be between 0 and 2, got 3",
                "conf/x.conf:7: conversations.0.seats.1.model.provider: unknown provider \"opnai\" "
                        + "(known: openai, anthropic, replay)",
                "conf/x.conf:9: conversations.0.rooms.0.type: unknown room type \"telnet\" (known: terminal, irc, matrix)"),
                p);
        ConfigException e = assertThrows(ConfigException.class, () -> load(text));
        assertEquals(p.stream().map(line -> "  " + line).collect(Collectors.joining(System.lineSeparator())),
                e.getMessage(), "the message is the problems, one a line");
    }

    @Test
    void aSyntaxErrorIsLocated() {
        assertEquals(List.of("conf/x.conf:2: List should have ] or a first element after the open [, instead had "
                + "token: end of file (if you want end of file to be part of a string value, then double-quote it)"),
                problems("a = 1\nconversations = ["));
    }

    @Test
    void anUnresolvableSubstitutionIsLocated() {
        assertEquals(List.of("conf/x.conf:1: Could not resolve substitution to a value: ${NOPE} "
                + "(no such key or environment variable; write ${?NAME} to make it optional)"),
                problems("time-zone = ${NOPE}\n" + TWO_SEATS));
    }

    @Test
    void substitutionsReadTheGivenEnvironment() {
        String text = "time-zone = UTC\ntime-zone = ${?PARLEY_TZ}\n" + TWO_SEATS;
        assertEquals("Europe/Paris",
                ConfigLoader.withEnvironment(Map.of("PARLEY_TZ", "Europe/Paris")).load(text, "x").timeZone().getId());
        assertEquals("UTC", ConfigLoader.withEnvironment(Map.of()).load(text, "x").timeZone().getId());
    }

    @Test
    void aFileIsNamedAsGivenInProblems(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "conversations = []\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.withEnvironment(Map.of()).load(file));
        assertEquals(List.of(file + ":1: conversations: needs at least one conversation"),
                e.problems().stream().map(ConfigProblem::format).collect(Collectors.toList()));
        ConfigException missing = assertThrows(ConfigException.class,
                () -> ConfigLoader.withEnvironment(Map.of()).load(dir.resolve("nope.conf")));
        assertEquals(dir.resolve("nope.conf") + ": no such file", missing.problems().get(0).format());
    }

    @Test
    void secretsComeFromTheNamedVariableOrFile(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("key");
        Files.writeString(keyFile, "sk-from-file\n");
        String text = TWO_SEATS
                .replace("{ id = ada, name = \"Ada\", model { provider = replay, replay.transcript = \"classpath:d.md\" }",
                        "{ id = ada, name = \"Ada\", model { provider = openai, model = m, api-key-env = MY_KEY }")
                .replace("{ id = basil, model { provider = replay, replay.transcript = \"classpath:d.md\" }",
                        "{ id = basil, model { provider = anthropic, model = m, api-key-file = \"" + keyFile + "\" }");
        ParleyConfig c = ConfigLoader.withEnvironment(Map.of("MY_KEY", "sk-from-env")).load(text, "x");
        Secret fromEnv = c.conversations().get(0).seats().get(0).model().apiKey().orElseThrow();
        Secret fromFile = c.conversations().get(0).seats().get(1).model().apiKey().orElseThrow();
        assertEquals("sk-from-env", fromEnv.reveal());
        assertEquals("env MY_KEY", fromEnv.source());
        assertEquals("<redacted from env MY_KEY>", fromEnv.toString());
        assertEquals("sk-from-file", fromFile.reveal(), "the trailing newline of the file is not part of the key");
        assertFalse(c.toString().contains("sk-from"), "records print secrets redacted");

        List<String> p = problems(ConfigLoader.withEnvironment(Map.of("MY_KEY", " ")), text.replace(keyFile.toString(),
                dir.resolve("missing").toString()));
        assertEquals(List.of(
                "conf/x.conf:5: conversations.0.seats.0.model.api-key-env: environment variable MY_KEY is empty",
                "conf/x.conf:6: conversations.0.seats.1.model.api-key-file: cannot read secret file \""
                        + dir.resolve("missing") + "\" (NoSuchFileException)"), p);
    }

    @Test
    void aSecretWrittenInPlaceOfAVariableNameIsNotEchoed() {
        String text = TWO_SEATS.replace("{ id = ada, name = \"Ada\", model { provider = replay,",
                "{ id = ada, name = \"Ada\", model { provider = replay, api-key-env = \"sk-proj-abcdef0123456789\",");
        List<String> p = problems(text);
        assertEquals(1, p.size());
        assertFalse(p.get(0).contains("sk-proj"), p.get(0));
        assertEquals("conf/x.conf:5: conversations.0.seats.0.model.api-key-env: expected the NAME of an environment "
                + "variable (such as OPENAI_API_KEY), got something else (not shown, in case it is the secret itself)",
                p.get(0));
    }

    @Test
    void seatIdentitiesArePresentOnlyWhereGiven() {
        String text = """
                irc.networks.local.host = "127.0.0.1"
                """ + TWO_SEATS.replace("{ id = ada, name = \"Ada\",",
                "{ id = ada, name = \"Ada\", irc.nick = Ada, matrix { user = \"@ada:localhost\", password-env = PW },");
        ParleyConfig c = ConfigLoader.withEnvironment(Map.of("PW", "hunter2")).load(text, "x");
        SeatConfig ada = c.conversations().get(0).seats().get(0);
        assertEquals(new IrcIdentity("Ada", Optional.empty()), ada.irc().orElseThrow());
        assertEquals("@ada:localhost", ada.matrix().orElseThrow().userId());
        assertEquals("hunter2", ada.matrix().orElseThrow().password().orElseThrow().reveal());
        assertEquals(Optional.empty(), ada.matrix().orElseThrow().accessToken());
        assertEquals(Optional.empty(), c.conversations().get(0).seats().get(1).irc());
    }

    @Test
    void clashingNicksAndBadIdentitiesAreErrors() {
        String text = """
                irc.networks.local.host = "127.0.0.1"
                """ + TWO_SEATS
                .replace("{ id = ada, name = \"Ada\",", "{ id = ada, name = \"Ada\", irc.nick = parley, matrix.user = ada,")
                .replace("{ id = basil,", "{ id = basil, irc.nick = \"9lives\",")
                .replace("{ type = terminal }", "{ type = irc, channel = \"parley\" }");
        assertEquals(List.of(
                "conf/x.conf:6: conversations.0.seats.0.matrix.user: expected a Matrix user id such as "
                        + "\"@ada:example.org\", got \"ada\"",
                "conf/x.conf:6: conversations.0.seats.0.irc.nick: nick \"parley\" is the control nick of network \"local\"",
                "conf/x.conf:7: conversations.0.seats.1.irc.nick: not a valid IRC nick: \"9lives\" (letters, digits and "
                        + "[]\\`_^{|}-, not starting with a digit or '-', at most 30 characters)",
                "conf/x.conf:9: conversations.0.rooms.0.channel: expected an IRC channel such as \"#parley\", got \"parley\""),
                problems(text));
    }

    @Test
    void coloursAutoLooksAtTheConsoleAndTerm() {
        assertTrue(new ConfigLoader(Map.of("TERM", "xterm-256color"), () -> true).load(TWO_SEATS, "x")
                .conversations().get(0).rooms().contains(new RoomConfig.Terminal("you", true)));
        assertTrue(new ConfigLoader(Map.of("TERM", "dumb"), () -> true).load(TWO_SEATS, "x")
                .conversations().get(0).rooms().contains(new RoomConfig.Terminal("you", false)));
        assertTrue(new ConfigLoader(Map.of("TERM", "xterm", "NO_COLOR", "1"), () -> true).load(TWO_SEATS, "x")
                .conversations().get(0).rooms().contains(new RoomConfig.Terminal("you", false)));
        assertTrue(new ConfigLoader(Map.of("TERM", "xterm"), () -> false).load(TWO_SEATS, "x")
                .conversations().get(0).rooms().contains(new RoomConfig.Terminal("you", false)));
        assertTrue(new ConfigLoader(Map.of(), () -> false)
                .load(TWO_SEATS.replace("{ type = terminal }", "{ type = terminal, colours = true }"), "x")
                .conversations().get(0).rooms().contains(new RoomConfig.Terminal("you", true)));
    }

    @Test
    void conversationIdsAndRoomsAreNotShared() {
        String second = TWO_SEATS.replace("conversations = [", "conversations = ${conversations} [");
        assertEquals(List.of(
                "conf/x.conf:12: conversations.1.id: duplicate conversation id \"talk\"",
                "conf/x.conf:12: conversations.1.rooms: only one conversation can use the terminal room "
                        + "(\"talk\" already does)"),
                problems(TWO_SEATS + second));
    }

    @Test
    void unknownKeysInRoomsAndNetworksAreFound() {
        String text = """
                irc.networks.local { host = "127.0.0.1", prot = 6668 }
                irc.netwroks.other { host = "irc.example.org" }
                """ + TWO_SEATS.replace("{ type = terminal }", "{ type = terminal, channel = \"#x\" }");
        assertEquals(List.of(
                "conf/x.conf:1: irc.networks.local.prot: unknown key (did you mean \"port\"?)",
                "conf/x.conf:2: irc.netwroks: unknown key (did you mean \"networks\"?)",
                "conf/x.conf:10: conversations.0.rooms.0.channel: unknown key (known here: type, human-name, colours)"),
                problems(text));
    }

    @Test
    void aPriceNeedsBothItsKeys() {
        String text = TWO_SEATS.replace("{ id = basil, model { provider = replay,",
                "{ id = basil, model { provider = replay, price { input-per-million = 3 },");
        assertEquals(List.of("conf/x.conf:6: conversations.0.seats.1.model.price: missing required key "
                + "\"output-per-million\""), problems(text));
    }

    @Test
    void anEmptyOpeningLineMeansNone() {
        assertEquals(Optional.empty(), load(conversationWith("    opening-line = \"\""))
                .conversations().get(0).openingLine());
        assertEquals(Optional.of("Hello?"), load(conversationWith("    opening-line = \"Hello?\""))
                .conversations().get(0).openingLine());
    }

    @Test
    void networksAndServersNeedTheirAddressesAndIdentities() {
        String text = """
                irc.networks.local { port = 70000, operator-masks = ["alice"] }
                matrix.servers.home { homeserver-url = "matrix.example.org" }
                """ + TWO_SEATS;
        assertEquals(List.of(
                "conf/x.conf:1: irc.networks.local: missing required key \"host\"",
                "conf/x.conf:1: irc.networks.local.port: must be between 1 and 65535, got 70000",
                "conf/x.conf:1: irc.networks.local.operator-masks.0: expected a nick!user@host glob such as "
                        + "\"alice!*@*.example.org\", got \"alice\"",
                "conf/x.conf:2: matrix.servers.home.homeserver-url: expected an http:// or https:// URL, "
                        + "got \"matrix.example.org\"",
                "conf/x.conf:2: matrix.servers.home: missing required key \"control-user\"",
                "conf/x.conf:2: matrix.servers.home: the control user needs control-token-env (or -file) or "
                        + "control-password-env (or -file) in accounts mode"),
                problems(text));
    }

    @Test
    void urlsLoseTheirTrailingSlashAndHeadersAreChecked() {
        String text = """
                matrix.servers.home { homeserver-url = "https://matrix.example.org/", control-user = "@p:example.org", control-token-env = T }
                """ + TWO_SEATS.replace("{ id = ada, name = \"Ada\", model { provider = replay,",
                "{ id = ada, name = \"Ada\", model { provider = replay, base-url = \"http://127.0.0.1:11434/v1/\",");
        ParleyConfig c = ConfigLoader.withEnvironment(Map.of("T", "t")).load(text, "x");
        assertEquals("https://matrix.example.org", c.matrixServers().get("home").homeserverUrl());
        assertEquals(Optional.of("http://127.0.0.1:11434/v1"), c.conversations().get(0).seats().get(0).model().baseUrl());

        String badHeader = TWO_SEATS.replace("{ id = ada, name = \"Ada\", model { provider = replay,",
                "{ id = ada, name = \"Ada\", model { provider = replay, headers { \"X Bad\" = 1 },");
        assertEquals(List.of("conf/x.conf:5: conversations.0.seats.0.model.headers: not a valid HTTP header name: "
                + "\"X Bad\""), problems(badHeader));
    }

    @Test
    void ircOptionsDefaultToTheRecordsDefaultsAndCanBeSet() {
        String text = "irc.networks.a.host = h\nirc.networks.b { host = h, line-delay = 0s, max-lines = 3, overflow = full }\n"
                + TWO_SEATS;
        ParleyConfig c = load(text);
        assertEquals(IrcOptions.DEFAULTS, c.ircNetworks().get("a").options(), "reference.conf matches IrcOptions.DEFAULTS");
        IrcOptions b = c.ircNetworks().get("b").options();
        assertEquals(Duration.ZERO, b.lineDelay());
        assertEquals(3, b.maxLines());
        assertEquals(IrcOptions.Overflow.FULL, b.overflow());
        assertEquals(List.of("conf/x.conf:1: irc.networks.a.burst: must be between 1 and 1000, got 0",
                "conf/x.conf:1: irc.networks.a: reconnect-min 2m is longer than reconnect-max 1m"),
                problems("irc.networks.a { host = h, reconnect-min = 2m, burst = 0 }\n" + TWO_SEATS));
    }

    @Test
    void matrixModesAreChecked() {
        String servers = """
                matrix.servers.acc { homeserver-url = "http://127.0.0.1:8008", control-user = "@parley:localhost", control-token-env = T, operator-power-level = 50 }
                matrix.servers.as { homeserver-url = "http://127.0.0.1:8008", control-user = "@parley:localhost", mode = appservice }
                matrix.servers.as2 { homeserver-url = "http://127.0.0.1:8008", control-user = "@parley:localhost", mode = appservice, appservice.registration-file = "reg.yaml" }
                """;
        String text = servers + TWO_SEATS
                .replace("{ id = ada, name = \"Ada\",", "{ id = ada, name = \"Ada\", matrix.user = \"@ada:localhost\",")
                .replace("{ id = basil,", "{ id = basil, matrix.user = \"@parley_basil:localhost\",")
                .replace("{ type = terminal }", "{ type = matrix, server = acc, room = \"#a:localhost\" }, "
                        + "{ type = matrix, server = as2, room = \"#b:localhost\" }");
        assertEquals(List.of(
                "conf/x.conf:2: matrix.servers.as.appservice: missing required key \"registration-file\" (appservice mode "
                        + "reads its tokens from the registration file; write one with \"parley matrix-registration\")",
                "conf/x.conf:8: conversations.0.seats.0.matrix: matrix server \"acc\" is in accounts mode: the seat needs "
                        + "access-token-env (or -file) or password-env (or -file)",
                "conf/x.conf:8: conversations.0.seats.0.matrix.user: \"@ada:localhost\" is outside the namespace "
                        + "\"@\\Qparley\\E_.*:\\Qlocalhost\\E\" of the application service of matrix server \"as2\"",
                "conf/x.conf:9: conversations.0.seats.1.matrix: matrix server \"acc\" is in accounts mode: the seat needs "
                        + "access-token-env (or -file) or password-env (or -file)"),
                problems(ConfigLoader.withEnvironment(Map.of("T", "tok")), text));

        ParleyConfig ok = ConfigLoader.withEnvironment(Map.of("T", "tok")).load(servers.lines()
                .filter(l -> !l.contains("servers.as {")).collect(Collectors.joining("\n")) + "\n" + TWO_SEATS, "x");
        MatrixServerConfig acc = ok.matrixServers().get("acc");
        assertEquals(MatrixServerConfig.Mode.ACCOUNTS, acc.mode());
        assertEquals(50, acc.operatorPowerLevel().getAsInt());
        MatrixServerConfig as2 = ok.matrixServers().get("as2");
        assertEquals(new MatrixServerConfig.Appservice(Path.of("reg.yaml"), "parley", Optional.empty()),
                as2.appservice().orElseThrow());
    }

    @Test
    void matrixEncryptionKeysAreReadAndAProxyNeedsAccountsMode() {
        String servers = """
                matrix.servers.pan { homeserver-url = "http://127.0.0.1:8009", control-user = "@parley:localhost", control-token-env = T, e2e-proxy = true }
                matrix.servers.plain { homeserver-url = "http://127.0.0.1:8008", control-user = "@parley:localhost", control-token-env = T, encrypted-rooms = refuse }
                """;
        ParleyConfig ok = ConfigLoader.withEnvironment(Map.of("T", "tok")).load(servers + TWO_SEATS, "x");
        assertEquals(new MatrixServerConfig.Encryption(true, MatrixServerConfig.EncryptedRooms.RUN),
                ok.matrixServers().get("pan").encryption());
        assertEquals(new MatrixServerConfig.Encryption(false, MatrixServerConfig.EncryptedRooms.REFUSE),
                ok.matrixServers().get("plain").encryption());

        String bad = """
                matrix.servers.as { homeserver-url = "http://127.0.0.1:8009", control-user = "@parley:localhost", mode = appservice, appservice.registration-file = "reg.yaml", e2e-proxy = true }
                matrix.servers.typo { homeserver-url = "http://127.0.0.1:8008", control-user = "@parley:localhost", control-token-env = T, encrypted-rooms = maybe }
                """;
        assertEquals(List.of(
                "conf/x.conf:1: matrix.servers.as.e2e-proxy: an encrypting proxy (pantalaimon) encrypts only for "
                        + "identities that log in through it: use mode = accounts with passwords (see docs/matrix.md)",
                "conf/x.conf:2: matrix.servers.typo.encrypted-rooms: unknown encrypted-rooms \"maybe\" (known: run, "
                        + "refuse)"),
                problems(ConfigLoader.withEnvironment(Map.of("T", "tok")), bad + TWO_SEATS));
    }

    @Test
    void aSeatWithoutAModelOrProviderSaysSo() {
        String text = TWO_SEATS
                .replace("{ id = ada, name = \"Ada\", model { provider = replay, replay.transcript = \"classpath:d.md\" } }",
                        "{ id = ada, name = \"Ada\" }")
                .replace("{ id = basil, model { provider = replay,", "{ id = basil, model { ");
        assertEquals(List.of(
                "conf/x.conf:5: conversations.0.seats.0: missing required key \"model\" (the model this seat talks "
                        + "with, such as model { provider = openai, model = \"gpt-4o-mini\", api-key-env = OPENAI_API_KEY })",
                "conf/x.conf:6: conversations.0.seats.1.model: missing required key \"provider\" "
                        + "(openai, anthropic, replay)"),
                problems(text));
    }
}
