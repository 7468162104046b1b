package dev.gatehouse.lifecycle;

import static dev.gatehouse.lifecycle.Fixture.CLIENT;
import static dev.gatehouse.lifecycle.Fixture.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.InvalidInputException;
import dev.gatehouse.mail.MailTemplates;
import dev.gatehouse.testing.Mailbox;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserPatch;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class EmailChangeFlowTest {

    private final Fixture f = new Fixture(c -> c.changeEmail(true));

    private static void refused(ThrowingCallable call, String field, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidInputException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.code()).isEqualTo(code);
        });
    }

    private String requestChange(User user, String newEmail) {
        f.gatehouse.emailChange().requestChange(user, newEmail, CLIENT);
        return f.mail.only().token("change_email_link");
    }

    @Test
    void the_new_address_takes_effect_only_when_confirmed_from_its_mailbox_and_the_old_one_is_told() {
        User alice = f.user("alice@example.com");

        ChangeEmailResult requested = f.gatehouse.emailChange().requestChange(alice, "Alice@New.example", CLIENT);

        assertThat(requested).isEqualTo(new ChangeEmailResult.InstructionsSent("Alice@New.example"));
        assertThat(f.reload(alice).email()).as("not yet").isEqualTo("alice@example.com");
        Mailbox.Delivered instructions = f.mail.only();
        assertThat(instructions.template()).isEqualTo(MailTemplates.CHANGE_EMAIL_INSTRUCTIONS);
        assertThat(instructions.to()).isEqualTo("Alice@New.example");
        assertThat(instructions.get("change_email_link")).startsWith(Fixture.SITE + "/change-email-confirm/");
        assertThat(instructions.message().subject()).isEqualTo("Confirm your new email address");
        assertThat(f.eventTypes()).containsExactly("change_email_instructions_sent");
        f.clock.advance(Duration.ofHours(1));

        ChangeEmailResult.Changed changed = f.gatehouse.emailChange().confirmChange(instructions.token("change_email_link"),
                CLIENT);

        assertThat(changed.oldEmail()).isEqualTo("alice@example.com");
        assertThat(changed.user().email()).isEqualTo("Alice@New.example");
        assertThat(changed.user().confirmedAt()).contains(f.clock.instant());
        assertThat(f.eventTypes()).containsExactly("change_email_confirmed");
        assertThat(f.gatehouse.signIn().signIn("alice@new.example", PASSWORD).isSuccess()).isTrue();
        assertThat(f.gatehouse.signIn().signIn("alice@example.com", PASSWORD).isSuccess()).isFalse();
        Mailbox.Delivered notice = f.mail.only();
        assertThat(notice.template()).isEqualTo(MailTemplates.CHANGE_EMAIL_NOTICE);
        assertThat(notice.to()).isEqualTo("alice@example.com");
        assertThat(notice.get("new_email")).isEqualTo("Alice@New.example");
    }

    @Test
    void a_link_works_once_and_dies_when_the_address_changes_otherwise() {
        User alice = f.user("alice@example.com");
        String first = requestChange(alice, "first@example.com");
        String second = requestChange(alice, "second@example.com");
        f.gatehouse.emailChange().confirmChange(first, CLIENT);
        f.mail.deliver();

        refused(() -> f.gatehouse.emailChange().confirmChange(first, CLIENT), "token", "INVALID_CONFIRMATION_TOKEN");
        refused(() -> f.gatehouse.emailChange().confirmChange(second, CLIENT), "token", "INVALID_CONFIRMATION_TOKEN");
        assertThat(f.reload(alice).email()).isEqualTo("first@example.com");
    }

    @Test
    void expired_tampered_and_foreign_links_are_refused() {
        User alice = f.user("alice@example.com");
        String token = requestChange(alice, "new@example.com");

        refused(() -> f.gatehouse.emailChange().confirmChange(Tokens.tampered(token), CLIENT), "token",
                "INVALID_CONFIRMATION_TOKEN");
        refused(() -> f.gatehouse.emailChange().confirmChange(Tokens.badSignature(token), CLIENT), "token",
                "INVALID_CONFIRMATION_TOKEN");
        f.clock.advance(Duration.ofHours(2).plusSeconds(1));
        refused(() -> f.gatehouse.emailChange().confirmChange(token, CLIENT), "token", "CHANGE_EMAIL_EXPIRED");
        assertThat(f.reload(alice).email()).isEqualTo("alice@example.com");
    }

    @Test
    void a_taken_address_is_refused_at_the_request_without_generic_responses_and_always_at_the_confirmation() {
        Fixture plain = new Fixture(c -> c.changeEmail(true).returnGenericResponses(false));
        User alice = plain.user("alice@example.com");
        plain.user("bob@example.com");

        refused(() -> plain.gatehouse.emailChange().requestChange(alice, "BOB@example.com", CLIENT), "email",
                "EMAIL_ALREADY_ASSOCIATED");
        refused(() -> plain.gatehouse.emailChange().requestChange(alice, "alice@example.com", CLIENT), "email",
                "EMAIL_ALREADY_ASSOCIATED");

        plain.gatehouse.emailChange().requestChange(alice, "carol@example.com", CLIENT);
        String token = plain.mail.only().token("change_email_link");
        plain.user("carol@example.com");
        refused(() -> plain.gatehouse.emailChange().confirmChange(token, CLIENT), "email", "EMAIL_ALREADY_ASSOCIATED");
        assertThat(plain.reload(alice).email()).isEqualTo("alice@example.com");
    }

    @Test
    void with_generic_responses_a_taken_address_answers_like_a_free_one_and_nothing_is_sent() {
        User alice = f.user("alice@example.com");
        f.user("bob@example.com");

        assertThat(f.gatehouse.emailChange().requestChange(alice, "bob@example.com", CLIENT))
                .isEqualTo(new ChangeEmailResult.InstructionsSent("bob@example.com"));
        assertThat(f.mail.deliver()).isEmpty();
    }

    @Test
    void malformed_addresses_are_refused_and_requests_are_limited_per_user() {
        User alice = f.user("alice@example.com");
        refused(() -> f.gatehouse.emailChange().requestChange(alice, "nope", CLIENT), "email", "INVALID_EMAIL_ADDRESS");
        for (int i = 1; i < 10; i++) {
            f.gatehouse.emailChange().requestChange(alice, "n" + i + "@example.com", CLIENT);
        }
        assertThat(f.gatehouse.emailChange().requestChange(alice, "n10@example.com", CLIENT)).isInstanceOf(RateLimited.class);
        assertThat(f.mail.deliver()).hasSize(9);
    }

    @Test
    void the_address_changed_through_the_store_meanwhile_kills_the_link() {
        User alice = f.user("alice@example.com");
        String token = requestChange(alice, "new@example.com");
        f.gatehouse.users().patchUser(alice.id(), UserPatch.builder().email("other@example.com").build());

        refused(() -> f.gatehouse.emailChange().confirmChange(token, CLIENT), "token", "INVALID_CONFIRMATION_TOKEN");
    }
}
