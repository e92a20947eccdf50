/**
 * The Room on IRC: one PircBotX connection per identity (control nick and each seat), our own text safety,
 * byte-exact splitting, pacing, in-order receiving and reconnect supervision on top of PircBotX 2.1. A connection
 * and a room are façades over parts with one job each (nick, channels, ISUPPORT and CASEMAPPING, login, watchdogs,
 * accounts; see docs/irc.md); nicks and channel names are compared through the server's {@code CaseMapping}.
 * Depends on core, room and config records only; never on the conversation engine, models or commands.
 */
package dev.parley.irc;
