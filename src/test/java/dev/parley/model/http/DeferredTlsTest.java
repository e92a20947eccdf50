package dev.parley.model.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.model.ModelClients;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared client's TLS is set up on its first https connection: an http:// call makes none, an https call
 * works and checks the server's certificate against the trust store, as OkHttp's own default does.
 */
class DeferredTlsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;
    private final MockWebServer server = new MockWebServer();

    @BeforeEach
    void start() throws Exception {
        server.enqueue(new MockResponse.Builder().body("hello").build());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void anHttpCallSetsUpNoTls() throws Exception {
        server.start();
        DeferredTls tls = DeferredTls.platform();
        OkHttpClient client = tls.applyTo(new OkHttpClient.Builder()).build();

        assertThat(body(client, url())).isEqualTo("hello");
        assertThat(tls.isSetUp()).isFalse();
    }

    @Test
    void anHttpsCallSetsItUpAndTrustsTheGivenRoots() throws Exception {
        KeyStore keys = selfSigned();
        server.useHttps(serverContext(keys).getSocketFactory());
        server.start();
        DeferredTls tls = new DeferredTls(() -> trustManager(keys));
        OkHttpClient client = tls.applyTo(new OkHttpClient.Builder()).build();
        assertThat(tls.isSetUp()).as("not set up when the client is built").isFalse();

        assertThat(body(client, url())).isEqualTo("hello");
        assertThat(tls.isSetUp()).isTrue();
    }

    @Test
    void theSharedClientRefusesACertificateItsTrustStoreDoesNotHold() throws Exception {
        server.useHttps(serverContext(selfSigned()).getSocketFactory());
        server.start();
        OkHttpClient client = ModelClients.newSharedHttpClient().newBuilder()
                .connectTimeout(10, TimeUnit.SECONDS).build();

        assertThatThrownBy(() -> body(client, url())).isInstanceOf(SSLException.class);
    }

    /** By the name the certificate holds. */
    private String url() {
        return server.url("/").newBuilder().host("localhost").build().toString();
    }

    private static String body(OkHttpClient client, String url) throws Exception {
        try (Response r = client.newCall(new Request.Builder().url(url).build()).execute()) {
            return r.body().string();
        }
    }

    /** A key pair and self-signed certificate for this server's host name, made by the JDK's keytool. */
    private KeyStore selfSigned() throws Exception {
        Path file = dir.resolve("server.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("keytool: %s", out).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    private static SSLContext serverContext(KeyStore keys) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    private static X509TrustManager trustManager(KeyStore roots) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(roots);
            return (X509TrustManager) tmf.getTrustManagers()[0];
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
