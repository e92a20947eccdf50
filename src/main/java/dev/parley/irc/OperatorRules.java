package dev.parley.irc;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides whether a human on an IRC network is an operator: by services account when the server told us one
 * (IRCv3 account-tag, extended-join, account-notify), else by {@code nick!user@host} glob ({@code *} any run,
 * {@code ?} one character, case-insensitive as IRC nicks and hosts are).
 */
public final class OperatorRules {
    private final List<String> accounts;
    private final List<Pattern> masks;

    public OperatorRules(List<String> accounts, List<String> masks) {
        this.accounts = accounts.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
        this.masks = masks.stream().map(OperatorRules::glob).toList();
    }

    /** Whether some operators are named by services account (so accounts are worth looking up). */
    boolean byAccount() {
        return !accounts.isEmpty();
    }

    public boolean isOperator(String nick, String user, String host, Optional<String> account) {
        if (account.isPresent() && !account.get().isEmpty() && !account.get().equals("*")
                && accounts.contains(account.get().toLowerCase(Locale.ROOT))) {
            return true;
        }
        String mask = nick + "!" + user + "@" + host;
        return masks.stream().anyMatch(p -> p.matcher(mask).matches());
    }

    static Pattern glob(String mask) {
        StringBuilder re = new StringBuilder();
        for (char c : mask.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }
}
