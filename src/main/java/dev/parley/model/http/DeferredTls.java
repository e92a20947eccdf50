package dev.parley.model.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/**
 * TLS for the shared OkHttpClient, set up on the first https connection instead of when the client is built.
 * OkHttp's default set-up (the JDK's trust store read and parsed, an {@link SSLContext}: some 0.15 s and several
 * hundred classes, issue 13) ran on the main thread at every start, even when every URL of the config is http://
 * (a local homeserver, a local model server). With this, a start that speaks only http:// never pays it, and one
 * that speaks https pays it on the OkHttp thread that opens the first https connection.
 *
 * <p>The result is the same as OkHttp's own default: the JDK's default trust managers (the platform trust store)
 * in an {@code SSLContext.getInstance("TLS")}; server certificates and host names are checked exactly as before.
 * One difference: OkHttp asks the trust manager for its accepted issuers when the client is built, only to index
 * them for certificate pinning (which parley does not use); before the set-up this answers none, so a pin would
 * fail closed, never open.
 */
public final class DeferredTls {
    private final Supplier<X509TrustManager> trust;
    private volatile Made made;

    private record Made(X509TrustManager trust, SSLSocketFactory sockets) { }

    /** @param trust makes the trust manager on the first https connection (tests give their own roots) */
    public DeferredTls(Supplier<X509TrustManager> trust) {
        this.trust = trust;
    }

    /** The platform's trust store, as OkHttp uses by default. */
    public static DeferredTls platform() {
        return new DeferredTls(DeferredTls::platformTrust);
    }

    /** {@code builder} with this TLS set-up in place of OkHttp's (made when the client is built). */
    public OkHttpClient.Builder applyTo(OkHttpClient.Builder builder) {
        return builder.sslSocketFactory(new Sockets(), new Trust());
    }

    /** Whether the TLS set-up was made (an https connection was opened). */
    public boolean isSetUp() {
        return made != null;
    }

    private Made made() {
        Made m = made;
        if (m == null) {
            synchronized (this) {
                m = made;
                if (m == null) {
                    X509TrustManager tm = trust.get();
                    try {
                        SSLContext context = SSLContext.getInstance("TLS");
                        context.init(null, new TrustManager[] {tm}, null);
                        m = new Made(tm, context.getSocketFactory());
                    } catch (GeneralSecurityException e) {
                        throw new IllegalStateException("no TLS in this JVM: " + e, e);
                    }
                    made = m;
                }
            }
        }
        return m;
    }

    private static X509TrustManager platformTrust() {
        try {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init((KeyStore) null);
            return Arrays.stream(f.getTrustManagers()).filter(X509TrustManager.class::isInstance)
                    .map(X509TrustManager.class::cast).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the platform has no X509TrustManager"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the platform trust store: " + e, e);
        }
    }

    /** Checks through the trust manager made on first use; OkHttp itself only asks it for the pinning index. */
    private final class Trust implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            made().trust().checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            made().trust().checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            Made m = made;
            return m == null ? new X509Certificate[0] : m.trust().getAcceptedIssuers();
        }
    }

    /** The socket factory of the context made on first use. */
    private final class Sockets extends SSLSocketFactory {
        @Override
        public String[] getDefaultCipherSuites() {
            return made().sockets().getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return made().sockets().getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return made().sockets().createSocket();
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return made().sockets().createSocket(s, host, port, autoClose);
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return made().sockets().createSocket(host, port);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return made().sockets().createSocket(host, port, localHost, localPort);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return made().sockets().createSocket(host, port);
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return made().sockets().createSocket(address, port, localAddress, localPort);
        }
    }
}
