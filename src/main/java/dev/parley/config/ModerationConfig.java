package dev.parley.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The moderation gate of a conversation: what a model may not say in its rooms, and what happens when it tries.
 * {@code reference.conf} explains each key and {@code docs/moderation.md} the whole gate.
 *
 * @param enabled off lets every message through unchecked (the lists are still validated)
 * @param lists the word and pattern lists, read and validated when the config is loaded
 * @param leetspeak also fold digits and symbols to letters before matching ("5h1t" reads as "shit")
 * @param limits the size limits of one message; 0 turns a limit off
 * @param onHit what the seat may do after a withheld message
 * @param muteAfter this many withheld messages of one seat in an episode mute it until {@code !unmute}; 0 = never
 * @param humans whether a human message that matches the lists is still shown to the models
 * @param api the external moderation service, if any
 */
public record ModerationConfig(
        boolean enabled,
        List<WordList> lists,
        boolean leetspeak,
        Limits limits,
        OnHit onHit,
        int muteAfter,
        Humans humans,
        Optional<Api> api) {
    /** A gate that checks nothing but is on: what configs built in code (tests, replays) get by default. */
    public static final ModerationConfig NONE = new ModerationConfig(true, List.of(), false, Limits.NONE,
            OnHit.RETRY_THEN_SKIP, 3, Humans.PASS, Optional.empty());

    public ModerationConfig {
        lists = List.copyOf(lists);
    }

    /** One list file: its rules in file order. */
    public record WordList(String file, List<Rule> rules) {
        public WordList {
            rules = List.copyOf(rules);
        }
    }

    /** One line of a list: a literal word or phrase, or (written {@code re:...}) a regular expression. */
    public record Rule(String file, int line, String text, boolean regex) {
        /** How a rule is named in the journal and in {@code !filter}: "words.txt:12". */
        public String where() {
            return file + ":" + line;
        }
    }

    /** 0 = no limit. Mentions count distinct names of the room (seats, humans seen) in one message. */
    public record Limits(int maxChars, int maxLines, int maxLinks, int maxMentions) {
        public static final Limits NONE = new Limits(0, 0, 0, 0);
    }

    /**
     * An OpenAI-compatible {@code /v1/moderations} endpoint. {@code thresholds}: category → score at or above which
     * a message is withheld; empty trusts the service's own {@code flagged}.
     */
    public record Api(String url, String model, Optional<Secret> key, Map<String, Double> thresholds,
                      Duration timeout, WhenDown whenDown) {
        public Api {
            thresholds = Map.copyOf(thresholds);
        }
    }

    /** After a withheld message: ask the seat once more and then skip its turn, or skip at once. */
    public enum OnHit { RETRY_THEN_SKIP, SKIP }

    /** When the moderation service cannot answer: hold the message, or let it through and tell the operators. */
    public enum WhenDown { HOLD, PASS_WITH_NOTICE }

    /** A human message that matches the lists: shown to the models anyway, or kept from them. */
    public enum Humans { PASS, KEEP_FROM_MODELS }
}
