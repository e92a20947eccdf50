package dev.parley.irc;

import dev.parley.config.Secret;
import dev.parley.core.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The channels one identity is in, or wants to be in, and the rooms ({@link Occupant}s) using each:
 * joining them on the welcome, knowing when we are in, and rejoining after a kick, a part we did not ask for or a
 * refused join. Channel names are compared through the server's CASEMAPPING. Adding and removing channels is
 * done under the connection's lock; the input thread reads without it.
 */
final class ChannelMembership {
    /** A room's use of one channel of this identity ({@link IrcConnection.Member}): what it wants and hears. */
    interface Occupant {
        /** The room is open: the identity should be in the channel. */
        boolean isOpen();

        /** The identity is in the channel. */
        void joinedChannel();

        /** The identity is out of the channel (kicked, parted, disconnected). */
        void leftChannel(String why);

        /** Something the operator must fix or know. */
        void problem(String problem);

        /** A line the server sent, after the connection's bookkeeping. */
        void heard(IrcLine line);
    }

    /** A channel this identity is (or wants to be) in; its queue holds lines until it is joined. */
    final class Channel {
        final String name;
        final Optional<Secret> key;
        final SendQueue queue;
        final List<Occupant> members = new CopyOnWriteArrayList<>();
        volatile boolean joined;
        volatile boolean problemReported;

        private Channel(String name, Optional<Secret> key) {
            this.name = name;
            this.key = key.filter(k -> !k.isBlank());
            this.queue = new SendQueue(scheduler, new SendQueue.Sink() {
                @Override
                public boolean ready() {
                    return joined;
                }

                @Override
                public boolean write(String line) {
                    return write.test(line);
                }

                @Override
                public boolean acknowledges() {
                    return true;
                }

                @Override
                public boolean ping(String token) {
                    return write.test("PING :" + token);
                }
            }, budget);
        }

        /** Some room showing this channel is open: the identity should be in it. */
        boolean wanted() {
            return members.stream().anyMatch(Occupant::isOpen);
        }

        String joinCommand() {
            return "JOIN " + name + key.map(k -> " " + k.reveal()).orElse("");
        }
    }

    private final String who;
    private final Scheduler scheduler;
    private final LineBudget budget;
    private final Predicate<String> write;
    private final Supplier<CaseMapping> caseMapping;
    private final BooleanSupplier online;
    private final Supplier<Duration> refusedJoinDelay;
    private final Duration rejoinDelay;
    private final List<Channel> channels = new CopyOnWriteArrayList<>();

    /**
     * @param who              the identity's wanted nick, for problem reports
     * @param online           whether the connection is registered and not closing (rejoins wait otherwise)
     * @param refusedJoinDelay the wait before trying again a join the server refused (the connection's backoff)
     * @param rejoinDelay      the wait before rejoining after a kick or a part we did not ask for
     */
    ChannelMembership(String who, Scheduler scheduler, LineBudget budget, Predicate<String> write,
                      Supplier<CaseMapping> caseMapping, BooleanSupplier online, Supplier<Duration> refusedJoinDelay,
                      Duration rejoinDelay) {
        this.who = who;
        this.scheduler = scheduler;
        this.budget = budget;
        this.write = write;
        this.caseMapping = caseMapping;
        this.online = online;
        this.refusedJoinDelay = refusedJoinDelay;
        this.rejoinDelay = rejoinDelay;
    }

    /** The channel named {@code name} (the server's casemapping), or null. */
    Channel find(String name) {
        CaseMapping cm = caseMapping.get();
        for (Channel c : channels) {
            if (cm.equals(c.name, name)) {
                return c;
            }
        }
        return null;
    }

    /** The channel, added if new. Call under the connection's lock. */
    Channel findOrAdd(String name, Optional<Secret> key) {
        Channel c = find(name);
        if (c == null) {
            c = new Channel(name, key);
            channels.add(c);
        }
        return c;
    }

    /** Call under the connection's lock. */
    void remove(Channel c) {
        channels.remove(c);
    }

    List<Channel> all() {
        return List.copyOf(channels);
    }

    /** The rooms using this identity, over all its channels. */
    int memberCount() {
        return channels.stream().mapToInt(c -> c.members.size()).sum();
    }

    void forEachMember(Consumer<Occupant> action) {
        for (Channel c : channels) {
            c.members.forEach(action);
        }
    }

    /** Welcomed: join every channel some room wants. */
    void joinWanted() {
        for (Channel c : channels) {
            if (c.wanted()) {
                write.test(c.joinCommand());
            }
        }
    }

    /** Our own JOIN echoed: we are in, and what waited in the channel's queue can go. */
    void joined(Channel c) {
        c.problemReported = false;
        if (!c.joined) {
            c.joined = true;
            c.members.forEach(Occupant::joinedChannel);
        }
        c.queue.kick();
    }

    /** KICK #channel nick :reason, with {@code isUs} telling our nick. */
    void kicked(IrcLine line, Predicate<String> isUs) {
        Channel c = find(line.param(0));
        if (c != null && isUs.test(line.param(1))) {
            left(c, "kicked by " + line.nick() + ": " + line.param(2), true);
        }
    }

    /** Our own PART that no room asked for (a server or services made us leave): go back in. */
    void parted(IrcLine line, Predicate<String> isUs) {
        Channel c = find(line.param(0));
        if (c != null && isUs.test(line.nick()) && c.wanted() && online.getAsBoolean()) {
            left(c, "parted", true);
        }
    }

    /** 471/473/474/475/477/403/405 me #channel :why — said once per streak (the operator must act), retried. */
    void joinRefused(IrcLine line) {
        Channel c = find(line.param(1));
        if (c == null) {
            return;
        }
        if (!c.problemReported) {
            c.problemReported = true;
            for (Occupant m : c.members) {
                m.problem(who + " cannot join " + c.name + ": " + line.param(2));
            }
        }
        rejoinLater(c, refusedJoinDelay.get());
    }

    /** PONG: the answer to a PING a send queue wrote after its lines, so the server has read them. */
    void acknowledged(IrcLine pong) {
        String token = pong.params().isEmpty() ? "" : pong.param(pong.params().size() - 1);
        channels.forEach(c -> c.queue.acknowledged(token));
    }

    /** The connection is gone: out of every channel, and what was written but not acknowledged goes again. */
    void disconnected() {
        for (Channel c : channels) {
            left(c, "disconnected", false);
            c.queue.connectionLost();
        }
    }

    /** Closing for good: queues drop what they hold. */
    void closeQueues() {
        channels.forEach(c -> c.queue.close());
    }

    private void left(Channel c, String why, boolean rejoin) {
        if (c.joined) {
            c.joined = false;
            c.members.forEach(m -> m.leftChannel(why));
        }
        if (rejoin) {
            rejoinLater(c, rejoinDelay);
        }
    }

    private void rejoinLater(Channel c, Duration delay) {
        scheduler.schedule(delay, () -> {
            if (online.getAsBoolean() && !c.joined && c.wanted()) {
                write.test(c.joinCommand());
            }
        });
    }
}
