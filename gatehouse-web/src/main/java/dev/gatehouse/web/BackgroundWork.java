package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.MAIL_BACKEND;
import static dev.gatehouse.config.Settings.MAIL_FOLDER;
import static dev.gatehouse.config.Settings.MAIL_PORT;
import static dev.gatehouse.config.Settings.MAIL_SERVER;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.mail.MailComposer;
import dev.gatehouse.mail.MailDelivery;
import dev.gatehouse.mail.Mailer;
import dev.gatehouse.mail.smtp.FileMailer;
import dev.gatehouse.mail.smtp.SmtpMailer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a web application runs beside its requests: the mail delivery worker, which sends the
 * emails the flows queued (rendered by the web layer's templates), and the hourly
 * {@link Gatehouse#purgeExpired()}. A framework adapter starts it with the server and closes it at
 * shutdown (the Javalin plugin does); an application without an adapter calls {@link #start()}
 * and {@link #close()} itself.
 *
 * <p><b>Which mailer</b>: the one given to {@link WebOptions.Builder#mailer}, else the
 * {@code mail-backend} setting — {@code smtp} (the default: the {@code mail-*} settings),
 * {@code files} (a {@link FileMailer} writing MIME {@code .eml} files into {@code mail-folder};
 * for development only, as the files hold reset links), or {@code none} (no worker here: another
 * process delivers the shared outbox; the purge still runs). Thread-safe; start and close are
 * idempotent.
 */
public final class BackgroundWork implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundWork.class);

    private final Gatehouse gatehouse;
    private final Optional<MailDelivery> delivery;
    private final String mail;
    private final Duration purgeInterval;
    private ScheduledExecutorService housekeeping;

    BackgroundWork(Gatehouse gatehouse, WebOptions options, MailComposer composer) {
        this.gatehouse = gatehouse;
        this.purgeInterval = options.purgeInterval;
        GatehouseConfig config = gatehouse.config();
        Optional<Mailer> mailer;
        if (options.mailer.isPresent()) {
            mailer = options.mailer;
            this.mail = "the application's mailer " + mailer.get().getClass().getName();
        } else {
            switch (config.get(MAIL_BACKEND)) {
                case FILES -> {
                    Path folder = Path.of(config.get(MAIL_FOLDER)).toAbsolutePath();
                    mailer = Optional.of(new FileMailer(folder));
                    this.mail = "files in " + folder + " (for development only: they hold sign-in and reset links)";
                }
                case NONE -> {
                    mailer = Optional.empty();
                    this.mail = "none in this process (mail-backend=none: another process delivers the outbox)";
                }
                default -> {
                    mailer = Optional.of(SmtpMailer.fromConfig(config));
                    this.mail = "SMTP server " + config.get(MAIL_SERVER) + ":" + config.get(MAIL_PORT);
                }
            }
        }
        this.delivery = mailer.map(m -> {
            MailDelivery.Builder builder = gatehouse.mailDelivery(m).composer(composer);
            options.mailDelivery.accept(builder);
            return builder.build();
        });
    }

    /** The delivery worker, unless {@code mail-backend} is {@code none}. */
    public Optional<MailDelivery> delivery() {
        return delivery;
    }

    /** Where mail goes, for a start-up message: e.g. {@code files in /srv/app/data/mail (...)}. */
    public String mailDestination() {
        return mail;
    }

    /** Starts the delivery worker and the hourly purge; does nothing if they run. */
    public synchronized BackgroundWork start() {
        if (housekeeping != null) {
            return this;
        }
        LOG.info("Gatehouse mail delivery: {}", mail);
        delivery.ifPresent(MailDelivery::start);
        housekeeping = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gatehouse-housekeeping");
            thread.setDaemon(true);
            return thread;
        });
        housekeeping.scheduleWithFixedDelay(this::purge, purgeInterval.toMillis(), purgeInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    /** Whether {@link #start()} was called and {@link #close()} was not. */
    public synchronized boolean isRunning() {
        return housekeeping != null;
    }

    /** Stops the worker (letting a pass in progress finish) and the purge. */
    @Override
    public synchronized void close() {
        if (housekeeping == null) {
            return;
        }
        housekeeping.shutdownNow();
        housekeeping = null;
        delivery.ifPresent(MailDelivery::close);
    }

    private void purge() {
        try {
            Gatehouse.Purged purged = gatehouse.purgeExpired();
            LOG.debug("Purged {} ended counters, {} old emails, {} expired session records and {} expired session data",
                    purged.counters(), purged.mail(), purged.sessions(), purged.sessionData());
        } catch (RuntimeException e) {
            // The store is unreachable, for instance: the next run tries again.
            LOG.warn("Purging expired state failed: {}", e.toString());
        }
    }
}
