package dev.gatehouse.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.mail.BuiltInMailComposer;
import dev.gatehouse.mail.ComposedMail;
import dev.gatehouse.mail.MailTemplates;
import dev.gatehouse.mail.Notification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every email template, in every shipped language, as text and HTML; overrides; escaping. */
class PebbleMailComposerTest {

    private static final Languages LANGUAGES = new Languages(List.of("en", "de", "fr"), "en");
    private static final String LINK = "https://app.example.com/x/Tok3n.ab-c_d";

    private static PebbleMailComposer composer(Optional<Path> folder, Messages messages, String siteName) {
        return new PebbleMailComposer(folder, PebbleMailComposerTest.class.getClassLoader(), messages, LANGUAGES, siteName);
    }

    /** Every entry a template may get (MailTemplates lists them), optional ones included. */
    private static Map<String, String> fullModel(String template) {
        Map<String, String> model = new LinkedHashMap<>();
        model.put("email", "ann@example.com");
        switch (template) {
            case MailTemplates.WELCOME -> {
                model.put("username", "ann_1");
                model.put("confirmation_link", LINK);
            }
            case MailTemplates.WELCOME_EXISTING -> {
                model.put("username", "ann_1");
                model.put("reset_page_link", LINK);
            }
            case MailTemplates.WELCOME_EXISTING_USERNAME -> model.put("username", "ann_1");
            case MailTemplates.CONFIRMATION_INSTRUCTIONS -> model.put("confirmation_link", LINK);
            case MailTemplates.ALREADY_CONFIRMED -> model.put("login_page_link", LINK);
            case MailTemplates.RESET_INSTRUCTIONS -> {
                model.put("reset_link", LINK);
                model.put("within", "PT1H");
            }
            case MailTemplates.CHANGE_NOTICE -> model.put("reset_page_link", LINK);
            case MailTemplates.CHANGE_EMAIL_INSTRUCTIONS -> {
                model.put("old_email", "old@example.com");
                model.put("change_email_link", LINK);
                model.put("within", "PT2H");
            }
            case MailTemplates.CHANGE_EMAIL_NOTICE -> {
                model.put("new_email", "new@example.com");
                model.put("revert_link", LINK);
                model.put("revert_within", Notification.durationValue(Duration.ofDays(7)));
            }
            case MailTemplates.LOGIN_INSTRUCTIONS -> {
                model.put("code", "042917");
                model.put("login_link", LINK);
                model.put("within", "PT5M");
            }
            case MailTemplates.ACCOUNT_LOCKED -> {
                model.put("until", "2026-11-23 10:15 UTC");
                model.put("unlock_link", LINK);
            }
            case MailTemplates.USERNAME_RECOVERY -> model.put("username", "ann_1");
            case MailTemplates.TWO_FACTOR_INSTRUCTIONS -> {
                model.put("code", "042917");
                model.put("within", "PT5M");
            }
            case MailTemplates.TWO_FACTOR_CHANGED -> model.put("method", "authenticator");
            case MailTemplates.UNKNOWN_ACCOUNT -> {
                model.put("action", "reset_password");
                model.put("register_page_link", LINK);
            }
            default -> { }
        }
        return model;
    }

    static List<Object[]> templatesAndLanguages() {
        List<Object[]> all = new java.util.ArrayList<>();
        for (String template : MailTemplates.ALL) {
            for (String language : List.of("en", "de", "fr")) {
                all.add(new Object[] {template, language});
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("templatesAndLanguages")
    void every_template_renders_text_html_and_subject_in_every_language(String template, String language) {
        Locale locale = Locale.forLanguageTag(language);
        Map<String, String> model = fullModel(template);

        ComposedMail mail = composer(Optional.empty(), Messages.defaults(), "Test site")
                .compose(new Notification(template, "ann@example.com", locale, model));

        String subjectKey = "EMAIL_SUBJECT_" + template.toUpperCase(Locale.ROOT);
        assertThat(mail.subject()).isEqualTo(Messages.defaults().get(subjectKey, locale)).isNotEqualTo(subjectKey);
        String html = mail.html().orElseThrow();
        for (String body : List.of(mail.text(), html)) {
            assertThat(body).as("%s %s: every text found and filled", template, language)
                    .doesNotContain("EMAIL_").doesNotContain("{").doesNotContain("}")
                    .contains(Messages.defaults().format("EMAIL_FOOTER", locale, Map.of("site_name", "Test site")));
            for (Map.Entry<String, String> entry : model.entrySet()) {
                if (entry.getKey().endsWith("_link") || entry.getKey().equals("code") || entry.getKey().equals("username")) {
                    assertThat(body).as("%s %s shows %s", template, language, entry.getKey()).contains(entry.getValue());
                }
            }
        }
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<html lang=\"" + language + "\">");
        for (String name : List.of("within", "revert_within")) {
            if (model.containsKey(name)) {
                String words = DurationTexts.describe(Duration.parse(model.get(name)), Messages.defaults(), locale);
                assertThat(mail.text()).as("the validity in the reader's words").contains(words);
                assertThat(html).contains(words);
            }
        }
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("templatesAndLanguages")
    void the_cores_plain_text_composer_writes_the_same_texts_from_the_same_source(String template, String language) {
        Locale locale = Locale.forLanguageTag(language);
        Map<String, String> required = new LinkedHashMap<>(fullModel(template));
        if (!template.equals(MailTemplates.WELCOME_EXISTING_USERNAME)) {
            required.remove("username");
        }
        required.keySet().removeAll(List.of("confirmation_link", "reset_page_link", "login_page_link",
                "register_page_link", "until", "unlock_link", "revert_link", "revert_within", "method"));
        for (Map<String, String> model : List.of(fullModel(template), required)) {
            Notification notification = new Notification(template, "ann@example.com", locale, model);

            ComposedMail pebble = composer(Optional.empty(), Messages.defaults(), "Test site").compose(notification);
            ComposedMail builtIn = new BuiltInMailComposer().compose(notification);

            String footer = "\n-- \n" + Messages.defaults().format("EMAIL_FOOTER", locale, Map.of("site_name", "Test site")) + "\n";
            assertThat(pebble.text()).endsWith(footer);
            assertThat(builtIn.text()).as("%s %s with %s", template, language, model.keySet())
                    .isEqualTo(pebble.text().substring(0, pebble.text().length() - footer.length()).strip() + "\n");
            assertThat(builtIn.subject()).isEqualTo(pebble.subject());
        }
    }

    @Test
    void optional_entries_leave_no_trace_when_missing() {
        PebbleMailComposer composer = composer(Optional.empty(), Messages.defaults(), "Test site");

        ComposedMail welcome = composer.compose(new Notification(MailTemplates.WELCOME, "ann@example.com", Locale.ENGLISH,
                Map.of("email", "ann@example.com")));
        ComposedMail noUsername = composer.compose(new Notification(MailTemplates.USERNAME_RECOVERY, "ann@example.com",
                Locale.ENGLISH, Map.of("email", "ann@example.com")));
        ComposedMail changed = composer.compose(new Notification(MailTemplates.CHANGE_NOTICE, "ann@example.com",
                Locale.ENGLISH, Map.of("email", "ann@example.com")));

        assertThat(welcome.text()).isEqualTo("Hello ann@example.com,\n\nYour account has been created.\n\n-- \n"
                + "This message was sent by Test site.\n");
        assertThat(welcome.html().orElseThrow()).doesNotContain("confirm").doesNotContain("username");
        assertThat(noUsername.text()).contains("Your account has no username").doesNotContain("Your username is");
        assertThat(changed.text()).contains("If you did not do this, please contact us at once.").doesNotContain("reset it here");
    }

    @Test
    void durations_are_worded_in_the_readers_language_and_an_old_queued_text_is_shown_as_it_is() {
        PebbleMailComposer composer = composer(Optional.empty(), Messages.defaults(), "Test site");
        Map<String, String> model = Map.of("email", "ann@example.com", "new_email", "new@example.com",
                "revert_link", LINK, "revert_within", "P3D");

        ComposedMail german = composer.compose(new Notification(MailTemplates.CHANGE_EMAIL_NOTICE, "ann@example.com",
                Locale.GERMAN, model));
        // Rows queued before durations were stored as ISO-8601 held English words: not parsed, printed.
        ComposedMail queuedEarlier = composer.compose(new Notification(MailTemplates.RESET_INSTRUCTIONS, "ann@example.com",
                Locale.GERMAN, Map.of("email", "ann@example.com", "reset_link", LINK, "within", "1 hour")));

        assertThat(german.text()).contains("innerhalb von 3 Tagen").doesNotContain("P3D");
        assertThat(queuedEarlier.text()).contains("innerhalb von 1 hour");
    }

    @Test
    void values_are_escaped_in_html_and_left_alone_in_text() {
        ComposedMail mail = composer(Optional.empty(), Messages.defaults(), "Ann & <Bob>")
                .compose(new Notification(MailTemplates.RESET_NOTICE, "ann@example.com", Locale.ENGLISH,
                        Map.of("email", "ann@example.com")));

        assertThat(mail.html().orElseThrow()).contains("Ann &amp; &lt;Bob&gt;").doesNotContain("<Bob>");
        assertThat(mail.text()).contains("This message was sent by Ann & <Bob>.");
    }

    @Test
    void an_unsupported_language_gets_the_default_and_a_regional_one_its_language() {
        PebbleMailComposer composer = composer(Optional.empty(), Messages.defaults(), "Test site");
        Map<String, String> model = Map.of("email", "ann@example.com");

        assertThat(composer.compose(new Notification(MailTemplates.RESET_NOTICE, "ann@example.com", Locale.JAPANESE, model))
                .subject()).isEqualTo("Your password has been reset");
        assertThat(composer.compose(new Notification(MailTemplates.RESET_NOTICE, "ann@example.com",
                Locale.forLanguageTag("de-AT"), model)).subject()).isEqualTo("Ihr Passwort wurde zurückgesetzt");
    }

    @Test
    void templates_and_subjects_are_overridden_like_the_pages(@TempDir Path folder) throws IOException {
        Files.createDirectories(folder.resolve("gatehouse/email"));
        Files.writeString(folder.resolve("gatehouse/email/reset_notice.txt"),
                "Dear {{ email }}, your {{ site_name }} password was reset.", StandardCharsets.UTF_8);
        Messages messages = Messages.defaults().with("EMAIL_SUBJECT_RESET_NOTICE", "Password reset at {site_name}");

        ComposedMail mail = composer(Optional.of(folder), messages, "Diary")
                .compose(new Notification(MailTemplates.RESET_NOTICE, "ann@example.com", Locale.ENGLISH,
                        Map.of("email", "ann@example.com")));

        assertThat(mail.text()).isEqualTo("Dear ann@example.com, your Diary password was reset.\n");
        assertThat(mail.subject()).isEqualTo("Password reset at Diary");
        assertThat(mail.html().orElseThrow()).as("the HTML part keeps the default").contains("Your password has been reset");
    }

    @Test
    void a_subject_stays_one_line_whatever_a_text_override_holds() {
        Messages messages = Messages.defaults().with("EMAIL_SUBJECT_RESET_NOTICE", "Reset\r\nBcc: evil@example.com");

        ComposedMail mail = composer(Optional.empty(), messages, "Test site")
                .compose(new Notification(MailTemplates.RESET_NOTICE, "ann@example.com", Locale.ENGLISH,
                        Map.of("email", "ann@example.com")));

        assertThat(mail.subject()).isEqualTo("Reset  Bcc: evil@example.com").doesNotContain("\r").doesNotContain("\n");
    }
}
