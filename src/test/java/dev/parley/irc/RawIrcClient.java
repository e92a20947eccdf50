package dev.parley.irc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A human in the channel, on a plain socket with no IRC library in between: registers, joins, says things and
 * records every line the server sends, decoded as UTF-8 exactly (a broken byte sequence shows up as U+FFFD, which
 * tests look for). Answers PINGs so that it stays connected.
 */
public final class RawIrcClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final String nick;
    private final BlockingQueue<IrcLine> inbox = new LinkedBlockingQueue<>();
    private final List<IrcLine> all = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean closed;

    private RawIrcClient(Socket socket, String nick) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.nick = nick;
        this.reader = new Thread(this::readLoop, "raw-irc-" + nick);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Connects and registers as {@code nick} (user {@code user}); returns once the server welcomed us. */
    public static RawIrcClient connect(String host, int port, String nick, String user) throws IOException {
        return connect(host, port, nick, user, null);
    }

    /** Same, first asking for an IRCv3 capability ({@code cap}, may be null) and waiting for the answer. */
    public static RawIrcClient connect(String host, int port, String nick, String user, String cap)
            throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(host, port), 5000);
        RawIrcClient c = new RawIrcClient(s, nick);
        if (cap != null) {
            c.send("CAP REQ :" + cap);
        }
        c.send("NICK " + nick);
        c.send("USER " + user + " 0 * :parley test human");
        if (cap != null) {
            c.await(l -> l.command().equals("CAP") && (l.param(1).equals("ACK") || l.param(1).equals("NAK")),
                    Duration.ofSeconds(15));
            c.send("CAP END");
        }
        IrcLine welcome = c.await(l -> l.command().equals("001") || l.command().equals("433"), Duration.ofSeconds(15));
        if (welcome.command().equals("433")) {
            c.close();
            throw new IOException("nick " + nick + " in use");
        }
        return c;
    }

    public String nick() {
        return nick;
    }

    public void join(String channel) throws IOException {
        send("JOIN " + channel);
        await(l -> l.command().equals("366") && l.param(1).equalsIgnoreCase(channel), Duration.ofSeconds(15));
    }

    public void say(String target, String text) throws IOException {
        send("PRIVMSG " + target + " :" + text);
    }

    public void action(String target, String text) throws IOException {
        send("PRIVMSG " + target + " :\u0001ACTION " + text + "\u0001");
    }

    public synchronized void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Waits for the next line (not yet consumed by an await) matching {@code what}; earlier others are dropped. */
    public IrcLine await(Predicate<IrcLine> what, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            IrcLine l;
            try {
                l = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            if (l == null) {
                throw new IOException(nick + ": nothing matching within " + timeout + "; lines seen: " + tail());
            }
            if (what.test(l)) {
                return l;
            }
        }
    }

    /** Collects the next {@code n} PRIVMSGs to {@code channel} from {@code fromNicks} (any, when empty). */
    public List<IrcLine> privmsgs(String channel, int n, Duration timeout, String... fromNicks) throws IOException {
        List<IrcLine> got = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (got.size() < n) {
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            try {
                got.add(await(l -> l.command().equals("PRIVMSG") && l.param(0).equalsIgnoreCase(channel)
                        && (fromNicks.length == 0 || List.of(fromNicks).contains(l.nick())), left));
            } catch (IOException e) {
                throw new IOException("got " + got.size() + " of " + n + " messages: " + e.getMessage(), e);
            }
        }
        return got;
    }

    /** Every line received so far, in order (unaffected by awaits). */
    public List<IrcLine> allLines() {
        return List.copyOf(all);
    }

    private String tail() {
        List<IrcLine> lines = allLines();
        return lines.subList(Math.max(0, lines.size() - 8), lines.size()).toString();
    }

    private void readLoop() {
        try (InputStream in = new java.io.BufferedInputStream(socket.getInputStream())) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    String text = new String(bytes, 0, len, StandardCharsets.UTF_8);
                    line.reset();
                    IrcLine parsed = IrcLine.parse(text);
                    if (parsed.command().equals("PING")) {
                        send("PONG :" + parsed.param(0));
                    }
                    all.add(parsed);
                    inbox.add(parsed);
                } else {
                    line.write(b);
                }
            }
        } catch (IOException e) {
            if (!closed) {
                all.add(IrcLine.parse("ERROR :raw client read failed: " + e.getMessage()));
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            send("QUIT :bye");
        } catch (IOException ignored) {
            // Already gone.
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing anyway.
        }
    }
}
