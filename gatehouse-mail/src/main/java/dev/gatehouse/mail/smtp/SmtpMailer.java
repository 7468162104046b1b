package dev.gatehouse.mail.smtp;

import static dev.gatehouse.config.Settings.MAIL_PASSWORD;
import static dev.gatehouse.config.Settings.MAIL_PORT;
import static dev.gatehouse.config.Settings.MAIL_SERVER;
import static dev.gatehouse.config.Settings.MAIL_USERNAME;
import static dev.gatehouse.config.Settings.MAIL_USE_SSL;
import static dev.gatehouse.config.Settings.MAIL_USE_TLS;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.mail.MailException;
import dev.gatehouse.mail.MailMessage;
import dev.gatehouse.mail.Mailer;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Mailer} that sends over SMTP with Jakarta Mail (Eclipse Angus).
 *
 * <pre>{@code
 * MailDelivery delivery = gatehouse.mailDelivery(SmtpMailer.fromConfig(gatehouse.config())).build().start();
 * }</pre>
 *
 * <ul>
 *   <li><b>Transport security</b>: {@code mail-use-ssl} connects over TLS from the start (port
 *       465); {@code mail-use-tls} upgrades with STARTTLS and <em>requires</em> it (port 587), so a
 *       man in the middle cannot downgrade to plain text. Server certificates and host names are
 *       always checked.</li>
 *   <li><b>Credentials</b> from {@code mail-username} and {@code mail-password}; kept in this
 *       object only, never logged ({@link #toString()} names host and port).</li>
 *   <li><b>Headers</b>: addresses were checked by {@link MailMessage} and are parsed again strictly
 *       here, one recipient per message; the subject is RFC 2047-encoded UTF-8. No user input can
 *       add a header or a recipient.</li>
 *   <li><b>Failures</b>: a refusal with a 5xx reply (unknown recipient, rejected message) or an
 *       unparsable address is permanent; anything else — the server unreachable or slow, a 4xx
 *       reply, failed authentication — is transient, so the delivery worker retries it.
 *       Connection and read timeouts bound how long a send can hang.</li>
 * </ul>
 * Each send opens its own connection (Gatehouse's mail is infrequent); thread-safe.
 */
public final class SmtpMailer implements Mailer {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpMailer.class);

    private final String host;
    private final int port;
    private final boolean ssl;
    private final Optional<String> username;
    private final Optional<String> password;
    private final Session session;
    private final Clock clock;

    private SmtpMailer(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.ssl = b.ssl;
        this.username = b.username;
        this.password = b.password;
        this.clock = b.clock;
        String protocol = ssl ? "smtps" : "smtp";
        Properties p = new Properties();
        p.setProperty("mail.transport.protocol", protocol);
        p.setProperty("mail." + protocol + ".host", host);
        p.setProperty("mail." + protocol + ".port", String.valueOf(port));
        p.setProperty("mail." + protocol + ".auth", String.valueOf(username.isPresent()));
        p.setProperty("mail." + protocol + ".connectiontimeout", String.valueOf(b.connectTimeout.toMillis()));
        p.setProperty("mail." + protocol + ".timeout", String.valueOf(b.readTimeout.toMillis()));
        p.setProperty("mail." + protocol + ".writetimeout", String.valueOf(b.readTimeout.toMillis()));
        p.setProperty("mail." + protocol + ".ssl.checkserveridentity", "true");
        if (b.startTls) {
            p.setProperty("mail.smtp.starttls.enable", "true");
            p.setProperty("mail.smtp.starttls.required", "true");
        }
        if (ssl) {
            p.setProperty("mail.smtps.ssl.enable", "true");
        }
        b.socketFactory.ifPresent(factory -> {
            p.put("mail." + protocol + ".ssl.socketFactory", factory);
        });
        // Addresses may be internationalized, as account emails may.
        p.setProperty("mail.mime.allowutf8", "true");
        this.session = Session.getInstance(p);
    }

    /** A mailer from {@code mail-server}, {@code mail-port}, {@code mail-use-tls}, {@code mail-use-ssl}, {@code mail-username} and {@code mail-password}. */
    public static SmtpMailer fromConfig(GatehouseConfig config) {
        Builder b = builder(config.get(MAIL_SERVER), config.get(MAIL_PORT))
                .startTls(config.get(MAIL_USE_TLS))
                .ssl(config.get(MAIL_USE_SSL));
        config.get(MAIL_USERNAME).ifPresent(user -> b.credentials(user,
                config.get(MAIL_PASSWORD).map(secret -> secret.reveal()).orElse("")));
        return b.build();
    }

    /** A mailer for the server at {@code host}:{@code port}; plain SMTP unless configured otherwise. */
    public static Builder builder(String host, int port) {
        return new Builder(host, port);
    }

    @Override
    public void send(MailMessage message) {
        Objects.requireNonNull(message, "message");
        MimeMessage mime = MimeMessages.composeOrFail(session, message, clock);
        try (Transport transport = session.getTransport()) {
            transport.connect(host, port, username.orElse(null), password.orElse(null));
            transport.sendMessage(mime, mime.getAllRecipients());
        } catch (SMTPAddressFailedException e) {
            throw new MailException("the server refused the recipient (" + e.getReturnCode() + ")", e.getReturnCode() >= 500, e);
        } catch (SMTPSendFailedException e) {
            throw new MailException("the server refused the message (" + e.getReturnCode() + ")", e.getReturnCode() >= 500, e);
        } catch (AuthenticationFailedException e) {
            // Wrong credentials stay wrong until someone fixes the configuration; retrying costs
            // little and delivers once they are fixed.
            throw new MailException("the SMTP server refused the credentials", false, e);
        } catch (MessagingException e) {
            throw new MailException("could not reach or talk to the SMTP server " + host + ":" + port + " ("
                    + rootCause(e) + ")", false, e);
        }
        LOG.debug("Sent mail to {} through {}:{}", message.to(), host, port);
    }

    private static String rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** Host, port and transport security; never the credentials. */
    @Override
    public String toString() {
        return "SmtpMailer[" + host + ":" + port + (ssl ? ", TLS" : "") + (username.isPresent() ? ", authenticated" : "") + "]";
    }

    /** Configures an {@link SmtpMailer}; not thread-safe. */
    public static final class Builder {
        private final String host;
        private final int port;
        private boolean startTls;
        private boolean ssl;
        private Optional<String> username = Optional.empty();
        private Optional<String> password = Optional.empty();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private Optional<SSLSocketFactory> socketFactory = Optional.empty();
        private Clock clock = Clock.systemUTC();

        private Builder(String host, int port) {
            this.host = Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("an SMTP port is 1-65535, not " + port);
            }
            this.port = port;
        }

        /** Upgrade the connection with STARTTLS, and refuse to send if the server does not offer it. */
        public Builder startTls(boolean startTls) {
            this.startTls = startTls;
            return this;
        }

        /** Connect over TLS from the start (SMTPS, usually port 465). */
        public Builder ssl(boolean ssl) {
            this.ssl = ssl;
            return this;
        }

        /** Authenticate with these credentials. */
        public Builder credentials(String username, String password) {
            this.username = Optional.of(Objects.requireNonNull(username, "username"));
            this.password = Optional.of(Objects.requireNonNull(password, "password"));
            return this;
        }

        /** How long to wait for a connection; default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How long to wait for each read and write; default 30 s. */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * The factory of TLS connections, for servers whose certificate a private trust store
         * vouches for (build it from an {@code SSLContext} with that trust store). Host names are
         * checked all the same. Default: the JDK's trust store.
         */
        public Builder sslSocketFactory(SSLSocketFactory factory) {
            this.socketFactory = Optional.of(Objects.requireNonNull(factory, "factory"));
            return this;
        }

        /** The clock for the Date header. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public SmtpMailer build() {
            if (startTls && ssl) {
                throw new IllegalArgumentException("choose STARTTLS or TLS from the start, not both");
            }
            return new SmtpMailer(this);
        }
    }
}
