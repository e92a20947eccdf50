package dev.parley.irc;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Which nicks in a room are ours (the control identity's and the seats'), renames included, so that a seat's
 * message is never taken for a human's. Each identity's connection knows its own nick; but the control
 * connection may see a seat's NICK before the seat's own connection does, so such renames are remembered here
 * until the seat's connection catches up (pruned then, when the nick changes again, and when it quits, so that a
 * human who later gets a nick a seat once had is heard). Nicks compare through the server's CASEMAPPING.
 */
final class OwnNicks {
    private final IrcConnection.Member control;
    private final Supplier<Collection<IrcConnection.Member>> seats;
    /** Folded nicks our seats took that the control connection saw before the seats' own threads did. */
    private final Set<String> renamed = ConcurrentHashMap.newKeySet();

    OwnNicks(IrcConnection.Member control, Supplier<Collection<IrcConnection.Member>> seats) {
        this.control = control;
        this.seats = seats;
    }

    boolean isOwn(String nick) {
        CaseMapping cm = control.caseMapping();
        if (renamed.contains(cm.fold(nick)) || cm.equals(control.nick(), nick)) {
            return true;
        }
        for (IrcConnection.Member s : seats.get()) {
            if (cm.equals(s.nick(), nick)) {
                return true;
            }
        }
        return false;
    }

    /** Drops the renamed nicks a member's connection now holds itself: its own nick covers them from here. */
    void prune() {
        if (renamed.isEmpty()) {
            return;
        }
        CaseMapping cm = control.caseMapping();
        renamed.remove(cm.fold(control.nick()));
        for (IrcConnection.Member s : seats.get()) {
            renamed.remove(cm.fold(s.nick()));
        }
    }

    /** Every line the control connection received: follows our renames, forgets those who quit. */
    void handle(IrcLine line) {
        CaseMapping cm = control.caseMapping();
        String from = line.nick();
        switch (line.command()) {
            case "NICK" -> {
                if (renamed.remove(cm.fold(from)) || isOwn(from)) {
                    renamed.add(cm.fold(line.param(0)));
                }
            }
            case "QUIT" -> renamed.remove(cm.fold(from));
            default -> { }
        }
    }
}
