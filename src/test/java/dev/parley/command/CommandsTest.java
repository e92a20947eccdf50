package dev.parley.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CommandsTest {
    private final Commands commands = new Commands();
    private final RecordingControl control = new RecordingControl();

    private Optional<String> byOperator(String line) {
        return commands.handle("kate", true, line, control);
    }

    private Optional<String> byGuest(String line) {
        return commands.handle(Invoker.human("alice"), line, control);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "!status                  | status",
        "!pause                   | pause by=kate",
        "!resume                  | resume by=kate",
        "!stop                    | stop by=kate reason=<none>",
        "!stop   enough for today | stop by=kate reason=enough for today",
        "!start                   | start by=kate opening=<none>",
        "!start Talk about tides. | start by=kate opening=Talk about tides.",
        "!next Kimi K2            | next by=kate seat=Kimi K2",
        "!mute basil              | mute by=kate seat=basil",
        "!unmute Basil            | unmute by=kate seat=Basil",
        "!pace 5                  | pace by=kate min=5000ms max=5000ms",
        "!pace 2.5-10             | pace by=kate min=2500ms max=10000ms",
        "!pace 1 - 3s             | pace by=kate min=1000ms max=3000ms",
        "!pace 0                  | pace by=kate min=0ms max=0ms",
        "!pace .25-3600           | pace by=kate min=250ms max=3600000ms",
        "!turns 40                | turns by=kate n=40",
        "!transcript              | transcript by=kate",
        "!STOP now                | stop by=kate reason=now",
        "!Pause                   | pause by=kate",
    })
    void anOperatorRunsEachCommandOnControl(String line, String call) {
        assertEquals(Optional.of("ok " + call), byOperator(line));
        assertEquals(List.of(call), control.calls);
    }

    @ParameterizedTest
    @ValueSource(strings = {"!status", "!pause", "!resume", "!stop", "!stop bored", "!start", "!start hi",
        "!next Ada", "!mute Ada", "!unmute Ada", "!pace 3", "!pace nonsense", "!turns 5", "!turns -1",
        "!transcript", "!next"})
    void aNonOperatorIsRefusedAndNothingRuns(String line) {
        String word = line.substring(1).split(" ")[0];
        assertEquals(Optional.of("alice: sorry, only operators can run !" + word), byGuest(line));
        assertEquals(List.of(), control.calls);
    }

    @Test
    void helpListsEveryCommandAndTheSeatsOnOneLine() {
        String help = byOperator("!help").orElseThrow();
        assertEquals("commands: !help, !status, !pause, !resume, !stop [reason], !start [opening line], "
                + "!next <seat>, !mute <seat>, !unmute <seat>, !pace <sec>[-<sec>], !turns <n>, !transcript, "
                + "!cast <seat> <seat>...|random, !invite <seat>, !dismiss <seat>, !retry [seat], !retract [n], "
                + "!note <seat> <text>, !model <seat> <model id>, !system <seat> <prompt>, !topic <text>, "
                + "!reload [check], !filter [on|off] \u2014 seats: Ada, Basil", help);
        assertEquals(List.of(), control.calls);
    }

    @Test
    void helpIsOpenToEveryoneAndSaysWhoMayRunTheRest() {
        String help = byGuest("!help").orElseThrow();
        assertTrue(help.startsWith("commands (operators only): !help, !status"), help);
        assertTrue(help.indexOf('\n') < 0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "!next            | !next: which seat? \u2014 usage: !next <seat>",
        "!mute            | !mute: which seat? \u2014 usage: !mute <seat>",
        "!unmute          | !unmute: which seat? \u2014 usage: !unmute <seat>",
        "!pace            | !pace: how many seconds? \u2014 usage: !pace <sec>[-<sec>]",
        "!pace fast       | !pace: 'fast' is not seconds like 5 or 2.5-10 \u2014 usage: !pace <sec>[-<sec>]",
        "!pace -3         | !pace: '-3' is not seconds like 5 or 2.5-10 \u2014 usage: !pace <sec>[-<sec>]",
        "!pace 10-2       | !pace: the first number must not be larger than the second \u2014 usage: !pace <sec>[-<sec>]",
        "!pace 3601       | !pace: at most 3600 seconds \u2014 usage: !pace <sec>[-<sec>]",
        "!pace 1-2-3      | !pace: '1-2-3' is not seconds like 5 or 2.5-10 \u2014 usage: !pace <sec>[-<sec>]",
        "!pace 1e3        | !pace: '1e3' is not seconds like 5 or 2.5-10 \u2014 usage: !pace <sec>[-<sec>]",
        "!turns           | !turns: how many turns? \u2014 usage: !turns <n>",
        "!turns 0         | !turns: between 1 and 1000000 \u2014 usage: !turns <n>",
        "!turns 2000000   | !turns: between 1 and 1000000 \u2014 usage: !turns <n>",
        "!turns ten       | !turns: 'ten' is not a whole number \u2014 usage: !turns <n>",
        "!turns 99999999999999999999 | !turns: '99999999999999999999' is not a whole number \u2014 usage: !turns <n>",
        "!turns 2.5       | !turns: '2.5' is not a whole number \u2014 usage: !turns <n>",
        "!cast            | '!cast: which seats? \u2014 usage: !cast <seat> <seat>...|random'",
        "!invite          | !invite: which seat? \u2014 usage: !invite <seat>",
        "!dismiss         | !dismiss: which seat? \u2014 usage: !dismiss <seat>",
        "!retract 0       | !retract: between 1 and 50 \u2014 usage: !retract [n]",
        "!retract two     | !retract: 'two' is not a whole number \u2014 usage: !retract [n]",
        "!note            | !note: which seat? \u2014 usage: !note <seat> <text>",
        "!note basil      | !note: what note? \u2014 usage: !note <seat> <text>",
        "!model basil     | !model: which model? \u2014 usage: !model <seat> <model id>",
        "!system basil    | !system: what prompt? \u2014 usage: !system <seat> <prompt>",
        "!topic           | !topic: what topic? \u2014 usage: !topic <text>",
        "!reload now      | !reload: 'now' is not \"check\" \u2014 usage: !reload [check]",
    })
    void badArgumentsGiveAUsageLineAndRunNothing(String line, String answer) {
        assertEquals(Optional.of(answer), byOperator(line));
        assertEquals(List.of(), control.calls);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "!cast ada, basil              | cast by=kate seats=[ada, basil] random=false",
        "!cast Random                  | cast by=kate seats=[] random=true",
        "!invite cyd                   | invite by=kate seat=cyd",
        "!dismiss ada                  | dismiss by=kate seat=ada",
        "!retry                        | retry by=kate seat=<none>",
        "!retry basil                  | retry by=kate seat=basil",
        "!retract                      | retract by=kate count=1",
        "!retract 3                    | retract by=kate count=3",
        "!note basil  Be brief, please. | note by=kate seat=basil text=Be brief, please.",
        "!model basil gpt-5-mini       | model by=kate seat=basil model=gpt-5-mini",
        "!system ada You are a pirate. | system by=kate seat=ada prompt=You are a pirate.",
        "!topic Lighthouses at night   | topic by=kate text=Lighthouses at night",
        "!reload                       | reload by=kate check=false",
        "!reload CHECK                 | reload by=kate check=true",
    })
    void hostingAndSteeringCommandsReachTheControlWithTheirArguments(String line, String call) {
        byOperator(line);
        assertEquals(List.of(call), control.calls);
    }

    @Test
    void aLongBadArgumentIsShortenedInTheAnswer() {
        String answer = byOperator("!pace " + "x".repeat(500)).orElseThrow();
        assertTrue(answer.length() < 120, answer);
    }

    @Test
    void filterShowsTheGateOrSwitchesItAndTakesNothingElse() {
        byOperator("!filter");
        byOperator("!filter OFF");
        byOperator("!filter on");
        assertThat(control.calls).containsExactly("filter by=kate on=-", "filter by=kate on=false",
                "filter by=kate on=true");
        assertThat(byOperator("!filter maybe"))
                .hasValueSatisfying(a -> assertThat(a).contains("not \"on\" or \"off\""));
        assertThat(byGuest("!filter off")).contains("alice: sorry, only operators can run !filter");
    }

    @Test
    void unknownCommandHintsAtHelpForOperators() {
        assertEquals(Optional.of("unknown command !frobnicate \u2014 try !help"), byOperator("!Frobnicate now"));
        assertEquals(List.of(), control.calls);
    }

    @Test
    void unknownCommandFromANonOperatorIsLeftToOtherBots() {
        assertEquals(Optional.empty(), byGuest("!seen kate"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "hello there", "stop", " !stop", "why !stop?", "!", "!!!", "! stop", "!1",
        "!?", "!stop.", "!\u00e9t\u00e9", "!!stop"})
    void linesThatAreNotCommandsGetNoAnswer(String line) {
        assertEquals(Optional.empty(), byOperator(line));
        assertEquals(Optional.empty(), byGuest(line));
        assertEquals(List.of(), control.calls);
    }

    @Test
    void theTextAfterTheCommandWordIsKeptWhole() {
        byOperator("!start   Ask Basil about \"!stop\" and   spaces  ");
        assertEquals(List.of("start by=kate opening=Ask Basil about \"!stop\" and   spaces"), control.calls);
    }

    @Test
    void aMultiLineMatrixMessageIsReadAsOneLine() {
        byOperator("!stop\nwe are done\r\nthanks");
        assertEquals(List.of("stop by=kate reason=we are done thanks"), control.calls);
    }

    @Test
    void theWordEndsAtAnyWhitespace() {
        byOperator("!next\tAda");
        assertEquals(List.of("next by=kate seat=Ada"), control.calls);
    }

    @Test
    void thePrefixIsConfigurable() {
        Commands dot = new Commands(".");
        assertEquals(Optional.of("ok pause by=kate"), dot.handle("kate", true, ".pause", control));
        assertEquals(Optional.empty(), dot.handle("kate", true, "!pause", control));
        assertEquals(Optional.of("alice: sorry, only operators can run .stop"),
                dot.handle("alice", false, ".stop", control));
        assertTrue(dot.handle("kate", true, ".help", control).orElseThrow().contains(".pace <sec>[-<sec>]"));
        assertEquals(Optional.of(".turns: how many turns? \u2014 usage: .turns <n>"),
                dot.handle("kate", true, ".turns", control));
        assertEquals(List.of("pause by=kate"), control.calls);
    }

    @Test
    void anAddressingPrefixAllowsASpaceAndAnyCase() {
        Commands named = new Commands("parley:");
        assertEquals(Optional.of("ok status"), named.handle("kate", true, "parley: status", control));
        assertEquals(Optional.of("ok status"), named.handle("kate", true, "Parley:status", control));
        assertEquals(Optional.empty(), named.handle("kate", true, "parley is great", control));
        assertEquals(List.of("status", "status"), control.calls);
    }

    @Test
    void aMultiCharacterPrefix() {
        Commands bang = new Commands("!!");
        assertEquals(Optional.of("ok status"), bang.handle("kate", true, "!!status", control));
        assertEquals(Optional.empty(), bang.handle("kate", true, "!status", control));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", " !", "! ", "a\nb"})
    void aBadPrefixIsRejectedAtConstruction(String prefix) {
        assertThrows(IllegalArgumentException.class, () -> new Commands(prefix));
    }

    @Test
    void aNullLineIsNotACommand() {
        assertEquals(Optional.empty(), byOperator(null));
    }

    @Test
    void parseExposesTheCommandForJournalling() {
        assertEquals(Optional.of(new CommandLine.Stop(Optional.of("bored"))), commands.parse("!stop bored"));
        assertEquals(Optional.of(new CommandLine.Unknown("x")), commands.parse("!x"));
        assertEquals(Optional.empty(), commands.parse("hi"));
        assertEquals("pace", commands.parse("!pace x").orElseThrow().word());
    }
}
