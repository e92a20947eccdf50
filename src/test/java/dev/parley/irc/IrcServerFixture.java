package dev.parley.irc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testsupport.Waiting;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real IRC server for integration tests: ngircd or InspIRCd from the Debian packages, started in the foreground
 * on a free loopback port with a config written to a temp dir, limits relaxed so that a multi-identity bot is not
 * throttled (see shared/TEST-SERVERS.md). It can be killed (SIGKILL, like a crash) and started again on the same
 * port.
 */
public final class IrcServerFixture implements AutoCloseable {
    public enum Kind {
        NGIRCD("/usr/sbin/ngircd"),
        INSPIRCD("/usr/sbin/inspircd");

        final String binary;

        Kind(String binary) {
            this.binary = binary;
        }

        public boolean installed() {
            return Files.isExecutable(Path.of(binary));
        }

        public String packageHint() {
            return name().toLowerCase() + " (apt-get install " + name().toLowerCase() + ")";
        }
    }

    private final Kind kind;
    private final Path dir;
    private final int port;
    private final int tlsPort;
    private Process process;

    private IrcServerFixture(Kind kind, Path dir, int port, int tlsPort) {
        this.kind = kind;
        this.dir = dir;
        this.port = port;
        this.tlsPort = tlsPort;
    }

    public static IrcServerFixture start(Kind kind) throws IOException {
        Path dir = Files.createTempDirectory("parley-" + kind.name().toLowerCase());
        IrcServerFixture f = new IrcServerFixture(kind, dir, freePort(), 0);
        f.writeConfig();
        f.startProcess();
        return f;
    }

    /**
     * ngircd with a second, TLS port whose self-signed certificate (for "localhost" and 127.0.0.1) is at
     * {@link #certificate()}. The key pair is made with the JDK's keytool, so nothing but ngircd is needed.
     */
    public static IrcServerFixture startWithTls() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("parley-ngircd-tls");
        writeSelfSignedCertificate(dir);
        IrcServerFixture f = new IrcServerFixture(Kind.NGIRCD, dir, freePort(), freePort());
        f.writeConfig();
        f.startProcess();
        return f;
    }

    private static void writeSelfSignedCertificate(Path dir) throws IOException, InterruptedException {
        Path store = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "irc", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "parley-test")
                .redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
        if (p.waitFor() != 0) {
            throw new IOException("keytool failed, see " + dir.resolve("keytool.log"));
        }
        try (java.io.InputStream in = Files.newInputStream(store)) {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(in, "parley-test".toCharArray());
            java.security.Key key = ks.getKey("irc", "parley-test".toCharArray());
            java.security.cert.Certificate cert = ks.getCertificate("irc");
            Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
            Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE", cert.getEncoded()), StandardCharsets.US_ASCII);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot read the generated key pair", e);
        }
    }

    private static String pem(String type, byte[] der) {
        String body = java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    public int tlsPort() {
        return tlsPort;
    }

    /** The TLS port's certificate (PEM), to trust explicitly. */
    public Path certificate() {
        return dir.resolve("cert.pem");
    }

    public Kind kind() {
        return kind;
    }

    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    /** Kills the server abruptly, as a crash would, and waits until it is gone. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }

    /** Starts the server again on the same port after {@link #kill()}. */
    public void restart() throws IOException {
        startProcess();
    }

    @Override
    public void close() throws IOException {
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void startProcess() throws IOException {
        List<String> cmd = switch (kind) {
            case NGIRCD -> List.of(kind.binary, "-n", "-f", dir.resolve("ngircd.conf").toString());
            case INSPIRCD -> List.of(kind.binary, "--config=" + dir.resolve("inspircd.conf"), "--nofork", "--runasroot");
        };
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("server-" + System.nanoTime() + ".log").toFile());
        process = pb.start();
        Process started = process;
        // If the test JVM dies before close(), the server must not outlive it (it would hold the port).
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "irc-fixture-reaper"));
        waitUntilListening(Duration.ofSeconds(15));
    }

    private void waitUntilListening(Duration timeout) throws IOException {
        try {
            Waiting.upTo(timeout).pollInterval(Duration.ofMillis(5))
                    .failFast(() -> assertThat(process.isAlive())
                            .as(() -> kind + " exited with " + process.exitValue() + "; logs in " + dir).isTrue())
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .until(this::acceptsConnections);
        } catch (ConditionTimeoutException e) {
            throw new IOException(kind + " did not listen on " + port + " within " + timeout + "; logs in " + dir, e);
        }
    }

    /** True once the server takes connections on its ports; refused (an IOException) while it is starting. */
    private boolean acceptsConnections() throws IOException {
        try (Socket s = new Socket(); Socket t = new Socket()) {
            s.connect(new InetSocketAddress(host(), port), 200);
            if (tlsPort != 0) {
                t.connect(new InetSocketAddress(host(), tlsPort), 200);
            }
            return true;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private void writeConfig() throws IOException {
        switch (kind) {
            case NGIRCD -> {
                Files.createDirectories(dir.resolve("conf.d"));
                Files.writeString(dir.resolve("ngircd.conf"), """
                        [Global]
                        Name = irc.parley.test
                        Info = parley test server
                        Listen = 127.0.0.1,127.0.0.2
                        Ports = %d
                        MotdPhrase = parley test server
                        [Limits]
                        MaxConnections = 0
                        MaxConnectionsIP = 0
                        MaxJoins = 0
                        MaxNickLength = 30
                        MaxPenaltyTime = 0
                        PingTimeout = 120
                        PongTimeout = 30
                        [Options]
                        DNS = no
                        Ident = no
                        PAM = no
                        IncludeDir = %s
                        """.formatted(port, dir.resolve("conf.d"))
                        + (tlsPort == 0 ? "" : """
                        [SSL]
                        CertFile = %s
                        KeyFile = %s
                        Ports = %d
                        """.formatted(dir.resolve("cert.pem"), dir.resolve("key.pem"), tlsPort)),
                        StandardCharsets.UTF_8);
            }
            case INSPIRCD -> {
                Files.writeString(dir.resolve("motd.txt"), "parley test server\n", StandardCharsets.UTF_8);
                Files.writeString(dir.resolve("inspircd.conf"), """
                        <config format="xml">
                        <server name="irc.parley.test" description="parley test server" network="ParleyTest">
                        <admin name="parley" nick="parley" email="parley@localhost">
                        <bind address="127.0.0.1" port="%1$d" type="clients">
                        <connect name="local" allow="127.0.0.1" timeout="60" pingfreq="120"
                                 threshold="1000000" commandrate="100000000" fakelag="no"
                                 localmax="100000" globalmax="100000" limit="100000" maxchans="100"
                                 sendq="10485760" recvq="1048576" softsendq="1048576" hardsendq="10485760"
                                 resolvehostnames="no" useident="no">
                        <performance clonesonconnect="no" softlimit="10000" quietbursts="yes">
                        <limits maxnick="30" maxchan="64" maxident="11" maxhost="64" maxquit="255"
                                maxtopic="307" maxkick="255" maxreal="128" maxaway="200">
                        <pid file="%2$s/inspircd.pid">
                        <log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="%2$s/ircd.log">
                        <files motd="%2$s/motd.txt">
                        <options allowhalfop="yes" hostintopic="yes" fixedquit="">
                        <security hideserver="" announceinvites="dynamic" hidemodes="" hideulines="no"
                                  flatlinks="no" hidewhois="" hidebans="no" hidekills="" hidesplits="no"
                                  maxtargets="20" customversion="" operspywhois="no" restrictbannedusers="yes"
                                  genericoper="no" userstats="Pu">
                        <dns timeout="1">
                        <module name="cap">
                        <module name="ircv3_ctctags">
                        """.formatted(port, dir), StandardCharsets.UTF_8);
            }
            default -> throw new IllegalStateException();
        }
    }
}
