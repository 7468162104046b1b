package dev.gatehouse.mail;

import java.util.Locale;
import java.util.MissingResourceException;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders every template of {@link MailTemplates} as plain text from a properties bundle
 * ({@code dev/gatehouse/mail/mail.properties}, English; add {@code mail_de.properties} etc. on the
 * class path for other languages). For tests and for applications without the web layer's
 * templates; subjects follow Flask-Security's {@code EMAIL_SUBJECT_*} texts.
 *
 * <p>{@code {name}} is replaced by the model entry {@code name}; a line naming an entry the model
 * does not have is left out, so an optional link disappears with its line, and a line starting with
 * {@code {?name}} ({@code {!name}}) is kept only when the entry is (is not) there. No HTML part.
 * Immutable and thread-safe.
 */
public final class BuiltInMailComposer implements MailComposer {

    private static final String BUNDLE = "dev.gatehouse.mail.mail";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z][a-z0-9_]*)}");
    private static final Pattern GUARD = Pattern.compile("\\{([?!])([a-z][a-z0-9_]*)}");

    private final String bundle;

    /** Texts from Gatehouse's own bundle. */
    public BuiltInMailComposer() {
        this(BUNDLE);
    }

    /** Texts from the bundle {@code baseName} (e.g. {@code com.example.mail}), with the same keys. */
    public BuiltInMailComposer(String baseName) {
        this.bundle = baseName;
    }

    /**
     * @throws IllegalArgumentException for a template the bundle has no texts for
     */
    @Override
    public ComposedMail compose(Notification notification) {
        ResourceBundle texts = ResourceBundle.getBundle(bundle, notification.locale(),
                BuiltInMailComposer.class.getClassLoader(),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
        String subject;
        String text;
        try {
            subject = texts.getString(notification.template() + ".subject");
            text = texts.getString(notification.template() + ".text");
        } catch (MissingResourceException e) {
            throw new IllegalArgumentException("no texts for the mail template " + notification.template());
        }
        return new ComposedMail(fill(subject, notification).strip(), fill(text, notification), Optional.empty());
    }

    /**
     * Fills placeholders line by line, leaving out lines that name a missing entry. A line may start
     * with a guard: {@code {?name}} keeps it only when the entry is there, {@code {!name}} only when
     * it is not (for text that introduces or replaces an optional link).
     */
    private static String fill(String template, Notification notification) {
        StringBuilder out = new StringBuilder();
        for (String line : template.split("\n", -1)) {
            Matcher guard = GUARD.matcher(line);
            if (guard.lookingAt()) {
                boolean present = notification.model().getOrDefault(guard.group(2), "").length() > 0;
                if (present != guard.group(1).equals("?")) {
                    continue;
                }
                line = line.substring(guard.end());
            }
            Matcher m = PLACEHOLDER.matcher(line);
            StringBuilder filled = new StringBuilder();
            boolean complete = true;
            while (m.find()) {
                String value = notification.model().get(m.group(1));
                if (value == null || value.isEmpty()) {
                    complete = false;
                    break;
                }
                m.appendReplacement(filled, Matcher.quoteReplacement(value));
            }
            if (complete) {
                m.appendTail(filled);
                out.append(filled).append('\n');
            }
        }
        // split kept a trailing empty piece for the final newline; do not double it.
        return out.substring(0, Math.max(0, out.length() - 1));
    }

    /** For the locale-independent check that every template has texts. */
    static boolean hasTexts(String template) {
        ResourceBundle texts = ResourceBundle.getBundle(BUNDLE, Locale.ROOT, BuiltInMailComposer.class.getClassLoader(),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
        return texts.containsKey(template + ".subject") && texts.containsKey(template + ".text");
    }
}
