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
        return builder.build(new ContextBuilder.Self(ADA, "Ada", "Be brief.", budget), SEATS, history, opening);
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
                List.of(by(ADA, "Ada", "Tides?")), Optional.of("Discuss tides."));
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
                List.of("Ada", "Basil", "Cleo"), List.of(), Optional.empty());
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
}
