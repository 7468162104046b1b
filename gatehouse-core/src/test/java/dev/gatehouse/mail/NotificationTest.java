package dev.gatehouse.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NotificationTest {

    @Test
    void recipients_that_could_inject_headers_are_refused() {
        assertThatThrownBy(() -> new Notification("welcome", "a@example.com\r\nBcc: x@example.com", Locale.ENGLISH, Map.of()))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new Notification("welcome", "a@example.com, b@example.com", Locale.ENGLISH, Map.of()))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new Notification("welcome", "\"Evil\" <a@example.com>", Locale.ENGLISH, Map.of()))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void template_names_model_names_and_values_are_checked() {
        assertThatThrownBy(() -> new Notification("../etc", "a@example.com", Locale.ENGLISH, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Notification("welcome", "a@example.com", Locale.ENGLISH, Map.of("Bad", "x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Notification("welcome", "a@example.com", Locale.ENGLISH, Map.of("x", "\0")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Notification("welcome", "a@example.com", Locale.ENGLISH,
                Map.of("a", "é".repeat(5000), "b", "é".repeat(5000)))).hasMessageContaining("too large");
    }

    @Test
    void codes_and_links_are_secrets_and_never_shown() {
        assertThat(Notification.isSecret("code")).isTrue();
        assertThat(Notification.isSecret("reset_link")).isTrue();
        assertThat(Notification.isSecret("email")).isFalse();
        Notification n = new Notification("welcome", "a@example.com", Locale.ENGLISH, Map.of("code", "123456"));
        assertThat(n.toString()).doesNotContain("123456").contains("code");
    }

    @Test
    void the_language_is_the_users_then_the_clients_then_english() {
        User withLocale = User.builder(1).email("a@example.com").securityStamp("s".repeat(43)).createdAt(Instant.EPOCH)
                .attribute("locale", "fr-CA").build();
        User without = withLocale.toBuilder().attributes(Map.of()).build();
        ClientInfo german = ClientInfo.UNKNOWN.withLocale(Locale.GERMAN);

        assertThat(Notification.localeFor(Optional.of(withLocale), german)).isEqualTo(Locale.CANADA_FRENCH);
        assertThat(Notification.localeFor(Optional.of(without), german)).isEqualTo(Locale.GERMAN);
        assertThat(Notification.localeFor(Optional.empty(), ClientInfo.UNKNOWN)).isEqualTo(Locale.ENGLISH);
    }

    @Test
    void durations_travel_as_iso_8601_and_words_from_older_queues_are_no_duration() {
        Notification n = new Notification(MailTemplates.CHANGE_EMAIL_NOTICE, "a@example.com", Locale.ENGLISH,
                Map.of("within", Notification.durationValue(Duration.ofMinutes(90)), "revert_within", "P7D",
                        "old_within", "1 hour", "email", "PT1H"));

        assertThat(n.model().get("within")).isEqualTo("PT1H30M");
        assertThat(n.duration("within")).contains(Duration.ofMinutes(90));
        assertThat(n.duration("revert_within")).contains(Duration.ofDays(7));
        assertThat(n.duration("old_within")).as("English words, queued before").isEmpty();
        assertThat(n.duration("email")).as("not a duration entry").isEmpty();
        assertThat(n.duration("missing")).isEmpty();
    }

    @Test
    void durations_are_worded_in_whole_days_else_hours_else_minutes() {
        assertThat(DurationWords.of(Duration.ofDays(7))).isEqualTo(new DurationWords("DURATION_DAYS", 7));
        assertThat(DurationWords.of(Duration.ofHours(1))).isEqualTo(new DurationWords("DURATION_HOUR", 1));
        assertThat(DurationWords.of(Duration.ofMinutes(90))).isEqualTo(new DurationWords("DURATION_MINUTES", 90));
        assertThat(DurationWords.of(Duration.ofSeconds(20))).isEqualTo(new DurationWords("DURATION_MINUTE", 1));
        assertThat(DurationWords.of(Duration.ofHours(48)).english()).isEqualTo("2 days");
    }
}
