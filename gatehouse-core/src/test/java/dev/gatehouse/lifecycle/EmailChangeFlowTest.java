package dev.gatehouse.lifecycle;

import static dev.gatehouse.config.Settings.CHANGEABLE;
import static dev.gatehouse.config.Settings.CHANGE_EMAIL;
import static dev.gatehouse.config.Settings.LOCKOUT_MAX_ATTEMPTS;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static dev.gatehouse.config.Settings.RETURN_GENERIC_RESPONSES;
import static dev.gatehouse.lifecycle.Fixture.CLIENT;
import static dev.gatehouse.lifecycle.Fixture.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.mail.MailTemplates;
import dev.gatehouse.testing.Mailbox;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserPatch;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class EmailChangeFlowTest {

    private final Fixture f = new Fixture(c -> c.set(CHANGE_EMAIL, true));

    private static void refused(ThrowingCallable call, String field, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidInputException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.code()).isEqualTo(code);
        });
    }

    private String requestChange(User user, String newEmail) {
        f.gatehouse.emailChange().requestChange(user, newEmail, PASSWORD, CLIENT);
        return f.mail.only().token("change_email_link");
    }

    @Test
    void the_new_address_takes_effect_only_when_confirmed_from_its_mailbox_and_the_old_one_is_told() {
        User alice = f.user("alice@example.com");

        ChangeEmailResult requested = f.gatehouse.emailChange().requestChange(alice, "Alice@New.example", PASSWORD, CLIENT);

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
        Fixture plain = new Fixture(c -> c.set(CHANGE_EMAIL, true).set(RETURN_GENERIC_RESPONSES, false));
        User alice = plain.user("alice@example.com");
        plain.user("bob@example.com");

        refused(() -> plain.gatehouse.emailChange().requestChange(alice, "BOB@example.com", PASSWORD, CLIENT), "email",
                "EMAIL_ALREADY_ASSOCIATED");
        refused(() -> plain.gatehouse.emailChange().requestChange(alice, "alice@example.com", PASSWORD, CLIENT), "email",
                "EMAIL_ALREADY_ASSOCIATED");

        plain.gatehouse.emailChange().requestChange(alice, "carol@example.com", PASSWORD, CLIENT);
        String token = plain.mail.only().token("change_email_link");
        plain.user("carol@example.com");
        refused(() -> plain.gatehouse.emailChange().confirmChange(token, CLIENT), "email", "EMAIL_ALREADY_ASSOCIATED");
        assertThat(plain.reload(alice).email()).isEqualTo("alice@example.com");
    }

    @Test
    void with_generic_responses_a_taken_address_answers_like_a_free_one_and_nothing_is_sent() {
        User alice = f.user("alice@example.com");
        f.user("bob@example.com");

        assertThat(f.gatehouse.emailChange().requestChange(alice, "bob@example.com", PASSWORD, CLIENT))
                .isEqualTo(new ChangeEmailResult.InstructionsSent("bob@example.com"));
        assertThat(f.mail.deliver()).isEmpty();
    }

    @Test
    void malformed_addresses_are_refused_and_requests_are_limited_per_user() {
        User alice = f.user("alice@example.com");
        refused(() -> f.gatehouse.emailChange().requestChange(alice, "nope", PASSWORD, CLIENT), "email", "INVALID_EMAIL_ADDRESS");
        for (int i = 1; i < 10; i++) {
            f.gatehouse.emailChange().requestChange(alice, "n" + i + "@example.com", PASSWORD, CLIENT);
        }
        assertThat(f.gatehouse.emailChange().requestChange(alice, "n10@example.com", PASSWORD, CLIENT)).isInstanceOf(RateLimited.class);
        assertThat(f.mail.deliver()).hasSize(9);
    }

    @Test
    void the_address_changed_through_the_store_meanwhile_kills_the_link() {
        User alice = f.user("alice@example.com");
        String token = requestChange(alice, "new@example.com");
        f.gatehouse.users().patchUser(alice.id(), UserPatch.builder().email("other@example.com").build());

        refused(() -> f.gatehouse.emailChange().confirmChange(token, CLIENT), "token", "INVALID_CONFIRMATION_TOKEN");
    }

    /** Changes the address of {@code user} to {@code newEmail} and returns the revert link's token mailed to the old one. */
    private String changeAndGetRevert(User user, String newEmail) {
        return changeAndGetRevert(f, user, newEmail);
    }

    private static String changeAndGetRevert(Fixture f, User user, String newEmail) {
        f.gatehouse.emailChange().requestChange(user, newEmail, PASSWORD, CLIENT);
        f.gatehouse.emailChange().confirmChange(f.mail.only().token("change_email_link"), CLIENT);
        Mailbox.Delivered notice = f.mail.only();
        assertThat(notice.to()).isEqualTo(user.email());
        return notice.token("revert_link");
    }

    @Test
    void the_request_needs_the_current_password_checked_like_a_sign_in() {
        User alice = f.user("alice@example.com");

        refused(() -> f.gatehouse.emailChange().requestChange(alice, "mallory@example.com", "", CLIENT), "password",
                "PASSWORD_NOT_PROVIDED");
        refused(() -> f.gatehouse.emailChange().requestChange(alice, "mallory@example.com", PASSWORD + "x", CLIENT),
                "password", "INVALID_PASSWORD");
        assertThat(f.mail.deliver()).as("nothing is sent without the password").isEmpty();
        assertThat(f.eventTypes()).doesNotContain("change_email_instructions_sent");
    }

    @Test
    void wrong_current_passwords_count_towards_the_sign_in_limit_and_the_lockout() {
        Fixture locking = new Fixture(c -> c.set(CHANGE_EMAIL, true).set(LOCKOUT_MAX_ATTEMPTS, 3).set("rate-limit-change-email", "")
                .set("rate-limit-login-failed", ""));
        User alice = locking.user("alice@example.com");
        EmailChangeFlow flow = locking.gatehouse.emailChange();
        for (int guess = 1; guess <= 3; guess++) {
            String password = "guess " + guess;
            refused(() -> flow.requestChange(alice, "mallory@example.com", password, CLIENT), "password",
                    "INVALID_PASSWORD");
        }

        refused(() -> flow.requestChange(alice, "mallory@example.com", PASSWORD, CLIENT), "password", "INVALID_PASSWORD");
        assertThat(locking.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT))
                .isInstanceOf(dev.gatehouse.auth.SignInResult.LockedOut.class);
        assertThat(locking.reload(alice).email()).isEqualTo("alice@example.com");
    }

    @Test
    void guesses_over_the_sign_in_failure_limit_are_rate_limited() {
        Fixture limited = new Fixture(c -> c.set(CHANGE_EMAIL, true).set("rate-limit-change-email", "")
                .set("rate-limit-login-failed", "2/1h/key"));
        User alice = limited.user("alice@example.com");
        EmailChangeFlow flow = limited.gatehouse.emailChange();
        refused(() -> flow.requestChange(alice, "mallory@example.com", "guess 1", CLIENT), "password", "INVALID_PASSWORD");
        refused(() -> flow.requestChange(alice, "mallory@example.com", "guess 2", CLIENT), "password", "INVALID_PASSWORD");

        assertThat(flow.requestChange(alice, "mallory@example.com", "guess 3", CLIENT)).isInstanceOf(RateLimited.class);
    }

    @Test
    void a_user_without_a_password_relies_on_the_fresh_authentication_alone() {
        User passwordless = f.gatehouse.users().createUser(dev.gatehouse.user.NewUser.builder("nopass@example.com").build());

        assertThat(f.gatehouse.emailChange().requestChange(passwordless, "moved@example.com", "", CLIENT))
                .isEqualTo(new ChangeEmailResult.InstructionsSent("moved@example.com"));
    }

    @Test
    void the_revert_link_restores_the_old_address_ends_every_session_and_voids_the_password_the_intruder_set() {
        Fixture r = new Fixture(c -> c.set(CHANGE_EMAIL, true).set(RECOVERABLE, true).set(CHANGEABLE, true));
        User alice = r.user("alice@example.com");
        String revert = changeAndGetRevert(r, alice, "mallory@example.com");
        // Whoever made the change also changed the password, so knows it.
        r.gatehouse.passwordChange().change(r.reload(alice), PASSWORD, "violet kettle under mallory's rule",
                java.util.Optional.empty(), CLIENT);
        r.mail.deliver();
        String stamp = r.reload(alice).securityStamp();
        r.clock.advance(Duration.ofDays(6));

        assertThat(r.gatehouse.emailChange().checkRevert(revert)).isEqualTo("alice@example.com");
        ChangeEmailResult.Reverted reverted = r.gatehouse.emailChange().revertChange(revert, CLIENT);

        assertThat(reverted.user().email()).isEqualTo("alice@example.com");
        assertThat(reverted.replacedEmail()).isEqualTo("mallory@example.com");
        assertThat(reverted.passwordCleared()).isTrue();
        assertThat(r.reload(alice).securityStamp()).as("every session and token ends").isNotEqualTo(stamp);
        assertThat(r.gatehouse.signIn().signIn("alice@example.com", "violet kettle under mallory's rule").isSuccess()).isFalse();
        assertThat(r.gatehouse.signIn().signIn("alice@example.com", PASSWORD).isSuccess()).isFalse();
        assertThat(r.gatehouse.signIn().signIn("mallory@example.com", "violet kettle under mallory's rule").isSuccess()).isFalse();
        assertThat(r.eventTypes()).contains("change_email_reverted");
        refused(() -> r.gatehouse.emailChange().revertChange(revert, CLIENT), "token", "INVALID_REVERT_TOKEN");
    }

    @Test
    void without_recoverable_the_revert_keeps_the_password_so_the_owner_can_still_sign_in() {
        User alice = f.user("alice@example.com");
        String revert = changeAndGetRevert(alice, "mallory@example.com");

        ChangeEmailResult.Reverted reverted = f.gatehouse.emailChange().revertChange(revert, CLIENT);

        assertThat(reverted.passwordCleared()).isFalse();
        assertThat(f.gatehouse.signIn().signIn("alice@example.com", PASSWORD).isSuccess()).isTrue();
    }

    @Test
    void expired_and_tampered_revert_links_are_refused() {
        User alice = f.user("alice@example.com");
        String revert = changeAndGetRevert(alice, "mallory@example.com");

        refused(() -> f.gatehouse.emailChange().revertChange(Tokens.tampered(revert), CLIENT), "token", "INVALID_REVERT_TOKEN");
        refused(() -> f.gatehouse.emailChange().revertChange(Tokens.badSignature(revert), CLIENT), "token",
                "INVALID_REVERT_TOKEN");
        f.clock.advance(Duration.ofDays(7).plusMinutes(2));
        refused(() -> f.gatehouse.emailChange().checkRevert(revert), "token", "INVALID_REVERT_TOKEN");
        refused(() -> f.gatehouse.emailChange().revertChange(revert, CLIENT), "token", "INVALID_REVERT_TOKEN");
        assertThat(f.reload(alice).email()).isEqualTo("mallory@example.com");
    }

    @Test
    void in_a_chain_of_changes_the_oldest_revert_wins_whichever_link_is_followed_first() {
        User alice = f.user("alice@example.com");
        String toAlice = changeAndGetRevert(alice, "b@example.com");
        f.clock.advance(Duration.ofMinutes(5));
        String toB = changeAndGetRevert(f.reload(alice), "c@example.com");
        f.clock.advance(Duration.ofMinutes(5));

        // The holder of the middle address undoes the last change first...
        f.gatehouse.emailChange().revertChange(toB, CLIENT);
        assertThat(f.reload(alice).email()).isEqualTo("b@example.com");
        // ...and the first address still takes the account back.
        f.gatehouse.emailChange().revertChange(toAlice, CLIENT);
        assertThat(f.reload(alice).email()).isEqualTo("alice@example.com");
    }

    @Test
    void a_revert_kills_the_links_of_later_changes_and_freezes_the_address_while_they_could_be_valid() {
        User alice = f.user("alice@example.com");
        String toAlice = changeAndGetRevert(alice, "b@example.com");
        f.clock.advance(Duration.ofMinutes(5));
        String toB = changeAndGetRevert(f.reload(alice), "c@example.com");
        f.clock.advance(Duration.ofMinutes(5));

        f.gatehouse.emailChange().revertChange(toAlice, CLIENT);

        refused(() -> f.gatehouse.emailChange().revertChange(toB, CLIENT), "token", "INVALID_REVERT_TOKEN");
        User restored = f.reload(alice);
        refused(() -> f.gatehouse.emailChange().requestChange(restored, "d@example.com", PASSWORD, CLIENT), "email",
                "CHANGE_EMAIL_FROZEN");
        f.clock.advance(Duration.ofDays(7).plusMinutes(2));
        f.gatehouse.emailChange().confirmChange(requestChange(restored, "d@example.com"), CLIENT);
        refused(() -> f.gatehouse.emailChange().revertChange(toB, CLIENT), "token", "INVALID_REVERT_TOKEN");
        assertThat(f.reload(alice).email()).isEqualTo("d@example.com");
    }

    @Test
    void a_revert_kills_pending_change_links_issued_before_it() {
        User alice = f.user("alice@example.com");
        String pending = requestChange(alice, "x@example.com");
        String revert = changeAndGetRevert(alice, "b@example.com");

        f.gatehouse.emailChange().revertChange(revert, CLIENT);

        refused(() -> f.gatehouse.emailChange().confirmChange(pending, CLIENT), "token", "INVALID_CONFIRMATION_TOKEN");
        assertThat(f.reload(alice).email()).isEqualTo("alice@example.com");
    }

    @Test
    void a_revert_to_an_address_another_account_took_meanwhile_is_refused() {
        User alice = f.user("alice@example.com");
        String revert = changeAndGetRevert(alice, "b@example.com");
        f.user("alice@example.com");

        refused(() -> f.gatehouse.emailChange().revertChange(revert, CLIENT), "email", "EMAIL_ALREADY_ASSOCIATED");
        assertThat(f.reload(alice).email()).isEqualTo("b@example.com");
    }
}
