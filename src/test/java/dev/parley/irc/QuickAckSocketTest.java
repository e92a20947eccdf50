package dev.parley.irc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;

class QuickAckSocketTest {

    /**
     * The case of docs/benchmark.md: we write (our turn), then the server writes to us. Having written just after
     * reading puts Linux into delayed acknowledgements; each read must take it out again.
     */
    @Test
    void everyReadLeavesTheSocketAcknowledgingAtOnce() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new QuickAckSocket()) {
            assumeTrue(client.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK), "Linux only");
            client.setTcpNoDelay(true);
            client.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()));
            try (Socket peer = server.accept()) {
                peer.setTcpNoDelay(true);
                InputStream in = client.getInputStream();
                OutputStream out = client.getOutputStream();
                byte[] buf = new byte[64];
                for (int i = 0; i < 20; i++) {
                    peer.getOutputStream().write(("PONG :" + i + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    int n = in.read(buf, 0, buf.length);
                    assertThat(new String(buf, 0, n, StandardCharsets.US_ASCII)).isEqualTo("PONG :" + i + "\r\n");
                    assertThat(client.getOption(ExtendedSocketOptions.TCP_QUICKACK)).as("after read %d", i).isTrue();
                    out.write(("PRIVMSG #a :" + i + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    peer.getInputStream().read(new byte[64]);
                }
                peer.getOutputStream().write('x');
                assertThat(in.read()).isEqualTo('x');
                assertThat(client.getOption(ExtendedSocketOptions.TCP_QUICKACK)).isTrue();
                peer.shutdownOutput();
                assertThat(in.read()).isEqualTo(-1);
            }
        }
    }
}
