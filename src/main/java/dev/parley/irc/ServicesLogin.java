package dev.parley.irc;

import dev.parley.config.Secret;
import java.util.Optional;
import java.util.function.Predicate;
import org.pircbotx.Configuration;
import org.pircbotx.cap.SASLCapHandler;

/**
 * Logging an identity in to the network's services: SASL PLAIN when the server offers it (PircBotX's cap
 * handler), else {@code IDENTIFY} to NickServ right at the welcome, before any channel is joined, so that the
 * identity is identified when it enters (a +r channel lets it in). The account is the wanted nick.
 */
final class ServicesLogin {
    private final String account;
    private final Optional<Secret> password;
    private volatile boolean saslSucceeded;

    ServicesLogin(String account, Optional<Secret> password) {
        this.account = account;
        this.password = password.filter(p -> !p.isBlank());
    }

    /** Asks for SASL on a new connection, when there is a password. */
    void configure(Configuration.Builder b) {
        password.ifPresent(p -> b.addCapHandler(new SASLCapHandler(account, p.reveal(), true)));
    }

    void newSession() {
        saslSucceeded = false;
    }

    /** 903: SASL succeeded. */
    void saslSucceeded() {
        saslSucceeded = true;
    }

    /** 001, before it is handled: SASL was not offered or failed, so identify with NickServ. */
    void welcomed(String ourNick, CaseMapping caseMapping, Predicate<String> write) {
        if (password.isPresent() && !saslSucceeded) {
            String secret = password.get().reveal();
            write.test("PRIVMSG NickServ :IDENTIFY " + (caseMapping.equals(ourNick, account) ? "" : account + " ")
                    + secret);
        }
    }
}
