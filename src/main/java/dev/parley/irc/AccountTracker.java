package dev.parley.irc;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The services accounts of the users in one channel, as the control identity sees them (KICL's actor tracker,
 * reduced to what operator checks need): from IRCv3 extended-join and account-notify for users who arrive after
 * us, and, without account-tag, one WHOX query (else WHOIS each, a few at most) for those already there when we
 * join. Keys are nicks folded through the server's CASEMAPPING. Runs on the control connection's input thread.
 */
final class AccountTracker {
    /** Marks our WHOX replies (354) among others'. */
    static final String WHOX_TOKEN = "152";
    /**
     * At most this many WHOIS at join where the server has no WHOX: they share the control nick's paced queue,
     * so a crowded channel must not hold its first notices back for long. Later arrivals are covered by
     * extended-join and account-notify where offered.
     */
    static final int MAX_WHOIS = 12;

    private final String channel;
    private final IrcConnection.Member control;
    private final boolean wanted;
    private final Predicate<String> isOwnNick;
    private final Predicate<String> queryable;
    private final Map<String, String> accounts = new ConcurrentHashMap<>();
    /** Nicks in the channel when the control identity joined (from NAMES), to look their accounts up. */
    private final Set<String> namesAtJoin = ConcurrentHashMap.newKeySet();
    private volatile boolean collectingNames;

    /**
     * @param wanted    whether operators are named by account at all (else nothing is looked up)
     * @param isOwnNick whether a nick is one of ours (never looked up)
     * @param queryable whether a nick from NAMES may go into a WHOIS line
     */
    AccountTracker(String channel, IrcConnection.Member control, boolean wanted, Predicate<String> isOwnNick,
                   Predicate<String> queryable) {
        this.channel = channel;
        this.control = control;
        this.wanted = wanted;
        this.isOwnNick = isOwnNick;
        this.queryable = queryable;
    }

    /** The account {@code nick} is logged in to, as far as we know. */
    Optional<String> account(String nick) {
        return Optional.ofNullable(accounts.get(key(nick)));
    }

    /** Every line the control connection received. */
    void handle(IrcLine line) {
        String from = line.nick();
        CaseMapping cm = control.caseMapping();
        switch (line.command()) {
            case "JOIN" -> {
                // extended-join: JOIN #channel account :realname ("*" = not logged in)
                if (line.params().size() >= 3) {
                    remember(from, line.param(1));
                }
                if (cm.equals(from, control.nick()) && cm.equals(line.param(0), channel)) {
                    namesAtJoin.clear();
                    collectingNames = wanted && !control.connection().hasCapability("account-tag");
                }
            }
            case "353" -> { // NAMES: 353 me = #channel :@nick +nick nick
                if (collectingNames && cm.equals(line.param(2), channel)) {
                    for (String entry : line.param(3).split(" ")) {
                        String nick = entry.replaceFirst("^[~&@%+!]+", "").replaceFirst("!.*$", "");
                        if (!nick.isEmpty() && !isOwnNick.test(nick)) {
                            namesAtJoin.add(nick);
                        }
                    }
                }
            }
            case "366" -> {
                if (collectingNames && cm.equals(line.param(1), channel)) {
                    collectingNames = false;
                    lookUp();
                }
            }
            case "354" -> { // WHOX %tuhna: 354 me token user host nick account ("0" = not logged in)
                if (line.param(1).equals(WHOX_TOKEN) && line.params().size() >= 6) {
                    remember(line.param(4), line.param(5).equals("0") ? "*" : line.param(5));
                }
            }
            case "330" -> remember(line.param(1), line.param(2)); // WHOIS: 330 me nick account :...
            case "ACCOUNT" -> remember(from, line.param(0));
            case "NICK" -> {
                String account = accounts.remove(key(from));
                if (account != null) {
                    accounts.put(key(line.param(0)), account);
                }
            }
            case "QUIT" -> accounts.remove(key(from));
            default -> { }
        }
    }

    /**
     * Without account-tag, a message does not say who is logged in, and extended-join / account-notify only tell
     * about users who arrive after us: ask about those already in the channel, with one WHOX query where the
     * server has it, else WHOIS each (a few at most).
     */
    private void lookUp() {
        List<String> nicks = namesAtJoin.stream().sorted().limit(MAX_WHOIS).toList();
        namesAtJoin.clear();
        if (nicks.isEmpty()) {
            return;
        }
        if (control.serverSupports("WHOX")) {
            control.query(List.of("WHO " + channel + " %tuhna," + WHOX_TOKEN));
        } else {
            control.query(nicks.stream().filter(queryable).map(n -> "WHOIS " + n).toList());
        }
    }

    private void remember(String nick, String account) {
        if (account.isEmpty() || account.equals("*")) {
            accounts.remove(key(nick));
        } else {
            accounts.put(key(nick), account);
        }
    }

    private String key(String nick) {
        return control.caseMapping().fold(nick);
    }
}
