package dev.gatehouse.mail.smtp;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * A real SMTP server in this process (GreenMail) on a port chosen up front, so a test can point a
 * mailer at it before it runs — and stop and start it to stage an outage. Shared with other modules'
 * tests through this module's test jar.
 */
public final class SmtpServer implements AutoCloseable {

    /** The port, fixed for the life of this object, whether or not the server runs. */
    public final int port = freePort();
    private GreenMail server;

    /** Starts the server (again); it forgets what it received before. */
    public SmtpServer start() {
        server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        return this;
    }

    /** The running server; null while stopped. */
    public GreenMail greenMail() {
        return server;
    }

    /** Stops the server, if it runs. */
    public void stop() {
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
