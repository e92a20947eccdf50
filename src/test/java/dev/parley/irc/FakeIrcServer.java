package dev.parley.irc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scripted IRC server for what the packaged servers cannot show without IRC services: SASL PLAIN, NickServ,
 * IRCv3 account tags, extended-join, account-notify, and a server that goes silent. It speaks just enough of the
 * protocol for one channel; tests inject lines into a client's connection with {@link Client#send}.
 */
final class FakeIrcServer implements AutoCloseable {
    private final ServerSocket listener;
    private final boolean offerSasl;
    private final String saslPassword;
    private final BlockingQueue<Client> clients = new LinkedBlockingQueue<>();
    final List<String> received = new CopyOnWriteArrayList<>();
    /** Every line the server sent to any client, in order. */
    final List<String> sent = new CopyOnWriteArrayList<>();
    private volatile boolean silent;
    /** The capabilities offered besides SASL. */
    volatile String capsOffered = "account-tag extended-join account-notify";
    /** Whether ISUPPORT announces WHOX and WHO %... queries are answered with 354 replies. */
    volatile boolean whox;
    /** The CASEMAPPING ISUPPORT announces; none when null. */
    volatile String caseMapping;
    /** Users already in every channel when a client joins: nick to services account ("0": none). */
    final java.util.Map<String, String> channelUsers = new java.util.concurrent.ConcurrentHashMap<>();

    FakeIrcServer(boolean offerSasl, String saslPassword) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.offerSasl = offerSasl;
        this.saslPassword = saslPassword;
        Thread t = new Thread(this::acceptLoop, "fake-ircd");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** From now on, ignore every line from clients and send nothing (a frozen server). */
    void goSilent(boolean s) {
        silent = s;
    }

    /** The next client that completed registration and joined a channel. */
    Client nextJoined(Duration timeout) throws InterruptedException {
        Client c = clients.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (c == null) {
            throw new AssertionError("no client joined; server saw " + received);
        }
        return c;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                Client c = new Client(s);
                Thread t = new Thread(c::run, "fake-ircd-client");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    final class Client {
        private final Socket socket;
        private final OutputStream out;
        volatile String nick;
        volatile String account = "*";
        /** The lines this client sent, in order. */
        final List<String> lines = new CopyOnWriteArrayList<>();
        private boolean capNegotiating;
        private boolean registered;
        private String user;
        private final List<String> caps = new CopyOnWriteArrayList<>();

        Client(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        synchronized void send(String line) throws IOException {
            sent.add(line);
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        boolean hasCap(String cap) {
            return caps.contains(cap);
        }

        void close() throws IOException {
            socket.close();
        }

        private void run() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String raw;
                while ((raw = in.readLine()) != null) {
                    if (silent) {
                        continue;
                    }
                    received.add(raw);
                    lines.add(raw);
                    handle(IrcLine.parse(raw));
                }
            } catch (IOException e) {
                // Client gone.
            }
        }

        private void handle(IrcLine l) throws IOException {
            switch (l.command()) {
                case "CAP" -> {
                    switch (l.param(0)) {
                        case "LS" -> {
                            capNegotiating = true;
                            send(":fake CAP * LS :" + (offerSasl ? "sasl " : "") + capsOffered);
                        }
                        case "REQ" -> {
                            caps.addAll(List.of(l.param(1).trim().split(" ")));
                            send(":fake CAP * ACK :" + l.param(1).trim());
                        }
                        case "END" -> {
                            capNegotiating = false;
                            maybeWelcome();
                        }
                        default -> { }
                    }
                }
                case "AUTHENTICATE" -> {
                    if (l.param(0).equals("PLAIN")) {
                        send("AUTHENTICATE +");
                    } else {
                        String[] parts = new String(Base64.getDecoder().decode(l.param(0)), StandardCharsets.UTF_8)
                                .split("\u0000", -1);
                        if (parts.length == 3 && parts[2].equals(saslPassword)) {
                            account = parts[1];
                            send(":fake 900 " + nick + " " + nick + "!u@h " + account + " :You are now logged in");
                            send(":fake 903 " + nick + " :SASL authentication successful");
                        } else {
                            send(":fake 904 " + nick + " :SASL authentication failed");
                        }
                    }
                }
                case "NICK" -> {
                    nick = l.param(0);
                    maybeWelcome();
                }
                case "USER" -> {
                    user = l.param(0);
                    maybeWelcome();
                }
                case "PING" -> send(":fake PONG fake :" + l.param(0));
                case "JOIN" -> {
                    String extra = hasCap("extended-join") ? " " + account + " :realname" : "";
                    send(":" + nick + "!" + user + "@fake.host JOIN " + l.param(0) + extra);
                    send(":fake 353 " + nick + " = " + l.param(0) + " :" + nick
                            + channelUsers.keySet().stream().map(n -> " @" + n).reduce("", String::concat));
                    send(":fake 366 " + nick + " " + l.param(0) + " :End of /NAMES list.");
                    clients.add(this);
                }
                case "WHO" -> {
                    // WHOX, fields %tuhna only: 354 me token user host nick account
                    if (whox && l.param(1).startsWith("%")) {
                        String token = l.param(1).contains(",") ? l.param(1).substring(l.param(1).indexOf(',') + 1) : "";
                        for (var u : channelUsers.entrySet()) {
                            send(":fake 354 " + nick + " " + token + " u" + " host " + u.getKey() + " " + u.getValue());
                        }
                    }
                    send(":fake 315 " + nick + " " + l.param(0) + " :End of WHO list");
                }
                case "WHOIS" -> {
                    String who = l.param(0);
                    String acct = channelUsers.get(who);
                    if (acct == null) {
                        send(":fake 401 " + nick + " " + who + " :No such nick");
                    } else {
                        send(":fake 311 " + nick + " " + who + " u host * :real");
                        if (!acct.equals("0")) {
                            send(":fake 330 " + nick + " " + who + " " + acct + " :is logged in as");
                        }
                    }
                    send(":fake 318 " + nick + " " + who + " :End of /WHOIS list");
                }
                case "QUIT" -> socket.close();
                default -> { }
            }
        }

        private void maybeWelcome() throws IOException {
            if (!registered && !capNegotiating && nick != null && user != null) {
                registered = true;
                send(":fake 001 " + nick + " :Welcome");
                send(":fake 005 " + nick + " CHANTYPES=# PREFIX=(ov)@+" + (whox ? " WHOX" : "")
                        + (caseMapping == null ? "" : " CASEMAPPING=" + caseMapping) + " :are supported by this server");
                send(":fake 375 " + nick + " :- fake Message of the day -");
                send(":fake 376 " + nick + " :End of MOTD");
            }
        }
    }
}
