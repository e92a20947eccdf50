package dev.parley.config;

import java.util.regex.Pattern;

/**
 * The one owner of IRC nick and channel syntax: the config reader reports a name that breaks it (with key, file and
 * line), and a room given a name some other way (a test, a replay) refuses it by the same rule.
 */
public final class IrcNames {
    /** The most characters a nick may have: what InspIRCd and ngircd accept as configured; servers may allow less. */
    public static final int NICK_MAX = 30;
    /** The most characters a channel name may have, its prefix included. */
    public static final int CHANNEL_MAX = 50;

    // RFC 2812 nick characters, not starting with a digit or '-'.
    private static final Pattern NICK = Pattern.compile(
            "[A-Za-z\\[\\]\\\\`_^{|}][A-Za-z0-9\\[\\]\\\\`_^{|}-]{0," + (NICK_MAX - 1) + "}");
    // A prefix, then no space, comma, BEL, NUL or colon: each would end or split the name on the wire.
    private static final Pattern CHANNEL = Pattern.compile("[#&+!][^\\s,\\x07\\x00:]{1," + (CHANNEL_MAX - 1) + "}");

    private IrcNames() {
    }

    public static boolean isNick(String nick) {
        return nick != null && NICK.matcher(nick).matches();
    }

    public static boolean isChannel(String channel) {
        return channel != null && CHANNEL.matcher(channel).matches();
    }
}
