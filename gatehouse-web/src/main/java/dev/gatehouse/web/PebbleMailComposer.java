package dev.gatehouse.web;

import dev.gatehouse.mail.ComposedMail;
import dev.gatehouse.mail.MailComposer;
import dev.gatehouse.mail.MailTemplates;
import dev.gatehouse.mail.Notification;
import io.pebbletemplates.pebble.PebbleEngine;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Gatehouse's emails from Pebble templates, in the recipient's language: for the template
 * {@code reset_instructions}, the plain-text body {@code gatehouse/email/reset_instructions.txt},
 * the HTML body {@code gatehouse/email/reset_instructions.html} and the subject
 * {@code EMAIL_SUBJECT_RESET_INSTRUCTIONS} from the message bundles. Templates are found like the
 * pages' (the {@code templates-folder}, then the application's {@code templates/}, then
 * Gatehouse's), so an application overrides one email by adding a template of the same name; texts
 * come from the same {@link Messages}.
 *
 * <p>The model is the notification's (see {@link dev.gatehouse.mail.MailTemplates}) plus
 * {@code site_name}, {@code lang}, the durations ({@code within}, {@code revert_within}) in the
 * reader's words and {@code action_text}, the text of {@code EMAIL_ACTION_<ACTION>}.
 * HTML templates escape every value; plain-text ones print values as they are, and of blank lines
 * in a row only one is kept (so optional parts need no whitespace control). The subject is one
 * line: control characters are replaced, and {@link dev.gatehouse.mail.MailMessage} checks it
 * again, so no value can add a header. Thread-safe.
 */
final class PebbleMailComposer implements MailComposer {

    static final String FOLDER = "gatehouse/email/";

    private final PebbleEngine html;
    private final PebbleEngine text;
    private final Messages messages;
    private final Languages languages;
    private final String siteName;

    PebbleMailComposer(Optional<Path> templatesFolder, ClassLoader applicationLoader, Messages messages,
            Languages languages, String siteName) {
        this.html = PebblePages.engine(templatesFolder, applicationLoader, languages.fallback(), true);
        this.text = PebblePages.engine(templatesFolder, applicationLoader, languages.fallback(), false);
        this.messages = messages;
        this.languages = languages;
        this.siteName = siteName;
    }

    @Override
    public ComposedMail compose(Notification notification) {
        // The language a user asked for once may no longer be offered: pick among the supported ones.
        Locale locale = languages.choose(Optional.of(notification.locale().toLanguageTag()));
        PageTexts texts = new PageTexts(messages, locale);
        Map<String, Object> model = new HashMap<>(notification.model());
        for (String name : notification.model().keySet()) {
            // A value queued in words by an older version has no duration and is shown as it is.
            notification.duration(name).ifPresent(d -> model.put(name, DurationTexts.describe(d, messages, locale)));
        }
        String action = notification.model().get("action");
        if (action != null) {
            String key = MailTemplates.actionKey(action);
            model.put("action_text", messages.has(key) ? texts.get(key) : action);
        }
        model.put("site_name", siteName);
        model.put("lang", locale.toLanguageTag());
        model.put("template", notification.template());
        model.put(PebblePages.TEXTS, texts);

        Map<String, Object> parameters = new LinkedHashMap<>(model);
        parameters.remove(PebblePages.TEXTS);
        String subject = texts.format(MailTemplates.subjectKey(notification.template()), parameters);
        String name = FOLDER + notification.template();
        return new ComposedMail(oneLine(subject),
                plainText(PebblePages.render(text, name + ".txt", model)),
                Optional.of(PebblePages.render(html, name + ".html", model)));
    }

    /**
     * Tidies a rendered text: conditional parts of a template leave blank lines behind, so runs of
     * them become one; no blank lines at either end.
     */
    private static String plainText(String rendered) {
        return rendered.replace("\r\n", "\n").replaceAll("\n[ \t]*(?:\n[ \t]*)+\n", "\n\n").strip() + "\n";
    }

    private static String oneLine(String subject) {
        return subject.codePoints()
                .map(c -> Character.isISOControl(c) ? ' ' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString().strip();
    }
}
