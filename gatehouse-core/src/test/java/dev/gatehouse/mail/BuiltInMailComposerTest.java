package dev.gatehouse.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BuiltInMailComposerTest {

    private final BuiltInMailComposer composer = new BuiltInMailComposer();

    /** Every model entry any template uses, all present. */
    private static Map<String, String> everything() {
        Map<String, String> model = new LinkedHashMap<>();
        for (String name : new String[] {"email", "username", "confirmation_link", "reset_link", "reset_page_link",
                "login_page_link", "register_page_link", "within", "old_email", "new_email", "change_email_link", "code",
                "login_link", "until", "unlock_link", "action", "revert_link", "revert_within", "name"}) {
            model.put(name, "<" + name + ">");
        }
        return model;
    }

    @Test
    void every_template_has_a_subject_and_a_text_that_uses_every_entry_given_and_leaves_no_placeholder() {
        for (String template : MailTemplates.ALL) {
            assertThat(BuiltInMailComposer.hasTexts(template)).as(template).isTrue();
            ComposedMail full = composer.compose(new Notification(template, "a@example.com", Locale.ENGLISH, everything()));
            ComposedMail bare = composer.compose(new Notification(template, "a@example.com", Locale.ENGLISH,
                    Map.of("email", "a@example.com")));

            assertThat(full.subject()).as(template).isNotBlank().doesNotContain("{", "\n");
            assertThat(full.text()).as(template).doesNotContain("{", "}").isNotBlank();
            assertThat(bare.text()).as(template).doesNotContain("{", "}", "<");
            assertThat(full.html()).isEmpty();
        }
    }

    @Test
    void subjects_are_the_shared_email_texts_which_mostly_follow_flask_security() {
        // The web layer's templates use the same EMAIL_SUBJECT_* texts; README lists the two that differ.
        Map<String, String> expected = Map.of(MailTemplates.WELCOME, "Welcome",
                MailTemplates.CONFIRMATION_INSTRUCTIONS, "Please confirm your email",
                MailTemplates.RESET_INSTRUCTIONS, "Password reset instructions",
                MailTemplates.RESET_NOTICE, "Your password has been reset",
                MailTemplates.CHANGE_NOTICE, "Your password has been changed",
                MailTemplates.CHANGE_EMAIL_INSTRUCTIONS, "Confirm your new email address",
                MailTemplates.LOGIN_INSTRUCTIONS, "Your sign-in code",
                MailTemplates.USERNAME_RECOVERY, "Your username");
        expected.forEach((template, subject) -> assertThat(composer.compose(new Notification(template, "a@example.com",
                Locale.ENGLISH, everything())).subject()).isEqualTo(subject));
    }

    @Test
    void optional_links_vanish_with_the_lines_that_introduce_them() {
        ComposedMail withLink = composer.compose(new Notification(MailTemplates.ACCOUNT_LOCKED, "a@example.com",
                Locale.ENGLISH, Map.of("email", "a@example.com", "unlock_link", "https://x/unlock/T")));
        ComposedMail withoutLink = composer.compose(new Notification(MailTemplates.ACCOUNT_LOCKED, "a@example.com",
                Locale.ENGLISH, Map.of("email", "a@example.com", "until", "2026-11-23 10:15 UTC")));

        assertThat(withLink.text()).contains("To unlock it now, follow this link:\nhttps://x/unlock/T")
                .doesNotContain("unlocks by itself");
        assertThat(withoutLink.text()).contains("It unlocks by itself at 2026-11-23 10:15 UTC.")
                .doesNotContain("follow this link");
    }

    @Test
    void values_are_inserted_literally() {
        ComposedMail mail = composer.compose(new Notification(MailTemplates.USERNAME_RECOVERY, "a@example.com",
                Locale.ENGLISH, Map.of("email", "a@example.com", "username", "$1 {email} \\n")));

        assertThat(mail.text()).contains("Your username is: $1 {email} \\n");
    }

    @Test
    void an_unknown_template_is_refused_and_languages_without_texts_fall_back_to_english() {
        assertThatThrownBy(() -> composer.compose(new Notification("no_such_template", "a@example.com", Locale.ENGLISH,
                Map.of()))).isInstanceOf(IllegalArgumentException.class);
        assertThat(composer.compose(new Notification(MailTemplates.WELCOME, "a@example.com", Locale.GERMAN,
                Map.of("email", "a@example.com"))).subject()).isEqualTo("Willkommen");
        assertThat(composer.compose(new Notification(MailTemplates.WELCOME, "a@example.com", Locale.JAPANESE,
                Map.of("email", "a@example.com"))).subject()).isEqualTo("Welcome");
    }

    @Test
    void durations_are_worded_in_the_readers_language_and_an_old_queued_text_is_shown_as_it_is() {
        Map<String, String> model = Map.of("email", "a@example.com", "reset_link", "https://x/reset/T", "within", "PT2H");

        assertThat(composer.compose(new Notification(MailTemplates.RESET_INSTRUCTIONS, "a@example.com", Locale.ENGLISH,
                model)).text()).contains("within 2 hours").doesNotContain("PT2H");
        assertThat(composer.compose(new Notification(MailTemplates.RESET_INSTRUCTIONS, "a@example.com", Locale.FRENCH,
                model)).text()).contains("2 heures");
        // Rows queued before durations were stored as ISO-8601 held English words: printed, not parsed.
        assertThat(composer.compose(new Notification(MailTemplates.RESET_INSTRUCTIONS, "a@example.com", Locale.ENGLISH,
                Map.of("email", "a@example.com", "reset_link", "https://x/reset/T", "within", "1 hour"))).text())
                .contains("within 1 hour");
    }

    @Test
    void every_email_text_is_translated_to_german_and_french_with_the_same_parameters() throws IOException {
        Properties english = bundle("mail.properties");
        // The layouts (<template>.text) are not translated: they name the texts.
        Set<String> texts = english.stringPropertyNames().stream().filter(k -> !k.endsWith(".text"))
                .collect(Collectors.toSet());
        for (String language : new String[] {"de", "fr"}) {
            Properties translated = bundle("mail_" + language + ".properties");
            assertThat(translated.stringPropertyNames()).as(language).isEqualTo(texts);
            for (String key : texts) {
                assertThat(parameters(translated.getProperty(key))).as("%s %s", language, key)
                        .isEqualTo(parameters(english.getProperty(key)));
            }
        }
    }

    private static Properties bundle(String name) throws IOException {
        Properties properties = new Properties();
        try (var in = BuiltInMailComposer.class.getResourceAsStream(name)) {
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }

    private static Set<String> parameters(String text) {
        return Pattern.compile("\\{([A-Za-z0-9_]+)}").matcher(text).results().map(m -> m.group(1))
                .collect(Collectors.toSet());
    }
}
