package dev.gatehouse.web.contract;

import dev.gatehouse.mail.smtp.SmtpServer;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a real SMTP server (GreenMail) received, per recipient: tests wait for the next message to
 * an address — delivered by the plugin's own delivery worker — and take links and codes from it,
 * as a user would from their mailbox.
 */
final class Inbox {

    /** The {@code external-url} of the test apps; links are followed on the test server by their path. */
    static final String SITE = "https://app.example.com";
    private static final Pattern LINK = Pattern.compile(Pattern.quote(SITE) + "(/[A-Za-z0-9/_\\-.~]+)");
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");
    /** How long to wait for a message before failing: generous, as a slow machine is no reason to fail. */
    private static final long WAIT_MILLIS = 20_000;

    private final SmtpServer smtp;
    private final Map<String, Integer> seen = new HashMap<>();

    Inbox(SmtpServer smtp) {
        this.smtp = smtp;
    }

    /** One received email, decoded. */
    record Mail(String to, String subject, String text, String html) {

        /** The path (with its token) of the link to {@code path}, e.g. {@code /reset/...} for {@code /reset}. */
        String link(String path) {
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                if (m.group(1).startsWith(path + "/") || m.group(1).equals(path)) {
                    UsedSecrets.add(m.group(1).substring(m.group(1).lastIndexOf('/') + 1));
                    return m.group(1);
                }
            }
            throw new AssertionError("no link to " + path + " in: " + text);
        }

        /** The six-digit sign-in code. */
        String code() {
            Matcher m = CODE.matcher(text);
            if (!m.find()) {
                throw new AssertionError("no code in: " + text);
            }
            return m.group(1);
        }
    }

    /** Waits for the next message to {@code to}, the first one not yet returned by this inbox. */
    Mail next(String to) {
        int index = seen.getOrDefault(to, 0);
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (true) {
            List<MimeMessage> messages = received(to);
            if (messages.size() > index) {
                seen.put(to, index + 1);
                return decode(to, messages.get(index));
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no message " + (index + 1) + " to " + to + " arrived; got " + messages.size());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Every message to {@code to} received so far. */
    List<Mail> all(String to) {
        List<Mail> all = new ArrayList<>();
        for (MimeMessage message : received(to)) {
            all.add(decode(to, message));
        }
        return all;
    }

    /** Forgets what was seen: for a restarted server, which forgets what it received. */
    void reset() {
        seen.clear();
    }

    private List<MimeMessage> received(String to) {
        List<MimeMessage> messages = new ArrayList<>();
        if (smtp.greenMail() == null) {
            return messages;
        }
        for (MimeMessage message : smtp.greenMail().getReceivedMessages()) {
            try {
                if (message.getAllRecipients()[0].toString().equalsIgnoreCase(to)) {
                    messages.add(message);
                }
            } catch (MessagingException e) {
                throw new AssertionError(e);
            }
        }
        return messages;
    }

    private static Mail decode(String to, MimeMessage message) {
        try {
            String text = "";
            String html = "";
            Object content = message.getContent();
            if (content instanceof Multipart multipart) {
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart part = multipart.getBodyPart(i);
                    if (part.isMimeType("text/plain")) {
                        text = (String) part.getContent();
                    } else if (part.isMimeType("text/html")) {
                        html = (String) part.getContent();
                    }
                }
            } else {
                text = String.valueOf(content);
            }
            return new Mail(to, message.getSubject(), text, html);
        } catch (MessagingException | IOException e) {
            throw new AssertionError(e);
        }
    }
}
