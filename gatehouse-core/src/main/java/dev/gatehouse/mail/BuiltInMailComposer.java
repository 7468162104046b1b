package dev.gatehouse.mail;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders every template of {@link MailTemplates} as plain text from Gatehouse's email texts
 * ({@code dev/gatehouse/mail/mail.properties}, with German and French translations): the same
 * {@code EMAIL_*} texts the web layer's templates show, laid out by the {@code <template>.text}
 * entries of that bundle. For tests and for applications without the web layer.
 *
 * <p>The subject is the text of {@code EMAIL_SUBJECT_<TEMPLATE>}. In a layout, {@code {EMAIL_X}}
 * is the text of {@code EMAIL_X} and {@code {name}} the model entry {@code name}, also inside such
 * a text; a line naming an entry the model does not have is left out, so an optional link
 * disappears with its line, and a line starting with {@code {?name}} ({@code {!name}}) is kept only
 * when the entry is (is not) there. Durations ({@link Notification#isDuration}) are worded in the
 * reader's language ({@link DurationWords}); {@code action} is also given as {@code action_text},
 * the text of {@code EMAIL_ACTION_<ACTION>}. No HTML part. Immutable and thread-safe.
 */
public final class BuiltInMailComposer implements MailComposer {

    static final String BUNDLE = "dev.gatehouse.mail.mail";
    static final ResourceBundle.Control NO_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z][a-z0-9_]*)}");
    private static final Pattern TEXT = Pattern.compile("\\{(EMAIL_[A-Z0-9_]+)}");
    private static final Pattern GUARD = Pattern.compile("\\{([?!])([a-z][a-z0-9_]*)}");

    private final String bundle;

    /** Gatehouse's own texts and layouts. */
    public BuiltInMailComposer() {
        this(BUNDLE);
    }

    /**
     * Texts and layouts from the bundle {@code baseName} (e.g. {@code com.example.mail}), with the
     * same keys as Gatehouse's.
     */
    public BuiltInMailComposer(String baseName) {
        this.bundle = baseName;
    }

    /**
     * @throws IllegalArgumentException for a template the bundle has no texts for
     */
    @Override
    public ComposedMail compose(Notification notification) {
        ResourceBundle texts = ResourceBundle.getBundle(bundle, notification.locale(),
                BuiltInMailComposer.class.getClassLoader(), NO_FALLBACK);
        String subject;
        String layout;
        try {
            subject = texts.getString(MailTemplates.subjectKey(notification.template()));
            layout = texts.getString(notification.template() + ".text");
        } catch (MissingResourceException e) {
            throw new IllegalArgumentException("no texts for the mail template " + notification.template());
        }
        Map<String, String> model = worded(notification, texts);
        return new ComposedMail(fill(subject, model, texts).strip(), tidy(fill(layout, model, texts)), Optional.empty());
    }

    /** The model as the texts name it: durations in words, and {@code action_text} beside {@code action}. */
    private static Map<String, String> worded(Notification notification, ResourceBundle texts) {
        Map<String, String> model = new HashMap<>(notification.model());
        for (String name : notification.model().keySet()) {
            notification.duration(name).map(DurationWords::of)
                    .ifPresent(words -> model.put(name, words.format(texts.getString(words.key()))));
        }
        String action = model.get("action");
        if (action != null) {
            String key = MailTemplates.actionKey(action);
            model.put("action_text", texts.containsKey(key) ? texts.getString(key) : action);
        }
        return model;
    }

    /**
     * Fills a layout line by line, leaving out lines that name a missing entry. A line may start
     * with a guard: {@code {?name}} keeps it only when the entry is there, {@code {!name}} only when
     * it is not (for text that introduces or replaces an optional link).
     */
    private static String fill(String layout, Map<String, String> model, ResourceBundle texts) {
        StringBuilder out = new StringBuilder();
        for (String line : layout.split("\n", -1)) {
            Matcher guard = GUARD.matcher(line);
            if (guard.lookingAt()) {
                boolean present = !model.getOrDefault(guard.group(2), "").isEmpty();
                if (present != guard.group(1).equals("?")) {
                    continue;
                }
                line = line.substring(guard.end());
            }
            // Texts first (they are ours and may name entries), then entries in one pass, so a
            // value that looks like a placeholder is printed as it is.
            Matcher text = TEXT.matcher(line);
            StringBuilder expanded = new StringBuilder();
            while (text.find()) {
                text.appendReplacement(expanded, Matcher.quoteReplacement(
                        texts.containsKey(text.group(1)) ? texts.getString(text.group(1)) : text.group(1)));
            }
            text.appendTail(expanded);
            Matcher m = PLACEHOLDER.matcher(expanded);
            StringBuilder filled = new StringBuilder();
            boolean complete = true;
            while (m.find()) {
                String value = model.get(m.group(1));
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
        return out.toString();
    }

    /** Left-out lines leave blank ones behind: runs of them become one; none at either end. */
    private static String tidy(String text) {
        return text.replaceAll("\n[ \t]*(?:\n[ \t]*)+\n", "\n\n").strip() + "\n";
    }

    /** For the locale-independent check that every template has texts. */
    static boolean hasTexts(String template) {
        ResourceBundle texts = ResourceBundle.getBundle(BUNDLE, Locale.ROOT, BuiltInMailComposer.class.getClassLoader(),
                NO_FALLBACK);
        return texts.containsKey(MailTemplates.subjectKey(template)) && texts.containsKey(template + ".text");
    }
}
