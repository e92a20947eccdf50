package dev.parley.irc;

import dev.parley.core.Cancellable;
import dev.parley.core.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One identity's nick: the one it wants, the fallback it takes while that is held by someone else ({@code Nick_},
 * {@code Nick-}, {@code Nick__}, then {@code Nick} and three digits), the retries to get the wanted one back, and
 * the nick the server knows us by now. PircBotX's own nick change is off: it only appends to the nick.
 */
final class NickKeeper {
    private static final Logger log = LoggerFactory.getLogger(NickKeeper.class);

    private final String wanted;
    private final List<String> fallbacks;
    private final Scheduler scheduler;
    private final Duration retryEvery;
    private final Supplier<CaseMapping> caseMapping;
    private final BooleanSupplier online;
    private final Predicate<String> write;
    private final IntSupplier lastResort;
    private volatile String nick;
    private int fallbackIndex;
    private Cancellable retry = Cancellable.NONE;

    /**
     * @param caseMapping the server's, to tell our nick from others
     * @param online      whether the connection is registered and not closing (retries stop otherwise)
     * @param write       sends one raw line now; false if it could not
     */
    NickKeeper(String wanted, Scheduler scheduler, Duration retryEvery, Supplier<CaseMapping> caseMapping,
               BooleanSupplier online, Predicate<String> write) {
        this(wanted, scheduler, retryEvery, caseMapping, online, write,
                () -> ThreadLocalRandom.current().nextInt(100, 1000));
    }

    NickKeeper(String wanted, Scheduler scheduler, Duration retryEvery, Supplier<CaseMapping> caseMapping,
               BooleanSupplier online, Predicate<String> write, IntSupplier lastResort) {
        this.wanted = wanted;
        this.fallbacks = List.of(wanted + "_", wanted + "-", wanted + "__");
        this.scheduler = scheduler;
        this.retryEvery = retryEvery;
        this.caseMapping = caseMapping;
        this.online = online;
        this.write = write;
        this.lastResort = lastResort;
        this.nick = wanted;
    }

    String wanted() {
        return wanted;
    }

    /** The nick the server knows us by right now. */
    String current() {
        return nick;
    }

    /** Whether {@code other} is our current nick, to the server. */
    boolean isUs(String other) {
        return caseMapping.get().equals(other, nick);
    }

    /** Whether {@code other} is the wanted nick, to the server. */
    boolean isWanted(String other) {
        return caseMapping.get().equals(other, wanted);
    }

    /** A new connection starts from the wanted nick. */
    void newSession() {
        retry.cancel();
        fallbackIndex = 0;
        nick = wanted;
    }

    /** 433 before the welcome: the nick we asked for is taken; ask for the next fallback. */
    void nickInUse() {
        String next = fallbackIndex < fallbacks.size()
                ? fallbacks.get(fallbackIndex)
                : wanted + lastResort.getAsInt();
        fallbackIndex++;
        nick = next;
        write.test("NICK " + next);
    }

    /** 001: the server welcomed us as {@code ourNick}; when that is a fallback, the wanted nick is tried again. */
    void welcomedAs(String ourNick) {
        nick = ourNick;
        if (!isWanted(ourNick)) {
            log.info("{} is taken, using {} and retrying every {} s", wanted, ourNick, retryEvery.toSeconds());
            scheduleRetry();
        }
    }

    /** A NICK line: when it is ours, the server now knows us by the new nick. */
    void nickChanged(IrcLine line) {
        if (isUs(line.nick())) {
            nick = line.param(0);
            log.info("{}: now known as {}", wanted, nick);
        }
    }

    /** The connection ended or is closing: no more retries. */
    void stop() {
        retry.cancel();
    }

    /** The UTF-8 length of the longest nick this identity may have: its relayed lines must fit with it. */
    int longestBytes() {
        int longest = Math.max(IrcText.utf8Length(nick), IrcText.utf8Length(wanted));
        for (String f : fallbacks) {
            longest = Math.max(longest, IrcText.utf8Length(f));
        }
        return longest;
    }

    private void scheduleRetry() {
        retry.cancel();
        retry = scheduler.schedule(retryEvery, () -> {
            if (!online.getAsBoolean() || isWanted(nick)) {
                return;
            }
            write.test("NICK " + wanted);
            scheduleRetry();
        });
    }
}
