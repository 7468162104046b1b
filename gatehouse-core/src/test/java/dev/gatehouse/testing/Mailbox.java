package dev.gatehouse.testing;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.mail.BuiltInMailComposer;
import dev.gatehouse.mail.ComposedMail;
import dev.gatehouse.mail.MailDelivery;
import dev.gatehouse.mail.MailMessage;
import dev.gatehouse.mail.Notification;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a Gatehouse's outbox delivers, through the real path: queued (links sealed), claimed, opened,
 * rendered by the built-in composer, handed to a mailer that keeps the message. Tests call
 * {@link #deliver()} and look at the notifications (model in the clear) and rendered messages.
 */
public final class Mailbox {

    /** A delivered mail: the notification as the composer saw it, and the rendered message. */
    public record Delivered(Notification notification, MailMessage message) {
        public String template() {
            return notification.template();
        }

        public String to() {
            return notification.to();
        }

        public String get(String modelEntry) {
            String value = notification.model().get(modelEntry);
            if (value == null) {
                throw new AssertionError("the " + template() + " mail has no " + modelEntry + ": " + notification);
            }
            return value;
        }

        /** The token at the end of a link in the model. */
        public String token(String linkEntry) {
            String link = get(linkEntry);
            return link.substring(link.lastIndexOf('/') + 1);
        }
    }

    private final List<Notification> composed = new CopyOnWriteArrayList<>();
    private final List<MailMessage> sent = new CopyOnWriteArrayList<>();
    private final MailDelivery delivery;

    public Mailbox(Gatehouse gatehouse) {
        BuiltInMailComposer builtIn = new BuiltInMailComposer();
        this.delivery = gatehouse.mailDelivery(sent::add).composer(n -> {
            ComposedMail mail = builtIn.compose(n);
            composed.add(n);
            return mail;
        }).build();
    }

    /** Sends whatever is due and returns it, oldest first; forgets it afterwards. */
    public synchronized List<Delivered> deliver() {
        delivery.runOnce();
        List<Delivered> delivered = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            delivered.add(new Delivered(composed.get(i), sent.get(i)));
        }
        composed.clear();
        sent.clear();
        return delivered;
    }

    /** The only mail due now. */
    public Delivered only() {
        List<Delivered> delivered = deliver();
        if (delivered.size() != 1) {
            throw new AssertionError("expected one mail, got " + delivered.stream().map(d -> d.template() + " to " + d.to()).toList());
        }
        return delivered.get(0);
    }
}
