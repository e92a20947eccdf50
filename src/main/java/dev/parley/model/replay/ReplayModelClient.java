package dev.parley.model.replay;

import dev.parley.core.Cancellable;
import dev.parley.core.Scheduler;
import dev.parley.model.CallGuard;
import dev.parley.model.ModelClient;
import dev.parley.model.ModelError;
import dev.parley.model.ModelReply;
import dev.parley.model.ModelRequest;
import dev.parley.model.ReplyListener;
import dev.parley.model.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Says the given lines, one per call, in order, whatever the prompt. Each line streams word by word: all at once
 * (on the scheduler, never on the caller's thread) when {@code charsPerSecond} is 0, else paced at that typing
 * speed on the Scheduler. A call cancelled before it finished gives its line back, so a paused and resumed
 * replay loses nothing.
 *
 * <p>When the lines run out the call fails PERMANENT "replay script exhausted": the script is over and no retry
 * can help; the engine mutes the seat and says so, rather than the replay inventing an end token the
 * transcript never had.
 */
public final class ReplayModelClient implements ModelClient {
    private final List<String> lines;
    private final Scheduler scheduler;
    private final double charsPerSecond;
    private int next;

    public ReplayModelClient(List<String> lines, Scheduler scheduler, double charsPerSecond) {
        if (charsPerSecond < 0 || Double.isNaN(charsPerSecond)) {
            throw new IllegalArgumentException("chars-per-second must be 0 (instant) or more: " + charsPerSecond);
        }
        this.lines = List.copyOf(lines);
        this.scheduler = scheduler;
        this.charsPerSecond = charsPerSecond;
    }

    /** How many lines have been said (or are being said). */
    public synchronized int position() {
        return next;
    }

    @Override
    public Cancellable start(ModelRequest request, ReplyListener listener) {
        CallGuard guard = new CallGuard(listener);
        int index;
        synchronized (this) {
            index = next;
            if (index < lines.size()) {
                next++;
            }
        }
        if (index >= lines.size()) {
            Cancellable c = scheduler.execute(() -> guard.error(ModelError.of(ModelError.Kind.PERMANENT,
                    "replay script exhausted after " + lines.size() + " lines")));
            return () -> {
                guard.close();
                c.cancel();
            };
        }
        String line = lines.get(index);
        Typing typing = new Typing(line, guard);
        typing.next(0);
        return () -> {
            if (guard.close()) {
                typing.cancel();
                giveBack(index);
            }
        };
    }

    /**
     * One line said word by word. Each word is scheduled only once the one before was delivered: timers due at
     * the same moment may run at once on a pool of workers, and the listener must get the words in order.
     * Their times are reckoned from the start, so the chain does not drift.
     */
    private final class Typing {
        private final String line;
        private final List<String> words;
        private final CallGuard guard;
        private final Instant start = scheduler.now();
        private double at;
        private volatile Cancellable current = Cancellable.NONE;

        Typing(String line, CallGuard guard) {
            this.line = line;
            this.words = words(line);
            this.guard = guard;
        }

        void next(int i) {
            if (guard.isClosed()) {
                return;
            }
            if (charsPerSecond == 0 || words.isEmpty()) {
                current = scheduler.execute(() -> {
                    words.forEach(guard::delta);
                    finish();
                });
                return;
            }
            at += words.get(i).length() / charsPerSecond;
            Duration due = Duration.between(scheduler.now(), start.plusNanos((long) (at * 1e9)));
            current = scheduler.schedule(due.isNegative() ? Duration.ZERO : due, () -> {
                guard.delta(words.get(i));
                if (i + 1 < words.size()) {
                    next(i + 1);
                } else {
                    finish();
                }
            });
        }

        private void finish() {
            guard.reply(new ModelReply(line, Usage.NONE, "stop", false));
        }

        void cancel() {
            current.cancel();
        }
    }

    private synchronized void giveBack(int index) {
        if (next == index + 1) {
            next = index;
        }
    }

    /** Splits before each word, keeping whitespace with the word before it: " a b\nc" -> " a ", "b\n", "c". */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        int start = 0;
        boolean wordInPiece = false; // leading whitespace goes with the first word
        for (int i = 0; i < line.length(); i++) {
            boolean space = Character.isWhitespace(line.charAt(i));
            if (!space && wordInPiece && Character.isWhitespace(line.charAt(i - 1))) {
                out.add(line.substring(start, i));
                start = i;
            }
            wordInPiece |= !space;
        }
        if (start < line.length()) {
            out.add(line.substring(start));
        }
        return out;
    }

    @Override
    public String describe() {
        return "replay (" + lines.size() + " lines)";
    }
}
