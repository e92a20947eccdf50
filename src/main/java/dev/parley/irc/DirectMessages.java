package dev.parley.irc;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * Private messages to a control identity that serves several rooms: each must name the room's channel first
 * ({@code /msg parley #rust !stop}), so that one private "!stop" cannot stop every conversation. The rooms take
 * what names them ({@link #addressedChannel}); the connection answers, once, what names none.
 */
final class DirectMessages {
    private final boolean enabled;
    private final ChannelMembership channels;
    private final Predicate<String> isUs;
    private final LineBudget budget;
    private final Predicate<String> write;

    /**
     * @param enabled whether this identity takes direct messages at all (the control identity, with
     *                {@code direct-messages = true})
     * @param isUs    whether a nick is this identity's current one
     */
    DirectMessages(boolean enabled, ChannelMembership channels, Predicate<String> isUs, LineBudget budget,
                   Predicate<String> write) {
        this.enabled = enabled;
        this.channels = channels;
        this.isUs = isUs;
        this.budget = budget;
        this.write = write;
    }

    /**
     * The first word of a private message to this identity that names one of its channels ("#chan !stop"), or
     * empty. With several rooms on one connection, that is how a direct message says which conversation it is for.
     */
    static Optional<String> addressedChannel(String text) {
        int space = text.indexOf(' ');
        String first = space < 0 ? text : text.substring(0, space);
        return first.isEmpty() || "#&+!".indexOf(first.charAt(0)) < 0 ? Optional.empty() : Optional.of(first);
    }

    /**
     * A direct message that names none of the rooms reaches no room; the sender is told how to name one.
     * Answered once per connection here rather than by each room, and only within the line budget, so that a
     * flood of private messages cannot make us flood the server.
     */
    void refuseUnaddressed(IrcLine privmsg) {
        String text = privmsg.param(1);
        if (!enabled || !isUs.test(privmsg.param(0)) || privmsg.nick().isEmpty() || privmsg.user().isEmpty()
                || text.startsWith("\u0001") || channels.memberCount() < 2) {
            return;
        }
        boolean named = addressedChannel(text).map(channels::find).map(c -> !c.members.isEmpty()).orElse(false);
        if (named || !budget.take().isZero()) {
            return;
        }
        String served = channels.all().stream().filter(c -> !c.members.isEmpty()).map(c -> c.name).sorted()
                .reduce((x, y) -> x + " " + y).orElse("");
        String example = served.isEmpty() ? "#channel" : served.split(" ")[0];
        write.test("NOTICE " + privmsg.nick() + " :I serve several channels (" + served + "); start a private"
                + " command with the channel, e.g. \"" + example + " !stop\". Replies appear in that channel.");
    }
}
