package dev.parley.irc;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import jdk.net.ExtendedSocketOptions;

/**
 * A socket that acknowledges what it reads at once (Linux TCP_QUICKACK, re-armed after every read: the kernel
 * drops back to delayed acknowledgements by itself).
 *
 * <p>Why: an IRC server may not set TCP_NODELAY on its clients' sockets (ngircd does not), so Nagle's algorithm
 * holds a line it writes to us for as long as an earlier line it wrote us is unacknowledged. Our kernel delays that
 * acknowledgement by 40 ms or more when we wrote just before. parley's seats take turns on a PONG (a room's next
 * item goes once the server answered a PING sent after the previous item's lines): the other seat's message
 * reaches this identity just after it wrote its own turn, our ACK for it is delayed, and the server holds our PONG
 * behind it, stalling the room by ~43 ms on every other turn on ngircd (seen in a packet capture, docs/benchmark.md).
 * Acknowledging at once costs a few more empty segments and one setsockopt per read.
 *
 * <p>Where TCP_QUICKACK does not exist (not Linux, or a runtime without jdk.net), this is a plain socket.
 */
final class QuickAckSocket extends Socket {
    /** Whether this JDK has the option at all: a trimmed runtime image may lack the jdk.net module. */
    private static final boolean JDK_HAS_IT = jdkHasIt();

    private final boolean supported = JDK_HAS_IT && supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK);

    private static boolean jdkHasIt() {
        try {
            return ExtendedSocketOptions.TCP_QUICKACK != null;
        } catch (LinkageError e) {
            return false;
        }
    }

    @Override
    public InputStream getInputStream() throws IOException {
        InputStream in = super.getInputStream();
        if (!supported) {
            return in;
        }
        quickAck();
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                quickAck();
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                quickAck();
                return n;
            }
        };
    }

    private void quickAck() {
        try {
            setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
        } catch (IOException | RuntimeException e) {
            // Closed or closing: the next read reports it; the bytes just read are still returned.
        }
    }
}
