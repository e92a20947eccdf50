package dev.parley.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.archive.MemoryJournal;
import dev.parley.command.Commands;
import dev.parley.config.ConversationConfig;
import dev.parley.config.IrcIdentity;
import dev.parley.config.IrcNetworkConfig;
import dev.parley.config.IrcOptions;
import dev.parley.config.SeatConfig;
import dev.parley.conversation.Conversation;
import dev.parley.core.SeatId;
import dev.parley.core.SystemScheduler;
import dev.parley.model.ModelClient;
import dev.parley.model.ModelRequest;
import dev.parley.testsupport.RequireServers;
import dev.parley.testsupport.ScriptedModel;
import dev.parley.testsupport.TestConfigs;
import dev.parley.testsupport.Waiting;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole thing on a real server: the engine runs a two-seat conversation in an IRC channel; a human steps in
 * and the next seat hears them; a non-operator's command is refused and an operator's !stop ends it.
 */
class IrcConversationIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Distinct lines, so that the health monitor sees a lively conversation and lets it run. */
    private static final List<String> ADA = List.of("Why do tide pools exist at all?",
            "The Moon pulls the ocean into a bulge and the rocks keep what drains.",
            "Anemones close up when the water leaves, to keep from drying out.",
            "Octopuses can squeeze through any gap larger than their beak.",
            "Hermit crabs trade shells in queues, biggest first.",
            "Barnacles glue themselves head-down and kick food into their mouths.",
            "Some limpets return to the exact same scar on the rock every tide.",
            "Sea stars push their stomachs out to digest mussels in place.");
    private static final List<String> BASIL = List.of("Because the sea is forgetful.",
            "A city for six hours, then a flood.", "Clever of them; I would just complain.",
            "That explains the escape stories from aquariums.", "A housing market with better manners than ours.",
            "Upside-down breakfast, every day, forever.", "Homebodies with a very precise address.",
            "Dinner delivered, cooked outside, eaten in.");

    @ParameterizedTest
    @EnumSource(IrcServerFixture.Kind.class)
    void twoModelsTalkAHumanStepsInAnOperatorStopsThem(IrcServerFixture.Kind kind) throws Exception {
        RequireServers.assume(kind.installed(), kind.packageHint());
        try (IrcServerFixture server = IrcServerFixture.start(kind);
             SystemScheduler scheduler = new SystemScheduler();
             RawIrcClient kate = RawIrcClient.connect(server.host(), server.port(), "kate", "kate");
             RawIrcClient bob = RawIrcClient.connect(server.host(), server.port(), "bob", "bob")) {
            kate.join("#talk");
            bob.join("#talk");

            ConversationConfig config = TestConfigs.with(TestConfigs.conversation("Ada", "Basil"),
                    b -> b.pacing(TestConfigs.pacing(400, 400)).stop(TestConfigs.stop(60)));
            AtomicInteger adaTurns = new AtomicInteger();
            AtomicInteger basilTurns = new AtomicInteger();
            ScriptedModel ada = ScriptedModel.saying()
                    .otherwise(r -> ADA.get(adaTurns.getAndIncrement() % ADA.size()));
            ScriptedModel basil = ScriptedModel.saying()
                    .otherwise(r -> BASIL.get(basilTurns.getAndIncrement() % BASIL.size()));
            Map<SeatId, ModelClient> models = Map.of(SeatId.of("ada"), ada, SeatId.of("basil"), basil);
            Map<SeatId, IrcIdentity> identities = new LinkedHashMap<>();
            for (SeatConfig s : config.seats()) {
                identities.put(s.id(), s.irc().orElseThrow());
            }
            IrcNetworkConfig network = new IrcNetworkConfig("test", server.host(), server.port(), false,
                    Optional.empty(), Optional.empty(), "parley", "parley test", List.of(), List.of("kate!*@*"),
                    IrcOptions.DEFAULTS.withPacing(Duration.ZERO, 1));
            IrcRoom room = new IrcRoom(network, "#talk", Optional.empty(), identities, scheduler);
            Commands commands = new Commands();
            Conversation conversation = new Conversation(config, models, List.of(room), new MemoryJournal(),
                    scheduler, new Random(7), commands::handle, events -> "(no transcript in this test)");
            try {
                conversation.start();

                List<IrcLine> opening = kate.privmsgs("#talk", 4, WAIT, "Ada", "Basil");
                assertEquals(List.of("Ada", "Basil", "Ada", "Basil"), opening.stream().map(IrcLine::nick).toList());

                kate.say("#talk", "what about octopuses?");
                Waiting.upTo(WAIT).alias("a seat was told what kate said").until(
                        () -> heard(ada, "kate: what about octopuses?") || heard(basil, "kate: what about octopuses?"));

                bob.say("#talk", "!stop");
                IrcLine refusal = bob.await(l -> l.command().equals("NOTICE") && l.param(1).contains("only operators"),
                        WAIT);
                assertEquals("parley", refusal.nick());

                kate.say("#talk", "!stop enough for today");
                String reason = conversation.stopped().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertTrue(reason.contains("enough for today") || reason.contains("kate"), reason);

                // What kate saw of the seats: strict turns, each seat's lines in order, nothing twice.
                List<IrcLine> said = kate.allLines().stream()
                        .filter(l -> l.command().equals("PRIVMSG") && List.of("Ada", "Basil").contains(l.nick()))
                        .toList();
                for (int i = 0; i < said.size(); i++) {
                    String who = i % 2 == 0 ? "Ada" : "Basil";
                    assertEquals(who, said.get(i).nick(), said.toString());
                    List<String> lines = i % 2 == 0 ? ADA : BASIL;
                    assertEquals(lines.get((i / 2) % lines.size()), said.get(i).param(1), said.toString());
                }
                System.out.printf("[irc] %s: conversation of %d messages, human heard, stopped by operator%n",
                        kind, said.size());
            } finally {
                conversation.shutdown("test over");
                room.closeAsync().get(10, TimeUnit.SECONDS);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(IrcServerFixture.Kind.class)
    void theServerDiesMidConversationAndTheConversationGoesOnWithNothingLost(IrcServerFixture.Kind kind)
            throws Exception {
        RequireServers.assume(kind.installed(), kind.packageHint());
        try (IrcServerFixture server = IrcServerFixture.start(kind);
             SystemScheduler scheduler = new SystemScheduler()) {
            RawIrcClient kate = RawIrcClient.connect(server.host(), server.port(), "kate", "kate");
            kate.join("#talk");
            ConversationConfig config = TestConfigs.with(TestConfigs.conversation("Ada", "Basil"),
                    b -> b.pacing(TestConfigs.pacing(300, 300)).stop(TestConfigs.stop(200)));
            AtomicInteger adaTurns = new AtomicInteger();
            AtomicInteger basilTurns = new AtomicInteger();
            ScriptedModel ada = ScriptedModel.saying()
                    .otherwise(r -> "(" + adaTurns.incrementAndGet() + ") " + ADA.get(adaTurns.get() % ADA.size()));
            ScriptedModel basil = ScriptedModel.saying()
                    .otherwise(r -> "(" + basilTurns.incrementAndGet() + ") " + BASIL.get(basilTurns.get() % BASIL.size()));
            Map<SeatId, IrcIdentity> identities = new LinkedHashMap<>();
            for (SeatConfig s : config.seats()) {
                identities.put(s.id(), s.irc().orElseThrow());
            }
            // Reconnects no sooner than 1.5 s: the human is back in the channel before the seats.
            IrcOptions options = IrcOptions.DEFAULTS.withPacing(Duration.ZERO, 1)
                    .withReconnect(Duration.ofSeconds(3), Duration.ofSeconds(4));
            IrcNetworkConfig network = new IrcNetworkConfig("test", server.host(), server.port(), false,
                    Optional.empty(), Optional.empty(), "parley", "parley test", List.of(), List.of("kate!*@*"), options);
            IrcRoom room = new IrcRoom(network, "#talk", Optional.empty(), identities, scheduler);
            Conversation conversation = new Conversation(config, Map.of(SeatId.of("ada"), ada, SeatId.of("basil"), basil),
                    List.of(room), new MemoryJournal(), scheduler, new Random(7), new Commands()::handle,
                    events -> "(no transcript in this test)");
            RawIrcClient kate2 = null;
            try {
                conversation.start();
                List<IrcLine> before = kate.privmsgs("#talk", 4, WAIT, "Ada", "Basil");
                server.kill();
                kate.close();
                Thread.sleep(300); // not polling: the server stays down a moment, while the seats keep talking
                server.restart();
                kate2 = RawIrcClient.connect(server.host(), server.port(), "kate", "kate");
                kate2.join("#talk");
                List<IrcLine> after = kate2.privmsgs("#talk", 6, Duration.ofSeconds(60), "Ada", "Basil");
                kate2.say("#talk", "!stop");
                conversation.stopped().get(WAIT.toSeconds(), TimeUnit.SECONDS);

                List<String> seen = new java.util.ArrayList<>();
                before.forEach(l -> seen.add(l.nick() + " " + l.param(1)));
                kate2.allLines().stream()
                        .filter(l -> l.command().equals("PRIVMSG") && List.of("Ada", "Basil").contains(l.nick()))
                        .forEach(l -> seen.add(l.nick() + " " + l.param(1)));
                assertTrue(after.size() >= 6);
                // At least once: the line the server relayed as it was killed may come again right after itself,
                // sent again on the new connection because its PONG never came back (docs/irc.md). Once at most.
                int repeats = 0;
                for (int i = seen.size() - 1; i > 0; i--) {
                    if (seen.get(i).equals(seen.get(i - 1))) {
                        seen.remove(i);
                        repeats++;
                    }
                }
                assertTrue(repeats <= 1, "repeats: " + repeats);
                // Everything the models said, in turn order: numbering has no gap and no other repeat.
                for (int i = 0; i < seen.size(); i++) {
                    String who = i % 2 == 0 ? "Ada" : "Basil";
                    assertTrue(seen.get(i).startsWith(who + " (" + (i / 2 + 1) + ") "), "at " + i + ": " + seen);
                }
                System.out.printf("[irc] %s: server killed after 4 messages; %d messages in order, none lost, "
                        + "%d repeated%n", kind, seen.size(), repeats);
            } finally {
                conversation.shutdown("test over");
                room.closeAsync().get(10, TimeUnit.SECONDS);
                if (kate2 != null) {
                    kate2.close();
                }
            }
        }
    }

    private static boolean heard(ScriptedModel model, String text) {
        for (ModelRequest r : model.requests()) {
            if (r.turns().stream().anyMatch(t -> t.text().contains(text))) {
                return true;
            }
        }
        return false;
    }
}
