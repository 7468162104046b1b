package dev.gatehouse.mail.smtp;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * A real SMTP server in this process (GreenMail) on a port chosen up front, so a test can point a
 * mailer at it before it runs — and stop and start it to stage an outage.
 */
final class SmtpServer implements AutoCloseable {

    final int port = freePort();
    private GreenMail server;

    /** Starts the server (again); it forgets what it received while stopped. */
    SmtpServer start() {
        server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        return this;
    }

    GreenMail greenMail() {
        return server;
    }

    void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
