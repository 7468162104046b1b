package dev.gatehouse.mail;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery worker: claims due messages from the {@link Outbox}, renders each through a
 * {@link MailComposer}, hands it to a {@link Mailer}, and records the outcome.
 *
 * <pre>{@code
 * MailDelivery delivery = gatehouse.mailDelivery(SmtpMailer.fromConfig(gatehouse.config())).build();
 * delivery.start();          // polls every 5 s on a daemon thread, and at once when mail is queued
 * ...
 * delivery.close();          // at shutdown
 * }</pre>
 *
 * <ul>
 *   <li><b>Retries</b>: a failed send is rescheduled with exponential backoff (30 s, 1 min, 2 min,
 *       ... up to 1 h by default) and given up ({@link OutboxStatus#FAILED}) after the last
 *       attempt; a permanent refusal ({@link MailException#isPermanent()}) is given up at once.
 *       Queued mail thus outlives an SMTP outage of many hours.</li>
 *   <li><b>Several workers</b>, on one node or many, never send one message at the same time: each
 *       claim is exclusive for a lease (default 5 min, far longer than a send). A worker that dies
 *       mid-send leaves the message to be claimed again when the lease ends, so delivery is at
 *       least once; the stable {@code Message-ID} lets receivers recognize a repeat.</li>
 *   <li><b>Prompt</b>: a started worker is woken whenever its own {@link Outbox} queues a message,
 *       so a code or link leaves at once rather than at the next poll; workers on other nodes
 *       sharing the store find it at their next poll.</li>
 *   <li>Logs name the message id, template and recipient, never bodies, links or codes.</li>
 * </ul>
 * Thread-safe. {@link #runOnce()} does one pass synchronously, for tests and for applications that
 * schedule delivery themselves.
 */
public final class MailDelivery implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MailDelivery.class);

    private final Outbox outbox;
    private final Mailer mailer;
    private final MailComposer composer;
    private final String sender;
    private final Clock clock;
    private final Duration pollInterval;
    private final int batchSize;
    private final Duration lease;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Object lifecycle = new Object();
    private ScheduledExecutorService scheduler;
    private ScheduledFuture<?> polling;
    /** Set while an extra pass is queued on the scheduler, so a burst of mail queues one pass, not many. */
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final Runnable wake = this::wake;

    private MailDelivery(Builder b) {
        this.outbox = b.outbox;
        this.mailer = b.mailer;
        this.composer = b.composer;
        this.sender = b.sender;
        this.clock = outbox.clock();
        this.pollInterval = b.pollInterval;
        this.batchSize = b.batchSize;
        this.lease = b.lease;
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
    }

    /**
     * A worker for {@code outbox} sending through {@code mailer} from {@code sender}.
     * {@code Gatehouse.mailDelivery(mailer)} fills in the outbox and the configured sender.
     */
    public static Builder builder(Outbox outbox, Mailer mailer, String sender) {
        return new Builder(outbox, mailer, sender);
    }

    /**
     * What one pass did.
     *
     * @param sent    messages the server accepted
     * @param retried messages rescheduled after a failure
     * @param failed  messages given up
     */
    public record Pass(int sent, int retried, int failed) {
        /** How many messages the pass handled. */
        public int handled() {
            return sent + retried + failed;
        }
    }

    /** Starts polling on a daemon thread, every {@code pollInterval}; does nothing if running. */
    public MailDelivery start() {
        synchronized (lifecycle) {
            if (scheduler == null) {
                wakePending.set(false); // a wake dropped by an abrupt close must not block wakes now
                scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "gatehouse-mail-delivery");
                    thread.setDaemon(true);
                    return thread;
                });
                polling = scheduler.scheduleWithFixedDelay(this::pollSafely, 0, pollInterval.toMillis(),
                        TimeUnit.MILLISECONDS);
                outbox.addEnqueueListener(wake);
                LOG.info("Mail delivery started: polling every {} ms", pollInterval.toMillis());
            }
            return this;
        }
    }

    /** Whether {@link #start()} was called and {@link #close()} was not. */
    public boolean isRunning() {
        synchronized (lifecycle) {
            return scheduler != null;
        }
    }

    /**
     * Stops polling and waits up to 30 s for a pass in progress to finish; messages it could not
     * finish are claimed again after their lease. Idempotent; the worker may be started again.
     */
    @Override
    public void close() {
        ScheduledExecutorService stopping;
        synchronized (lifecycle) {
            stopping = scheduler;
            scheduler = null;
            outbox.removeEnqueueListener(wake);
            if (polling != null) {
                polling.cancel(false);
                polling = null;
            }
        }
        if (stopping != null) {
            stopping.shutdown();
            try {
                if (!stopping.awaitTermination(30, TimeUnit.SECONDS)) {
                    stopping.shutdownNow();
                }
            } catch (InterruptedException e) {
                stopping.shutdownNow();
                Thread.currentThread().interrupt();
            }
            LOG.info("Mail delivery stopped");
        }
    }

    /** Sends everything due now, batch after batch, until a pass finds nothing due. */
    public Pass runOnce() {
        int sent = 0;
        int retried = 0;
        int failed = 0;
        while (true) {
            Pass pass = runBatch();
            sent += pass.sent();
            retried += pass.retried();
            failed += pass.failed();
            if (pass.handled() < batchSize || Thread.currentThread().isInterrupted()) {
                return new Pass(sent, retried, failed);
            }
        }
    }

    /**
     * Runs an extra pass on the worker's own thread, so passes never overlap. The flag is cleared
     * before the pass claims, so a message queued during a pass triggers another one.
     */
    private void wake() {
        synchronized (lifecycle) {
            if (scheduler != null && wakePending.compareAndSet(false, true)) {
                scheduler.execute(() -> {
                    wakePending.set(false);
                    pollSafely();
                });
            }
        }
    }

    private void pollSafely() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            // The outbox store is unreachable, for instance; the next poll tries again.
            LOG.warn("Mail delivery pass failed: {}", e.toString());
        }
    }

    private Pass runBatch() {
        int sent = 0;
        int retried = 0;
        int failed = 0;
        for (Outbox.Claimed claimed : outbox.claimDue(batchSize, lease)) {
            switch (deliver(claimed)) {
                case SENT -> sent++;
                case RETRY -> retried++;
                case FAILED -> failed++;
                default -> throw new IllegalStateException();
            }
        }
        return new Pass(sent, retried, failed);
    }

    private enum Outcome { SENT, RETRY, FAILED }

    private Outcome deliver(Outbox.Claimed claimed) {
        OutboxMessage message = claimed.message();
        Notification notification = claimed.notification();
        String claim = message.claimToken().orElseThrow();
        OutboxStore store = outbox.store();
        try {
            ComposedMail composed = composer.compose(notification);
            MailMessage mail = new MailMessage(sender, notification.to(), composed.subject(), composed.text(),
                    composed.html(), Optional.of(messageId(message)));
            mailer.send(mail);
        } catch (MailException e) {
            return failure(message, claim, e.getMessage(), e.isPermanent());
        } catch (RuntimeException e) {
            // A composer or mailer bug, or a subject with a line break: retried like an outage, so
            // a fixed deployment still delivers. Only the class is recorded: a custom composer's
            // message could quote the model, which holds the links.
            return failure(message, claim, "rendering failed: " + e.getClass().getName(), false);
        }
        if (!store.markSent(message.id(), claim, clock.instant())) {
            LOG.warn("Mail {} was sent after its claim lapsed; another worker may send it again", message.id());
        }
        LOG.info("Sent mail {} ({}) to {} on attempt {}", message.id(), notification.template(), notification.to(),
                message.attempts());
        return Outcome.SENT;
    }

    private Outcome failure(OutboxMessage message, String claim, String error, boolean permanent) {
        String text = OutboxMessage.errorText(error);
        OutboxStore store = outbox.store();
        if (permanent || message.attempts() >= maxAttempts) {
            store.markFailed(message.id(), claim, text);
            LOG.error("Gave up mail {} ({}) to {} after {} attempt(s): {}", message.id(),
                    message.notification().template(), message.notification().to(), message.attempts(), text);
            return Outcome.FAILED;
        }
        Instant next = clock.instant().plus(backoff(message.attempts()));
        store.reschedule(message.id(), claim, next, text);
        LOG.warn("Mail {} ({}) to {} failed on attempt {} ({}); retrying at {}", message.id(),
                message.notification().template(), message.notification().to(), message.attempts(), text, next);
        return Outcome.RETRY;
    }

    /** {@code initialBackoff * 2^(attempts-1)}, capped at {@code maxBackoff}. */
    Duration backoff(int attempts) {
        Duration delay = initialBackoff;
        for (int i = 1; i < attempts && delay.compareTo(maxBackoff) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
    }

    /** The same for every attempt at one message, so receivers can spot a repeated delivery. */
    private String messageId(OutboxMessage message) {
        String domain = sender.substring(sender.lastIndexOf('@') + 1);
        if (!domain.matches("[A-Za-z0-9.\\-]{1,200}")) {
            domain = "gatehouse.invalid";
        }
        return "<gatehouse." + message.id() + "." + message.createdAt().toEpochMilli() + "@" + domain + ">";
    }

    /** Configures a {@link MailDelivery}; not thread-safe. */
    public static final class Builder {
        private final Outbox outbox;
        private final Mailer mailer;
        private final String sender;
        private MailComposer composer = new BuiltInMailComposer();
        private Duration pollInterval = Duration.ofSeconds(5);
        private int batchSize = 20;
        private Duration lease = Duration.ofMinutes(5);
        private int maxAttempts = 12;
        private Duration initialBackoff = Duration.ofSeconds(30);
        private Duration maxBackoff = Duration.ofHours(1);

        private Builder(Outbox outbox, Mailer mailer, String sender) {
            this.outbox = Objects.requireNonNull(outbox, "outbox");
            this.mailer = Objects.requireNonNull(mailer, "mailer");
            this.sender = dev.gatehouse.identifier.Identifiers.checkEmail(sender);
        }

        /** Renders notifications; {@link BuiltInMailComposer} by default. */
        public Builder composer(MailComposer composer) {
            this.composer = Objects.requireNonNull(composer, "composer");
            return this;
        }

        /**
         * Pause between passes of {@link #start()}; default 5 s. Mail queued through this worker's
         * outbox does not wait for it; the poll finds mail queued on other nodes and retries due.
         */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = positive(pollInterval, "pollInterval");
            return this;
        }

        /** Messages claimed at a time; default 20. */
        public Builder batchSize(int batchSize) {
            this.batchSize = OutboxStore.checkLimit(batchSize);
            return this;
        }

        /** How long a claim lasts; must exceed the slowest send. Default 5 min. */
        public Builder lease(Duration lease) {
            this.lease = positive(lease, "lease");
            return this;
        }

        /** Attempts before a message is given up; default 12 (about 8 hours with the default backoff). */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be positive");
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Delay after the first failure, doubling after each further one; default 30 s. */
        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = positive(initialBackoff, "initialBackoff");
            return this;
        }

        /** Longest delay between attempts; default 1 h. */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = positive(maxBackoff, "maxBackoff");
            return this;
        }

        public MailDelivery build() {
            return new MailDelivery(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }
    }
}
