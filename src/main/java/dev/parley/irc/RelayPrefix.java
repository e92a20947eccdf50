package dev.parley.irc;

import java.util.function.IntSupplier;

/**
 * Our {@code user@host} as the server puts it before the lines it relays for us, learned from our own JOIN, a
 * hidden host (396) and CHGHOST; and so how many bytes a text may take for the relayed line to fit in 512.
 */
final class RelayPrefix {
    private final IntSupplier longestNickBytes;
    private volatile String user;
    private volatile String host;

    /** @param longestNickBytes the UTF-8 length of the longest nick the identity may have */
    RelayPrefix(IntSupplier longestNickBytes) {
        this.longestNickBytes = longestNickBytes;
    }

    /** Our own JOIN, echoed with our full prefix. */
    void joined(IrcLine ownJoin) {
        user = ownJoin.user();
        host = ownJoin.host();
    }

    /** 396 me host :is now your displayed host. */
    void hostHidden(IrcLine line) {
        if (!line.param(1).isEmpty()) {
            host = line.param(1);
        }
    }

    /** Our own CHGHOST user host. */
    void hostChanged(IrcLine ownChgHost) {
        user = ownChgHost.param(0);
        host = ownChgHost.param(1);
    }

    /**
     * The bytes a PRIVMSG or NOTICE text to {@code target} may take so that the server's relay to others fits in
     * 512 bytes: computed with the longest nick the identity may have and, until the server told us, worst-case
     * user and host lengths.
     */
    int textBudget(String target) {
        String u = user;
        String h = host;
        int userBytes = u == null ? IrcText.WORST_USER : IrcText.utf8Length(u);
        int hostBytes = h == null ? IrcText.WORST_HOST : IrcText.utf8Length(h);
        return IrcText.privmsgBudget("x".repeat(longestNickBytes.getAsInt()), userBytes, hostBytes, target);
    }
}
