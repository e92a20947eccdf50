package dev.parley.conversation;

import dev.parley.config.HealthConfig;
import dev.parley.core.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Notices a conversation that has degenerated, judging the exchange as a whole rather than each seat alone:
 * <ul>
 *   <li><b>nothing new</b>: {@code emptyMessages} of the last {@code window} seat messages each brought fewer than
 *   {@code minNewWords} content words the window had not seen (acknowledgement ping-pong, "still waiting", dots);</li>
 *   <li><b>echo</b>: {@code repeats} seat messages in a row, from two seats or more, nearly the same (A: X, B: X,
 *   A: X);</li>
 *   <li><b>repeat</b>: a seat saying nearly the same thing {@code repeats} times in a row while nobody else brings
 *   anything new. A seat typing {@code cat note_01.txt}, {@code cat note_02.txt}... into a simulated shell whose
 *   answers are new every time is not stuck: the exchange moves. A seat that keeps saying nothing at all (blank, or
 *   punctuation alone) counts whatever the others say;</li>
 *   <li><b>template</b>: the latest {@code templateMessages} long messages are, on average, at least
 *   {@code templateSameness} made of what was already said: the phrases of the window, its words, the message
 *   before. It catches two seats writing the same florid template with the adjectives shuffled;</li>
 *   <li><b>stale</b>: the latest {@code staleMessages} long messages in a row each brought less than
 *   {@code staleShare} of their content words new: long replies that only reshuffle the window (word salad);</li>
 *   <li><b>rapture</b>: the latest {@code raptureMessages} long messages are, on average, at least
 *   {@code raptureShare} words of praise, affection, rapture or laughter. It catches the praise spirals of two
 *   models ("Dearest friend, your message is like a soft ray of sunshine ...") whose every message is new words on
 *   an old theme, which no rule on wording sees in time, and their dissolving into "infinite silence";</li>
 *   <li><b>formula</b>: {@code formulaMessages} seat messages in a row, from two seats or more, each opening with the
 *   same two words as the message before and taking on average at least {@code formulaRestated} of its phrases
 *   from it: two seats answering "(laughs) Ahahah! You're absolutely right again!" and restating each other, or
 *   filling one template ("Exploring alternative X prioritizing Y could revolutionize ..."). Neither half is enough
 *   alone: healthy seats share an opener for a while, and restate each other's plans while they build them.</li>
 * </ul>
 * Short lines are fine as long as they bring something new, so a lively exchange never fires it. A human message
 * resets every rule: somebody stepped in. {@code docs/health.md} has the corpus the thresholds were chosen on.
 */
final class HealthMonitor {
    private static final int QUOTE = 60;

    private final HealthConfig config;
    private final RecentTalk talk;
    /** Whether each of the latest seat messages (at most {@code window}) was empty. */
    private final Flags empties;
    /** Sameness of the latest long seat messages (at most {@code templateMessages}). */
    private final Deque<Double> sameness = new ArrayDeque<>();
    /** Share of words of rapture in the latest long seat messages (at most {@code raptureMessages}). */
    private final Deque<Double> rapture = new ArrayDeque<>();
    /** How many long seat messages in a row brought less than {@code staleShare} new, and the most of them did. */
    private int staleRun;
    private double staleMost;
    /** Speakers of the current run of nearly identical seat messages, oldest first. */
    private final List<String> echo = new ArrayList<>();
    private final Map<String, SeatRun> runs = new HashMap<>();
    private long seatMessages;
    /**
     * The current run of seat messages each opening like the one before: how many, and who spoke them (in order of
     * first message). A count rather than a list: two seats may open "Thank you" for thousands of messages.
     */
    private int formulaRun;
    private final Set<String> formulaSpeakers = new LinkedHashSet<>();
    /** How much of the message before each restated, for the latest of that run (at most formulaMessages - 1). */
    private final Deque<Double> restated = new ArrayDeque<>();
    /** The number (among seat messages) of the latest message that brought something new, by speaker. */
    private final Map<String, Long> lastFreshBy = new HashMap<>();

    /** A seat's latest message, and how many times in a row it has said nearly that. */
    private record SeatRun(Utterance last, long number, int count) { }

    HealthMonitor(HealthConfig config) {
        this.config = config;
        this.talk = new RecentTalk(config.window());
        this.empties = new Flags(config.window());
    }

    /** Looks at one more message; returns why the conversation is unhealthy, if it now is. */
    Optional<HealthVerdict> observe(Message m) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        Utterance u = Utterance.of(m.speaker().name(), m.speaker().isHuman(), m.text());
        if (u.human) {
            reset();
            talk.add(u);
            return Optional.empty();
        }
        Utterance previous = talk.last();
        return judge(u, previous, talk.add(u));
    }

    /** Forget the streaks, after the monitor has fired with a notice or an operator resumed. */
    void reset() {
        empties.clear();
        sameness.clear();
        rapture.clear();
        staleRun = 0;
        staleMost = 0;
        echo.clear();
        runs.clear();
        lastFreshBy.clear();
        formulaRun = 0;
        formulaSpeakers.clear();
        restated.clear();
    }

    private Optional<HealthVerdict> judge(Utterance u, Utterance previous, RecentTalk.Measure brought) {
        long number = ++seatMessages;
        double likePrevious = previous == null || previous.human ? 0 : Utterance.resemblance(u, previous);
        int fresh = brought.newWords();
        boolean empty = u.content.size() == 0 || fresh < Math.min(config.minNewWords(), u.content.size());
        if (!empty) {
            lastFreshBy.put(u.speaker, number);
        }
        empties.push(empty);
        if (likePrevious >= config.similarity() && !echo.isEmpty()) {
            echo.add(u.speaker);
        } else {
            echo.clear();
            echo.add(u.speaker);
        }
        if (previous != null && !previous.human && !previous.speaker.equals(u.speaker) && u.opener != 0
                && u.opener == previous.opener) {
            if (formulaRun == 0) {
                formulaRun = 1;
                formulaSpeakers.add(previous.speaker);
            }
            formulaRun++;
            formulaSpeakers.add(u.speaker);
            push(restated, u.restates(previous), Math.max(1, config.formulaMessages() - 1));
        } else {
            formulaRun = 0;
            formulaSpeakers.clear();
            restated.clear();
        }
        SeatRun run = runs.get(u.speaker);
        double likeOwn = run == null ? 0 : Utterance.resemblance(u, run.last());
        int count = run != null && likeOwn >= config.similarity() && (u.wordCount == 0 || othersQuietSince(u.speaker, run.number()))
                ? run.count() + 1 : 1;
        runs.put(u.speaker, new SeatRun(u, number, count));
        if (u.wordCount >= config.templateMinWords()) {
            double novelty = u.content.size() == 0 ? 0 : (double) fresh / u.content.size();
            push(sameness, (likePrevious + brought.borrowed() + (1 - novelty)) / 3, config.templateMessages());
            push(rapture, (double) u.raptureWords / u.wordCount, config.raptureMessages());
            if (u.content.size() > 0 && novelty < config.staleShare()) {
                staleMost = staleRun == 0 ? novelty : Math.max(staleMost, novelty);
                staleRun++;
            } else {
                staleRun = 0;
                staleMost = 0;
            }
        }
        // The first rule that fires, in this order; an if-chain rather than Optional.or, which made a lambda for each.
        Optional<HealthVerdict> verdict = nothingNew(u);
        if (verdict.isEmpty()) {
            verdict = echo(u, likePrevious);
        }
        if (verdict.isEmpty()) {
            verdict = repeat(u, count, likeOwn);
        }
        if (verdict.isEmpty()) {
            verdict = template(u);
        }
        if (verdict.isEmpty()) {
            verdict = stale(u);
        }
        if (verdict.isEmpty()) {
            verdict = rapture(u);
        }
        if (verdict.isEmpty()) {
            verdict = formula(u);
        }
        return verdict;
    }

    private boolean othersQuietSince(String speaker, long number) {
        for (Map.Entry<String, Long> e : lastFreshBy.entrySet()) {
            if (e.getValue() > number && !e.getKey().equals(speaker)) {
                return false;
            }
        }
        return true;
    }

    private Optional<HealthVerdict> nothingNew(Utterance u) {
        int n = empties.set();
        if (n < config.emptyMessages()) {
            return Optional.empty();
        }
        return Optional.of(new HealthVerdict(HealthVerdict.NOTHING_NEW,
                n + " of the last " + empties.size() + " messages added nothing new, like " + quote(u),
                Map.of("empty", (double) n, "window", (double) empties.size())));
    }

    private Optional<HealthVerdict> echo(Utterance u, double likePrevious) {
        if (echo.size() < config.repeats()) {
            return Optional.empty();
        }
        Set<String> who = new LinkedHashSet<>(echo);
        if (who.size() < 2) {
            return Optional.empty();
        }
        return Optional.of(new HealthVerdict(HealthVerdict.ECHO,
                names(who) + " have said nearly the same thing " + echo.size() + " times in a row: " + quote(u),
                Map.of("times", (double) echo.size(), "similarity", round(likePrevious))));
    }

    private Optional<HealthVerdict> repeat(Utterance u, int count, double likeOwn) {
        if (count < config.repeats()) {
            return Optional.empty();
        }
        return Optional.of(new HealthVerdict(HealthVerdict.REPEAT,
                u.speaker + " has said nearly the same thing " + count + " times in a row and nobody added anything: "
                        + quote(u),
                Map.of("times", (double) count, "similarity", round(likeOwn))));
    }

    private Optional<HealthVerdict> template(Utterance u) {
        if (sameness.size() < config.templateMessages() || u.wordCount < config.templateMinWords()) {
            return Optional.empty();
        }
        double mean = sameness.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        if (mean < config.templateSameness()) {
            return Optional.empty();
        }
        return Optional.of(new HealthVerdict(HealthVerdict.TEMPLATE,
                "the last " + sameness.size() + " long messages were " + Math.round(mean * 100)
                        + "% what had been said already: " + quote(u),
                Map.of("messages", (double) sameness.size(), "sameness", round(mean))));
    }

    private Optional<HealthVerdict> stale(Utterance u) {
        if (staleRun < config.staleMessages() || u.wordCount < config.templateMinWords()) {
            return Optional.empty();
        }
        return Optional.of(new HealthVerdict(HealthVerdict.STALE,
                "the last " + staleRun + " long messages each brought at most " + Math.round(staleMost * 100)
                        + "% new words: " + quote(u),
                Map.of("messages", (double) staleRun, "newShare", round(staleMost))));
    }

    private Optional<HealthVerdict> rapture(Utterance u) {
        if (rapture.size() < config.raptureMessages() || u.wordCount < config.templateMinWords()) {
            return Optional.empty();
        }
        double mean = rapture.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        if (mean < config.raptureShare()) {
            return Optional.empty();
        }
        return Optional.of(new HealthVerdict(HealthVerdict.RAPTURE,
                "the last " + rapture.size() + " long messages were " + String.format(Locale.ROOT, "%.1f", mean * 100)
                        + "% words of praise and rapture: " + quote(u),
                Map.of("messages", (double) rapture.size(), "share", round(mean))));
    }

    private Optional<HealthVerdict> formula(Utterance u) {
        if (formulaRun < config.formulaMessages()) {
            return Optional.empty();
        }
        double mean = restated.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        if (mean < config.formulaRestated()) {
            return Optional.empty();
        }
        return Optional.of(new HealthVerdict(HealthVerdict.FORMULA,
                names(formulaSpeakers) + " have opened " + formulaRun
                        + " messages in a row the same way, the last " + restated.size() + " restating "
                        + Math.round(mean * 100) + "% of the one before: " + quote(u),
                Map.of("messages", (double) formulaRun, "restated", round(mean))));
    }

    /** Yes-or-no marks of the latest messages, at most {@code max} of them, and how many are yes. */
    private static final class Flags {
        private final boolean[] ring;
        private int next;
        private int size;
        private int set;

        Flags(int max) {
            ring = new boolean[Math.max(0, max)];
        }

        void push(boolean flag) {
            if (ring.length == 0) {
                return;
            }
            if (size == ring.length) {
                set -= ring[next] ? 1 : 0;
            } else {
                size++;
            }
            ring[next] = flag;
            set += flag ? 1 : 0;
            next = next + 1 == ring.length ? 0 : next + 1;
        }

        int size() {
            return size;
        }

        int set() {
            return set;
        }

        void clear() {
            Arrays.fill(ring, false);
            next = 0;
            size = 0;
            set = 0;
        }
    }

    private static <T> void push(Deque<T> deque, T value, int max) {
        deque.addLast(value);
        while (deque.size() > max) {
            deque.removeFirst();
        }
    }

    private static String names(Set<String> who) {
        List<String> list = new ArrayList<>(who);
        if (list.size() == 2) {
            return list.get(0) + " and " + list.get(1);
        }
        return String.join(", ", list.subList(0, list.size() - 1)) + " and " + list.get(list.size() - 1);
    }

    private static String quote(Utterance u) {
        String q = u.quote(QUOTE);
        return q.isEmpty() ? "(a blank message)" : "\"" + q + "\"";
    }

    private static double round(double x) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.3f", x));
    }
}
