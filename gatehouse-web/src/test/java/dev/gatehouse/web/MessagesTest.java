package dev.gatehouse.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.ResourceBundle;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessagesTest {

    private final Messages messages = Messages.defaults();

    @Test
    void texts_come_in_english_german_and_french_and_fall_back_from_regions_to_languages() {
        assertThat(messages.get("INVALID_PASSWORD", Locale.ENGLISH)).isEqualTo("Invalid password");
        assertThat(messages.get("INVALID_PASSWORD", Locale.GERMAN)).isEqualTo("Falsches Passwort");
        assertThat(messages.get("INVALID_PASSWORD", Locale.forLanguageTag("de-AT"))).isEqualTo("Falsches Passwort");
        assertThat(messages.get("INVALID_PASSWORD", Locale.FRENCH)).isEqualTo("Mot de passe incorrect");
        assertThat(messages.get("INVALID_PASSWORD", Locale.JAPANESE)).isEqualTo("Invalid password");
    }

    @Test
    void a_missing_key_shows_itself() {
        assertThat(messages.get("NO_SUCH_KEY", Locale.GERMAN)).isEqualTo("NO_SUCH_KEY");
        assertThat(messages.has("NO_SUCH_KEY")).isFalse();
        assertThat(messages.has("LOGOUT_DONE")).isTrue();
    }

    @Test
    void every_english_text_is_translated_to_german_and_french_with_the_same_parameters() throws IOException {
        Properties english = bundle("messages.properties");
        for (String language : new String[] {"de", "fr"}) {
            Properties translated = bundle("messages_" + language + ".properties");
            assertThat(translated.stringPropertyNames()).as(language).isEqualTo(english.stringPropertyNames());
            for (String key : english.stringPropertyNames()) {
                assertThat(parameters(translated.getProperty(key))).as("%s %s", language, key)
                        .isEqualTo(parameters(english.getProperty(key)));
            }
        }
    }

    @Test
    void parameters_are_filled_in_and_unknown_ones_left_visible() {
        assertThat(messages.format("EMAIL_ALREADY_ASSOCIATED", Locale.GERMAN, Map.of("email", "a@example.com")))
                .isEqualTo("a@example.com gehört bereits zu einem Konto.");
        assertThat(messages.format("PASSWORD_INVALID_LENGTH", Locale.ENGLISH, Map.of()))
                .isEqualTo("Password must be at least {length} characters.");
        assertThat(messages.format("EMAIL_ALREADY_ASSOCIATED", Locale.ENGLISH, Map.of("email", "$1\\x")))
                .isEqualTo("$1\\x already belongs to an account.");
    }

    @Test
    void an_override_of_the_default_text_applies_to_languages_without_their_own_override() {
        Messages custom = messages.with("REGISTERED", "Hello!").with(Locale.GERMAN, "LOGOUT_DONE", "Tschüss!");

        assertThat(custom.get("REGISTERED", Locale.JAPANESE)).isEqualTo("Hello!");
        assertThat(custom.get("REGISTERED", Locale.ENGLISH)).isEqualTo("Hello!");
        // The most specific language wins: Gatehouse's German text beats an untranslated override.
        assertThat(custom.get("REGISTERED", Locale.GERMAN)).isEqualTo("Willkommen! Ihr Konto ist eingerichtet.");
        assertThat(custom.get("LOGOUT_DONE", Locale.GERMAN)).isEqualTo("Tschüss!");
        assertThat(custom.get("LOGOUT_DONE", Locale.ENGLISH)).isEqualTo("You have been signed out.");
        assertThat(messages.get("REGISTERED")).as("the original is unchanged").isEqualTo("Welcome! Your account is ready.");
    }

    @Test
    void a_messages_file_and_its_translations_override_texts(@TempDir Path folder) throws IOException {
        Files.writeString(folder.resolve("texts.properties"), "INVALID_PASSWORD=Wrong password, sorry\nMY_KEY=Mine\n",
                StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("texts_de.properties"), "INVALID_PASSWORD=Passwort leider falsch\n",
                StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("texts_fr_CA.properties"), "INVALID_PASSWORD=Mauvais mot de passe, désolé\n",
                StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("other_de.properties"), "INVALID_PASSWORD=not mine\n", StandardCharsets.UTF_8);

        Messages custom = messages.withFile(folder.resolve("texts.properties"));

        assertThat(custom.get("INVALID_PASSWORD", Locale.ENGLISH)).isEqualTo("Wrong password, sorry");
        assertThat(custom.get("INVALID_PASSWORD", Locale.GERMAN)).isEqualTo("Passwort leider falsch");
        assertThat(custom.get("INVALID_PASSWORD", Locale.forLanguageTag("fr-CA"))).isEqualTo("Mauvais mot de passe, désolé");
        assertThat(custom.get("INVALID_PASSWORD", Locale.FRENCH)).isEqualTo("Mot de passe incorrect");
        assertThat(custom.get("MY_KEY", Locale.GERMAN)).isEqualTo("Mine");
    }

    @Test
    void a_missing_messages_file_is_an_error_not_silently_ignored(@TempDir Path folder) {
        assertThatThrownBy(() -> messages.withFile(folder.resolve("missing.properties")))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("missing.properties");
    }

    @Test
    void an_application_bundle_adds_keys_and_overrides_gatehouse_texts_at_the_same_level() {
        Messages withApp = messages.withBundle("dev.gatehouse.web.testapp");

        assertThat(withApp.get("APP_GREETING", Locale.GERMAN)).isEqualTo("Hallo");
        assertThat(withApp.get("APP_GREETING", Locale.FRENCH)).isEqualTo("Hello");
        assertThat(withApp.get("LOGOUT_DONE", Locale.ENGLISH)).isEqualTo("Bye for now.");
        assertThat(withApp.get("LOGOUT_DONE", Locale.GERMAN)).isEqualTo("Sie wurden abgemeldet.");
        assertThat(withApp.with("APP_GREETING", "Hi").get("APP_GREETING", Locale.ENGLISH)).isEqualTo("Hi");
        // Emails' texts come from the core's bundle, consulted after the application's too.
        assertThat(withApp.get("EMAIL_SUBJECT_WELCOME", Locale.ENGLISH)).isEqualTo("Welcome aboard");
        assertThat(withApp.get("EMAIL_SUBJECT_WELCOME", Locale.GERMAN)).isEqualTo("Willkommen");
    }

    @Test
    void emails_and_durations_are_worded_from_the_cores_email_texts_and_overridden_here_like_any_text() {
        assertThat(messages.get("EMAIL_SUBJECT_RESET_NOTICE", Locale.FRENCH))
                .isEqualTo(ResourceBundle.getBundle("dev.gatehouse.mail.mail", Locale.FRENCH).getString("EMAIL_SUBJECT_RESET_NOTICE"));
        assertThat(DurationTexts.describe(Duration.ofHours(3), messages, Locale.GERMAN)).isEqualTo("3 Stunden");
        assertThat(DurationTexts.describe(Duration.ofHours(3), messages.with(Locale.GERMAN, "DURATION_HOURS", "{count} h"),
                Locale.GERMAN)).isEqualTo("3 h");
    }

    /** The web layer's bundle {@code name}, as shipped. */
    static Properties bundle(String name) throws IOException {
        Properties properties = new Properties();
        try (var in = Messages.class.getResourceAsStream(name)) {
            properties.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }

    /** The {@code {name}} parameters a text names. */
    static Set<String> parameters(String text) {
        return java.util.regex.Pattern.compile("\\{([A-Za-z0-9_]+)}").matcher(text).results()
                .map(m -> m.group(1)).collect(java.util.stream.Collectors.toSet());
    }
}
