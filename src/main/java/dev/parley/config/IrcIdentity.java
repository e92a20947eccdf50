package dev.parley.config;

import java.util.Optional;

/** A seat's IRC identity: its nick and, for a registered nick, the password (SASL PLAIN or NickServ). */
public record IrcIdentity(String nick, Optional<Secret> password) {
}
