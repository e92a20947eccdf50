package dev.parley.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.config.ContextConfig;
import dev.parley.core.Message;
import dev.parley.core.SeatId;
import dev.parley.core.Speaker;
import dev.parley.model.ModelRequest;
import dev.parley.model.Role;
import dev.parley.model.Turn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContextBuilderTest {
    private static final SeatId ADA = SeatId.of("ada");
    private static final SeatId BASIL = SeatId.of("basil");
    private static final List<String> SEATS = List.of("Ada", "Basil");
    private final ContextBuilder builder = new ContextBuilder(new ContextConfig(false, "//", 4.0), "#parley");

    private static Message by(SeatId seat, String name, String text) {
        return new Message(Speaker.seat(seat, name), text, Instant.EPOCH);
    }

    private static Message human(String name, String text) {
        return new Message(Speaker.human(name), text, Instant.EPOCH);
    }

    private ModelRequest forAda(List<Message> history, Optional<String> opening, int budget) {
        return builder.build(new ContextBuilder.Self(ADA, "Ada", "Be brief.", budget), SEATS, history(builder, history),
                opening);
    }

    private static History history(ContextBuilder builder, List<Message> messages) {
        History h = builder.newHistory();
        messages.forEach(h::add);
        return h;
    }

    @Test
    void ownMessagesAreAssistantOthersAreNamedUserTurnsAndRunsAreMerged() {
        List<Message> h = List.of(by(ADA, "Ada", "Hi."), by(BASIL, "Basil", "Hello."), human("kate", "be nice"),
                by(ADA, "Ada", "Always."), by(ADA, "Ada", "Promise."), by(BASIL, "Basil", "Good."));
        ModelRequest r = forAda(h, Optional.empty(), 6000);
        assertThat(r.system()).isEqualTo("Be brief.");
        assertThat(r.turns()).containsExactly(Turn.user(" "), Turn.assistant("Hi."),
                Turn.user("Basil: Hello.\nkate: be nice"), Turn.assistant("Always.\nPromise."), Turn.user("Basil: Good."));
        assertThat(r.stop()).containsExactly("\nBasil:", "\nkate:");
    }

    @Test
    void theFirstTurnIsTheOpeningLineOrASingleSpace() {
        assertThat(forAda(List.of(), Optional.empty(), 6000).turns()).containsExactly(Turn.user(" "));
        assertThat(forAda(List.of(), Optional.of("Discuss tides."), 6000).turns())
                .containsExactly(Turn.user("Discuss tides."));
        ModelRequest basil = builder.build(new ContextBuilder.Self(BASIL, "Basil", "", 6000), SEATS,
                history(builder, List.of(by(ADA, "Ada", "Tides?"))), Optional.of("Discuss tides."));
        assertThat(basil.turns()).containsExactly(Turn.user("Discuss tides.\nAda: Tides?"));
    }

    @Test
    void asidesCommandsAndNoticesAreNotShown() {
        List<Message> h = List.of(by(BASIL, "Basil", "Hello."), human("kate", "// this one is for humans only"),
                human("kate", "visible"));
        assertThat(forAda(h, Optional.empty(), 6000).turns()).containsExactly(Turn.user("Basil: Hello.\nkate: visible"));
    }

    @Test
    void oldestWholeTurnsAreTrimmedToTheBudgetKeepingTheSystemPromptAndAUserFirstTurn() {
        List<Message> h = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            h.add(by(BASIL, "Basil", "message number " + i + " " + "x".repeat(40)));
            h.add(by(ADA, "Ada", "reply number " + i + " " + "y".repeat(40)));
        }
        h.add(by(BASIL, "Basil", "the last one"));
        ModelRequest r = forAda(h, Optional.empty(), 200);
        long chars = r.system().length() + r.turns().stream().mapToLong(t -> t.text().length()).sum();
        assertThat(chars).isLessThanOrEqualTo(200 * 4 + 4);
        assertThat(r.system()).isEqualTo("Be brief.");
        assertThat(r.turns().get(0).role()).isEqualTo(Role.USER);
        assertThat(r.turns().get(r.turns().size() - 1)).isEqualTo(Turn.user("Basil: the last one"));
        assertThat(r.turns().size()).isGreaterThan(3);
    }

    @Test
    void aRequestNeverEndsWithTheSeatsOwnTurnSoNoProviderTakesItAsAPrefill() {
        List<Message> h = List.of(by(BASIL, "Basil", "Hello."), by(ADA, "Ada", "Hi."), by(ADA, "Ada", "Anyone?"));
        ModelRequest r = forAda(h, Optional.empty(), 6000);
        assertThat(r.turns()).containsExactly(Turn.user("Basil: Hello."), Turn.assistant("Hi.\nAnyone?"),
                Turn.user(ContextBuilder.SILENCE_CUE));
        ModelRequest alone = forAda(List.of(by(ADA, "Ada", "Hi.")), Optional.empty(), 6000);
        assertThat(alone.turns()).containsExactly(Turn.user(" "), Turn.assistant("Hi."),
                Turn.user(ContextBuilder.SILENCE_CUE));
        ModelRequest trimmed = forAda(List.of(by(BASIL, "Basil", "x".repeat(400)), by(ADA, "Ada", "y".repeat(400))),
                Optional.empty(), 120);
        assertThat(trimmed.turns().get(trimmed.turns().size() - 1).role()).isEqualTo(Role.USER);
        assertThat(trimmed.turns().get(0).role()).isEqualTo(Role.USER);
    }

    @Test
    void thePreambleNamesTheRoomAndTheOthers() {
        ContextBuilder withPreamble = new ContextBuilder(new ContextConfig(true, "//", 4.0), "#parley");
        ModelRequest r = withPreamble.build(new ContextBuilder.Self(ADA, "Ada", "Be brief.", 6000),
                List.of("Ada", "Basil", "Cleo"), withPreamble.newHistory(), Optional.empty());
        assertThat(r.system()).startsWith("Be brief.\n\nYou are Ada, in a live conversation in #parley with Basil, Cleo;");
    }

    @Test
    void replyGuardCutsImpersonationAndStripsTheOwnName() {
        List<String> others = List.of("Basil", "kate");
        assertThat(ReplyGuard.clean("Ada: Hello there.", "Ada", others)).isEqualTo("Hello there.");
        assertThat(ReplyGuard.clean("Sure.\n\nBasil: I agree.\nAda: yes", "Ada", others)).isEqualTo("Sure.");
        assertThat(ReplyGuard.clean("Basil: I am Basil now", "Ada", others)).isEmpty();
        assertThat(ReplyGuard.clean("I told Basil: no.", "Ada", others)).as("only at a line start")
                .isEqualTo("I told Basil: no.");
        assertThat(ReplyGuard.clean("Line one\nKATE: hi", "Ada", others)).isEqualTo("Line one");
    }

    @Test
    void walkingBackFromTheNewestGivesWhatBuildingTheWholeHistoryAndTrimmingItGives() {
        java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 2_000; round++) {
            List<Message> h = new ArrayList<>();
            int n = random.nextInt(30);
            for (int i = 0; i < n; i++) {
                String text = "w".repeat(random.nextInt(60)) + i;
                switch (random.nextInt(4)) {
                    case 0 -> h.add(by(ADA, "Ada", text));
                    case 1 -> h.add(human("kate", random.nextBoolean() ? "// aside " + text : text));
                    default -> h.add(by(BASIL, "Basil", text));
                }
            }
            Optional<String> opening = random.nextBoolean() ? Optional.of("Open " + round) : Optional.empty();
            int budget = 3 + random.nextInt(120);
            ModelRequest r = forAda(h, opening, budget);
            assertThat(r.turns()).as("round %d", round)
                    .isEqualTo(wholeHistoryTrimmed(h, opening, budget - builder.tokens("Be brief.")));
            assertThat(r.stop()).as("round %d", round).isEqualTo(namesHeard(h));
        }
    }

    @Test
    void aSeatsWindowKeptFromTurnToTurnGivesWhatBuildingTheWholeHistoryGives() {
        java.util.Random random = new java.util.Random(7);
        for (int episode = 0; episode < 200; episode++) {
            ContextBuilder b = new ContextBuilder(new ContextConfig(false, "//", 4.0), "#parley");
            History h = b.newHistory();
            Optional<String> opening = random.nextBoolean() ? Optional.of("Open " + episode) : Optional.empty();
            int budget = 5 + random.nextInt(60);
            for (int step = 0; step < 120; step++) {
                String text = "w".repeat(random.nextInt(40)) + step;
                switch (random.nextInt(10)) {
                    case 0, 1, 2 -> h.add(by(ADA, "Ada", text));
                    case 3 -> h.add(human("kate", random.nextBoolean() ? "// aside " + text : text));
                    case 4 -> {
                        String taken = String.valueOf(random.nextInt(step + 1));
                        h.removeIf(m -> m.text().endsWith(taken));
                    }
                    case 5 -> budget = 5 + random.nextInt(60);
                    default -> h.add(by(BASIL, "Basil", text));
                }
                if (random.nextInt(3) > 0) {
                    List<Message> now = List.copyOf(h);
                    ModelRequest r = b.build(new ContextBuilder.Self(ADA, "Ada", "Be brief.", budget), SEATS, h, opening);
                    assertThat(r.turns()).as("episode %d step %d", episode, step)
                            .isEqualTo(wholeHistoryTrimmed(now, opening, budget - b.tokens("Be brief.")));
                    assertThat(r.stop()).isEqualTo(namesHeard(now));
                }
            }
        }
    }

    @Test
    void namesHeardAreCountedAgainAfterAMessageIsTakenBack() {
        History h = history(builder, List.of(by(BASIL, "Basil", "Hello."), human("kate", "// aside"),
                human("kate", "hi all"), human("lee", "hey"), by(ADA, "Ada", "Hi.")));
        assertThat(h.humans()).containsExactly("kate", "lee");
        assertThat(h.visibleSpeakers()).containsExactly("Basil", "kate", "lee", "Ada");
        h.removeIf(m -> m.text().equals("hi all"));
        assertThat(h.humans()).containsExactly("kate", "lee");
        assertThat(h.visibleSpeakers()).containsExactly("Basil", "lee", "Ada");
        h.removeIf(m -> m.speaker().name().equals("lee"));
        assertThat(h.humans()).containsExactly("kate");
        assertThat(forAda(h, Optional.empty(), 6000).stop()).containsExactly("\nBasil:");
    }

    /** Everyone else the models were shown, walking the whole history. */
    private static List<String> namesHeard(List<Message> history) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>(SEATS);
        history.stream().filter(m -> m.speaker().isSeat() || !m.text().startsWith("//"))
                .forEach(m -> names.add(m.speaker().name()));
        names.remove("Ada");
        return names.stream().map(n -> "\n" + n + ":").toList();
    }

    /** The plain way, as parley did it before: every turn of the history, merged, oldest dropped until it fits. */
    private List<Turn> wholeHistoryTrimmed(List<Message> history, Optional<String> opening, long budget) {
        List<Turn> turns = new ArrayList<>();
        opening.ifPresent(o -> turns.add(Turn.user(o)));
        for (Message m : history) {
            if (m.speaker().isSeat() || !m.text().startsWith("//")) {
                turns.add(ADA.equals(m.speaker().seat()) ? Turn.assistant(m.text())
                        : Turn.user(m.speaker().name() + ": " + m.text()));
            }
        }
        if (!turns.isEmpty() && turns.get(turns.size() - 1).role() == Role.ASSISTANT) {
            turns.add(Turn.user(ContextBuilder.SILENCE_CUE));
        }
        List<Turn> merged = new ArrayList<>();
        for (Turn t : turns) {
            int last = merged.size() - 1;
            if (last >= 0 && merged.get(last).role() == t.role()) {
                merged.set(last, new Turn(t.role(), merged.get(last).text() + "\n" + t.text()));
            } else {
                merged.add(t);
            }
        }
        long total = merged.stream().mapToLong(t -> builder.tokens(t.text())).sum();
        while (merged.size() > 1 && total > budget) {
            total -= builder.tokens(merged.remove(0).text());
        }
        if (merged.isEmpty() || merged.get(0).role() != Role.USER) {
            merged.add(0, Turn.user(ContextBuilder.BLANK_PROMPT));
        }
        return merged;
    }
}
