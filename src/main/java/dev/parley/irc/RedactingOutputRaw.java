package dev.parley.irc;

import java.io.IOException;
import java.util.Locale;
import org.pircbotx.PircBotX;
import org.pircbotx.Utils;
import org.pircbotx.output.OutputRaw;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PircBotX's raw output, with passwords kept out of the log: PircBotX logs every line it writes (at INFO, under
 * org.pircbotx), which would include the server password, SASL credentials, NickServ IDENTIFY and channel keys
 * for anyone who turns that logger up to debug a connection. Lines are written exactly as PircBotX would
 * (same lock, same socket path); only what is logged changes. No delay: parley paces lines itself.
 */
final class RedactingOutputRaw extends OutputRaw {
    private static final Logger log = LoggerFactory.getLogger(OutputRaw.class);

    RedactingOutputRaw(PircBotX bot) {
        super(bot);
    }

    @Override
    public void rawLine(String line) {
        rawLineNow(line, false);
    }

    @Override
    public void rawLineNow(String line) {
        rawLineNow(line, false);
    }

    @Override
    public void rawLineNow(String line, boolean resetDelay) {
        if (line == null) {
            throw new NullPointerException("line");
        }
        if (!bot.isConnected()) {
            throw new IllegalArgumentException("Not connected to server");
        }
        writeLock.lock();
        try {
            if (log.isInfoEnabled()) {
                log.info(OUTPUT_MARKER, redact(line));
            }
            Utils.sendRawLineToServer(bot, line);
            lastSentLine = System.nanoTime();
            if (resetDelay) {
                writeNowCondition.signalAll();
            }
        } catch (IOException e) {
            throw new RuntimeException("IO exception when sending line to server", e);
        } finally {
            writeLock.unlock();
        }
    }

    /** The line as it may appear in a log: secrets replaced by "<redacted>". */
    static String redact(String line) {
        String upper = line.toUpperCase(Locale.ROOT);
        if (upper.startsWith("PASS ")) {
            return "PASS <redacted>";
        }
        if (upper.startsWith("AUTHENTICATE ") && !upper.equals("AUTHENTICATE PLAIN") && !upper.equals("AUTHENTICATE +")
                && !upper.equals("AUTHENTICATE *")) {
            return "AUTHENTICATE <redacted>";
        }
        if (upper.startsWith("JOIN ")) {
            String[] parts = line.split(" ", 3);
            return parts.length > 2 ? parts[0] + " " + parts[1] + " <redacted>" : line;
        }
        int colon = line.indexOf(" :");
        if (upper.startsWith("PRIVMSG NICKSERV ") || upper.startsWith("NICKSERV ") || upper.startsWith("NS ")) {
            return colon > 0 ? line.substring(0, colon) + " :<redacted>" : line.split(" ", 2)[0] + " <redacted>";
        }
        return line;
    }
}
