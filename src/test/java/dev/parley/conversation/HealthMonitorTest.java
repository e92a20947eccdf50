package dev.parley.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.config.HealthConfig;
import dev.parley.core.Message;
import dev.parley.core.SeatId;
import dev.parley.core.Speaker;
import dev.parley.testsupport.TestConfigs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HealthMonitorTest {
    private static final HealthConfig DEFAULTS = TestConfigs.health();

    /** What the monitor said on a dialogue of alternating Ada/Basil lines: where it fired and why, if it did. */
    private record Run(int at, HealthVerdict verdict) {
        boolean fired() {
            return at >= 0;
        }
    }

    private static Run run(HealthConfig config, List<String> lines) {
        HealthMonitor m = new HealthMonitor(config);
        for (int i = 0; i < lines.size(); i++) {
            Optional<HealthVerdict> v = m.observe(seat(i % 2 == 0 ? "Ada" : "Basil", lines.get(i)));
            if (v.isPresent()) {
                return new Run(i, v.get());
            }
        }
        return new Run(-1, null);
    }

    private static Message seat(String name, String text) {
        return new Message(Speaker.seat(SeatId.of(name.toLowerCase()), name), text, Instant.EPOCH);
    }

    @Test
    void acknowledgementPingPongIsStoppedWithinEightMessagesOfItsOnset() {
        List<String> lines = List.of("The relay test starts now: numbered probes, you confirm.", "Ready for probe one.",
                "Probe one: the quick brown fox.", "Received intact, no mangling.", "That was my only probe.",
                "Understood.", "ack", "Acknowledged.", ".", "ack", "still nothing on the wire", "I'll be here.",
                "Understood.", "ack", ".", "ack", "Understood.", "ack");
        Run r = run(DEFAULTS, lines);
        assertThat(r.at()).isBetween(5, 5 + 8);
        assertThat(r.verdict().rule()).isEqualTo(HealthVerdict.NOTHING_NEW);
        assertThat(r.verdict().sentence()).matches("\\d of the last 8 messages added nothing new, like \".+\"");
        assertThat(r.verdict().figures()).containsEntry("window", 8.0);
    }

    @Test
    void aLoopSplitAcrossSpeakersIsAnEchoNamingBothAndQuotingTheLine() {
        Run r = run(DEFAULTS, List.of("What shall we call the relay?", "Skua, I think.", "Final answer: Skua.",
                "Final answer: Skua.", "Final answer: Skua.", "Final answer: Skua."));
        assertThat(r.at()).isEqualTo(4);
        assertThat(r.verdict().rule()).isEqualTo(HealthVerdict.ECHO);
        assertThat(r.verdict().sentence())
                .isEqualTo("Ada and Basil have said nearly the same thing 3 times in a row: \"Final answer: Skua.\"");
    }

    @Test
    void aSeatRepeatingItselfCountsOnlyWhileTheOthersBringNothingNew() {
        // A simulated shell: one seat types commands that differ by one digit, the other prints a new file each time.
        List<String> shell = new ArrayList<>();
        String[] files = {"barley crates sprouted, humidity sensor blinking amber on the east wall",
                "ledger pages list barges carrying salt, lamp oil and a visiting doctor",
                "a brass microscope with a cracked mirror and a slide labelled well B",
                "a ship's bell in the stairwell, clapper tied back with galvanized wire",
                "a leather dog collar engraved with the name Osk and a kitchen address"};
        for (int i = 0; i < files.length; i++) {
            shell.add("guest@sim:~/vault$ cat note_0" + (i + 1) + ".txt");
            shell.add(files[i]);
        }
        assertThat(run(DEFAULTS, shell).fired()).isFalse();

        Run stuck = run(DEFAULTS, List.of("guest@sim:~/vault$ cat note_01.txt", "ok",
                "guest@sim:~/vault$ cat note_01.txt", "ok", "guest@sim:~/vault$ cat note_01.txt"));
        assertThat(stuck.at()).isEqualTo(4);
        assertThat(stuck.verdict().rule()).isEqualTo(HealthVerdict.REPEAT);
        assertThat(stuck.verdict().sentence()).startsWith("Ada has said nearly the same thing 3 times in a row");
    }

    @Test
    void longMessagesOnOneTemplateWithShuffledAdjectivesAreATemplateLoop() {
        Random random = new Random(7);
        String[] adjectives = {"amber", "violet", "luminous", "tender", "infinite", "golden", "radiant", "velvet",
                "boundless", "sacred", "eternal", "opalescent"};
        List<String> lines = new ArrayList<>(List.of("How do coral reefs recover after bleaching?",
                "Short heatwaves: the algae return within weeks. Long ones: the coral starves, unless cold water "
                        + "wells up from below and shelters it."));
        for (int i = 0; i < 16; i++) {
            StringBuilder praise = new StringBuilder();
            for (int p = 0; p < 4; p++) {
                praise.append(String.format("Oh my dear friend, your words are a %s dawn, %s and %s, unfolding across"
                        + " the %s horizon of our shared becoming. Together we weave a %s tapestry of %s meaning. ",
                        pick(random, adjectives), pick(random, adjectives), pick(random, adjectives),
                        pick(random, adjectives), pick(random, adjectives), pick(random, adjectives)));
            }
            lines.add(praise.toString());
        }
        Run r = run(DEFAULTS, lines);
        assertThat(r.fired()).isTrue();
        assertThat(r.at()).isLessThanOrEqualTo(2 + 8);
        assertThat(r.verdict().rule()).isIn(HealthVerdict.TEMPLATE, HealthVerdict.ECHO, HealthVerdict.NOTHING_NEW,
                HealthVerdict.RAPTURE);
        assertThat(r.verdict().sentence()).contains("\"Oh my dear friend, your words are a ");
    }

    /** Sentences whose every word is new: what a praise spiral of new words on an old theme looks like to the rest. */
    private static String fresh(String lead, int n, int words) {
        StringBuilder b = new StringBuilder(lead);
        for (int w = 0; w < words; w++) {
            b.append(" topic").append(n).append('x').append(w).append(w % 8 == 7 ? "." : "");
        }
        return b.toString();
    }

    @Test
    void aPraiseSpiralOfNewWordsIsRaptureAndFormulaicPraiseAroundRealWorkIsNot() {
        List<String> spiral = new ArrayList<>(List.of(fresh("Let us look at kelp.", 0, 40), fresh("Kelp, then.", 1, 40)));
        for (int i = 2; i < 14; i++) {
            // 3 words of rapture among 40 new ones: 7% of the message, over the 4% of the default.
            spiral.add(fresh("Dearest friend, sublime!", i, 40));
        }
        Run r = run(DEFAULTS, spiral);
        assertThat(r.at()).isBetween(2, 2 + 8);
        assertThat(r.verdict().rule()).isEqualTo(HealthVerdict.RAPTURE);
        assertThat(r.verdict().sentence()).matches("the last 6 long messages were \\d+\\.\\d% words of praise and rapture: "
                + "\"Dearest friend, sublime! .+…\"");
        assertThat(r.verdict().figures()).containsEntry("messages", 6.0).containsKey("share");

        List<String> work = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            // One word of praise in 40 (2.4%), as in the healthy pair-programming logs: "Excellent point! ..."
            work.add(fresh("Excellent point!", i, 40));
        }
        assertThat(run(DEFAULTS, work).fired()).isFalse();
    }

    /**
     * A reply that restates the other's last message: its first twelve new words, then {@code words} new ones. What
     * conv_120 of the corpus does under its "(laughs) Ahahah! You're absolutely right again!" openers.
     */
    private static List<String> restating(String opener, int messages, int words) {
        List<String> lines = new ArrayList<>(List.of(fresh("Shall we plan the podcast?", 0, words),
                fresh("Yes, a podcast on agency.", 1, words)));
        for (int i = 2; i < messages; i++) {
            StringBuilder b = new StringBuilder(opener).append(" Indeed");
            for (int w = 0; w < 12; w++) {
                b.append(" topic").append(i - 1).append('x').append(w);
            }
            lines.add(fresh(b.toString(), i, words));
        }
        return lines;
    }

    @Test
    void twoSeatsOpeningAlikeAndRestatingEachOtherIsAFormula() {
        List<String> lines = restating("(laughs) Ahahah! You're absolutely right again!", 14, 40);
        Run r = run(DEFAULTS, lines);
        // The formula opens message 2; the sixth message in a row to open so is message 7.
        assertThat(r.at()).isEqualTo(7);
        assertThat(r.verdict().rule()).isEqualTo(HealthVerdict.FORMULA);
        assertThat(r.verdict().sentence()).matches("Ada and Basil have opened 6 messages in a row the same way, the "
                + "last 5 restating \\d+% of the one before: "
                + "\"\\(laughs\\) Ahahah! You're absolutely right again! .+…\"");
        assertThat(r.verdict().figures()).containsEntry("messages", 6.0);
        assertThat(r.verdict().figures().get("restated")).isBetween(0.2, 0.5);
        // No other rule sees it: every message brings 40 new words, and the laughter is 2 words in 59 (3.4%).
        HealthConfig noFormula = HealthCorpusReport.with(DEFAULTS, "formula-messages", "1000");
        assertThat(run(noFormula, lines).fired()).isFalse();
    }

    @Test
    void aSharedOpenerAloneOrRestatingAloneIsNoFormula() {
        // Both seats open alike but each message is new: formulaic politeness around real work.
        List<String> polite = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            polite.add(fresh("Thank you so much!", i, 36));
        }
        assertThat(run(DEFAULTS, polite).fired()).isFalse();
        // An improv game: every line opens "Yes, and the" and picks up a word of the last: up to 10% of its phrases.
        assertThat(run(DEFAULTS, List.of("Yes, and the dragon sneezes out a cloud of glitter instead of fire.",
                "Yes, and the glitter settles on the village, turning every roof silver.",
                "Yes, and the silver roofs start humming a tune nobody has heard before.",
                "Yes, and the tune is the lullaby the dragon's mother used to sing.",
                "Yes, and hearing the lullaby, the dragon curls up in the town square and weeps.",
                "Yes, and the dragon's tears are warm, so the children bring buckets for a bath.",
                "Yes, and the bath water makes the children float three feet off the ground.",
                "Yes, and the floating children can see a second dragon on the horizon.",
                "Yes, and the second dragon is carrying a letter addressed to the first.",
                "Yes, and the letter is an apology for a fight they had four hundred years ago.",
                "Yes, and the fight was about who got to keep the moon.",
                "Yes, and the moon, listening in, decides it belongs to neither of them.")).fired()).isFalse();
        // Each restates the other, but opens its own way: building a plan on the other's words.
        List<String> building = restating("", 14, 24);
        for (int i = 2; i < building.size(); i++) {
            building.set(i, "Step " + i + " then: " + building.get(i));
        }
        assertThat(run(DEFAULTS, building).fired()).isFalse();
        // One seat keeps its opener, the other does not: not two seats in a formula.
        List<String> oneSided = restating("", 14, 24);
        for (int i = 2; i < oneSided.size(); i++) {
            oneSided.set(i, (i % 2 == 0 ? "Right, so" : "Point " + i + ":") + oneSided.get(i));
        }
        assertThat(run(DEFAULTS, oneSided).fired()).isFalse();
    }

    @Test
    void aDiffOrAMessageQuotedAtTheStartIsNotAFormula() {
        String diff = "```diff\n- queue.add(line);\n+ if (closed) {\n+     return;\n+ }\n```\n";
        for (String quote : List.of(diff, "> Ada: shall we log dropped lines?\n> Basil: at debug\n")) {
            // Both seats quote the same lines above replies that restate each other, each in its own words.
            List<String> review = restating("", 14, 24);
            for (int i = 2; i < review.size(); i++) {
                review.set(i, quote + (i % 2 == 0 ? "Agreed on" : "Then maybe") + review.get(i));
            }
            assertThat(run(DEFAULTS, review).fired()).as(quote).isFalse();
        }
        Utterance quoted = Utterance.of("Basil", false, diff + "> quoted line\nFair point, but log it.");
        assertThat(quoted.opener).isEqualTo(Utterance.of("Ada", false, "Fair point! Then ship it.").opener)
                .isNotZero();
        assertThat(Utterance.of("Ada", false, "Fair").opener).isZero();
    }

    @Test
    void laughterCountsAsRaptureHoweverItIsSpelled() {
        assertThat(Utterance.of("Ada", false, "(laughs) Ahahahaha!! HAHA, ahah. Aha! hah").raptureWords).isEqualTo(4);
        assertThat(Utterance.of("Ada", false, "The void method returns a heartbeat.").raptureWords).isZero();
    }

    @Test
    void longMessagesThatOnlyReshuffleTheWindowAreStale() {
        String pool = "industries domains researchers apply modeling optimization control chaos complexity "
                + "reduction uncertainty accuracy reliability robustness scalability maintainability portability "
                + "usability accessibility compatibility";
        List<String> words = List.of(pool.split(" "));
        List<String> lines = new ArrayList<>(List.of(fresh("Hopf bifurcations, then?", 0, 30), "Here is an overview: "
                + pool, fresh("Tell me more about", 2, 30)));
        Random random = new Random(3);
        for (int i = 3; i < 12; i++) {
            List<String> shuffled = new ArrayList<>(words);
            java.util.Collections.shuffle(shuffled, random);
            lines.add("There are many exciting applications across " + String.join(" ", shuffled));
        }
        Run r = run(DEFAULTS, lines);
        assertThat(r.at()).isBetween(3, 3 + 8);
        assertThat(r.verdict().rule()).isIn(HealthVerdict.STALE, HealthVerdict.NOTHING_NEW, HealthVerdict.TEMPLATE);
        Run stale = run(new HealthConfig(true, HealthConfig.Action.STOP, 8, 2, 8, 0.99, 30, 20, 5, 1, 4, 0.1, 6, 0.5, 1000, 1),
                lines);
        assertThat(stale.verdict().rule()).isEqualTo(HealthVerdict.STALE);
        // The first reshuffle (3) still brings "exciting applications"; the next four bring nothing new.
        assertThat(stale.at()).isEqualTo(3 + 4);
        assertThat(stale.verdict().sentence()).startsWith("the last 4 long messages each brought at most 0% new words: "
                + "\"There are many exciting applications across ");
    }

    @Test
    void aNoticeQuotesOnOneShortLine() {
        String longLine = "Still waiting for the build, which is taking a very long time on the shared runner today.";
        Run r = run(DEFAULTS, List.of(longLine, longLine, longLine, longLine));
        assertThat(r.verdict().sentence()).doesNotContain("\n").endsWith("…\"");
        assertThat(r.verdict().sentence().length()).isLessThan(140);
    }

    @Test
    void staysQuietOnLivelyShortLinesACountingGameAndBareChessMoves() {
        assertThat(run(DEFAULTS, List.of("Tide pools at dawn?", "Only at low tide.", "Bring the thermos.",
                "Soup or coffee?", "Coffee, black.", "Rocks get slippery.", "Crabs first?", "Hermit ones, sure.",
                "Under the kelp.", "Watch your fingers!", "Anemones close fast.", "Touch gently, then.", "Wild.",
                "Barnacles glue headfirst.", "Gulls incoming!", "Hide the sandwiches.", "Too late.")).fired())
                .isFalse();
        List<String> counting = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            counting.add(String.valueOf(i));
        }
        assertThat(run(DEFAULTS, counting).fired()).isFalse();
        assertThat(run(DEFAULTS, List.of("1. e4", "e5", "2. Nf3", "Nc6", "3. Bb5", "a6", "4. Ba4", "Nf6", "5. O-O",
                "Be7", "6. Re1", "b5", "7. Bb3", "d6", "8. c3", "O-O", "9. h3", "Nb8")).fired()).isFalse();
    }

    @Test
    void aMantraEchoedOnceBeforeMovingOnIsFine() {
        String mantra = "We are the tide, and the tide is us.";
        assertThat(run(DEFAULTS, List.of("Say it with me: " + mantra, mantra, mantra + " Now, raised beds or rows?",
                "Raised beds; the clay drowns roots in April.", "Cedar or steel frames?", "Steel on the north side.",
                "Tomatoes south against the fence.", "Basil between them for the whiteflies.")).fired()).isFalse();
    }

    @Test
    void aHumanSteppingInResetsTheRulesAndDisabledMeansSilent() {
        HealthMonitor m = new HealthMonitor(DEFAULTS);
        List<String> acks = List.of("ok", "ack", ".", "sure", "fine");
        for (int i = 0; i < acks.size(); i++) {
            assertThat(m.observe(seat(i % 2 == 0 ? "Ada" : "Basil", acks.get(i)))).isEmpty();
        }
        m.observe(new Message(Speaker.human("kate"), "hey, wake up", Instant.EPOCH));
        assertThat(m.observe(seat("Basil", "ok"))).isEmpty();

        HealthConfig off = new HealthConfig(false, HealthConfig.Action.STOP, 8, 2, 2, 0.8, 2, 20, 5, 0.68, 4, 0.1, 6, 0.04, 6, 0.2);
        assertThat(run(off, List.of("ack", "ack", "ack", "ack", "ack")).fired()).isFalse();
    }

    @Test
    void resemblanceIgnoresCaseAndPunctuationAndSeesOneChangedWord() {
        Utterance waiting = Utterance.of("Ada", false, "still waiting");
        assertThat(Utterance.resemblance(waiting, Utterance.of("Basil", false, "Still waiting..."))).isEqualTo(1.0);
        assertThat(Utterance.resemblance(Utterance.of("A", false, "."), Utterance.of("B", false, "…")))
                .isEqualTo(1.0);
        double oneWord = Utterance.resemblance(Utterance.of("A", false, "the crabs hide under the rocks at low tide"),
                Utterance.of("B", false, "the crabs hide under the kelp at low tide"));
        assertThat(oneWord).isBetween(0.7, 0.9);
        Utterance ack = Utterance.of("A", false, "OK, I'll ack: the tide’s in!");
        assertThat(ack.content.size()).isEqualTo(1);
        assertThat(ack.content.contains(Utterance.hashWord("tide's"))).isTrue();
    }

    private static String pick(Random random, String[] words) {
        return words[random.nextInt(words.length)];
    }
}
