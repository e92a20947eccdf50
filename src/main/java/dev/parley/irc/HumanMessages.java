package dev.parley.irc;

import dev.parley.room.Inbound;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What a room hears from humans: PRIVMSGs to its channel, and to the control nick when direct messages are on
 * (naming the channel first when the control nick serves several rooms, see {@link DirectMessages}). Our own
 * identities, NOTICEs and CTCP other than ACTION are not humans speaking. Each message says whether its sender
 * is an operator, by services account (the message's account tag, else what the {@link AccountTracker} knows)
 * or by mask.
 */
final class HumanMessages {
    private final String channel;
    private final IrcConnection.Member control;
    private final boolean directMessages;
    private final Predicate<String> isOwnNick;
    private final Function<String, Optional<String>> accountOf;
    private final OperatorRules operators;

    HumanMessages(String channel, IrcConnection.Member control, boolean directMessages, Predicate<String> isOwnNick,
                  Function<String, Optional<String>> accountOf, OperatorRules operators) {
        this.channel = channel;
        this.control = control;
        this.directMessages = directMessages;
        this.isOwnNick = isOwnNick;
        this.accountOf = accountOf;
        this.operators = operators;
    }

    /** A PRIVMSG the control connection received: a human's message for this room, or empty. */
    Optional<Inbound> read(IrcLine line) {
        String from = line.nick();
        if (from.isEmpty() || line.user().isEmpty() || isOwnNick.test(from)) {
            return Optional.empty();
        }
        CaseMapping cm = control.caseMapping();
        String target = line.param(0);
        boolean inChannel = cm.equals(target, channel);
        boolean direct = !inChannel && cm.equals(target, control.nick());
        if (!inChannel && !(direct && directMessages)) {
            return Optional.empty();
        }
        String text = line.param(1);
        if (direct) {
            // "#chan !stop": required when the control nick serves several rooms, accepted always; a message
            // naming another channel is for another room.
            Optional<String> named = DirectMessages.addressedChannel(text);
            if (named.isPresent()) {
                if (!cm.equals(named.get(), channel)) {
                    return Optional.empty();
                }
                text = text.substring(named.get().length()).stripLeading();
                if (text.isEmpty()) {
                    return Optional.empty();
                }
            } else if (control.shared()) {
                return Optional.empty();
            }
        }
        boolean action = false;
        if (text.startsWith("\u0001")) {
            String ctcp = text.substring(1, text.endsWith("\u0001") && text.length() > 1 ? text.length() - 1 : text.length());
            if (!ctcp.startsWith("ACTION ")) {
                return Optional.empty();
            }
            action = true;
            text = ctcp.substring("ACTION ".length());
        }
        Optional<String> account = Optional.ofNullable(line.tags().get("account")).or(() -> accountOf.apply(from));
        boolean operator = operators.isOperator(from, line.user(), line.host(), account);
        return Optional.of(new Inbound(from, IrcText.sanitizeLine(text, false), operator, action, direct));
    }
}
