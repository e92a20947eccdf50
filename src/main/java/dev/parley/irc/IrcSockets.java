package dev.parley.irc;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The sockets PircBotX connects with. Every socket has TCP_NODELAY (a burst of short lines otherwise waits on
 * Nagle's algorithm) and acknowledges what it reads at once ({@link QuickAckSocket}: a server without TCP_NODELAY
 * otherwise holds its next line to us, such as a PONG, for our delayed ACK). With TLS the certificate chain and the host name are always verified: against the JDK's
 * trust store, or against the certificates in a configured PEM file for a server with its own CA or a
 * self-signed certificate. There is deliberately no way to trust everything.
 */
final class IrcSockets extends SocketFactory {
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private final String host;
    private final SSLSocketFactory tls;

    private IrcSockets(String host, SSLSocketFactory tls) {
        this.host = host;
        this.tls = tls;
    }

    static IrcSockets plain(String host) {
        return new IrcSockets(host, null);
    }

    /** TLS verified against the JDK trust store, or only against {@code trustedCertificates} (PEM) when given. */
    static IrcSockets tls(String host, Path trustedCertificates) throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        if (trustedCertificates == null) {
            context.init(null, null, null);
        } else {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            try (InputStream in = Files.newInputStream(trustedCertificates)) {
                int i = 0;
                for (Certificate c : x509.generateCertificates(in)) {
                    store.setCertificateEntry("trusted-" + i++, c);
                }
                if (i == 0) {
                    throw new GeneralSecurityException("no certificate in " + trustedCertificates);
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            context.init(null, tmf.getTrustManagers(), null);
        }
        return new IrcSockets(host, context.getSocketFactory());
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        Socket socket = new QuickAckSocket();
        try {
            socket.setTcpNoDelay(true);
            if (localAddress != null) {
                socket.bind(new InetSocketAddress(localAddress, localPort));
            }
            socket.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MS);
            if (tls == null) {
                return socket;
            }
            SSLSocket ssl = (SSLSocket) tls.createSocket(socket, host, port, true);
            SSLParameters params = ssl.getSSLParameters();
            // Without this the JDK checks the chain but not that it was issued for this host.
            params.setEndpointIdentificationAlgorithm("HTTPS");
            ssl.setSSLParameters(params);
            // A server that stalls the handshake must not block the connection thread forever; PircBotX sets
            // its own read timeout afterwards.
            ssl.setSoTimeout(CONNECT_TIMEOUT_MS);
            ssl.startHandshake();
            return ssl;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        return createSocket(address, port, null, 0);
    }

    @Override
    public Socket createSocket(String h, int port) throws IOException {
        return createSocket(InetAddress.getByName(h), port, null, 0);
    }

    @Override
    public Socket createSocket(String h, int port, InetAddress localAddress, int localPort) throws IOException {
        return createSocket(InetAddress.getByName(h), port, localAddress, localPort);
    }
}
