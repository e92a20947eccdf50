package dev.parley.irc;

import java.io.IOException;
import org.pircbotx.Configuration;
import org.pircbotx.PircBotX;

/**
 * PircBotX, writing each line as it does but without telling its listeners: for every line written it split the
 * line into words and sent an OutputEvent through the listeners, which none of parley's handles, on the path
 * between a server's PONG and the room's next message.
 */
final class QuietBot extends PircBotX {
    QuietBot(Configuration configuration) {
        super(configuration);
    }

    @Override
    protected void sendRawLineToServer(String line) throws IOException {
        int max = getConfiguration().getMaxLineLength() - 2;
        outputWriter.write((line.length() > max ? line.substring(0, max) : line) + "\r\n");
        outputWriter.flush();
    }
}
