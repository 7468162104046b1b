package dev.gatehouse.lifecycle;

import static dev.gatehouse.config.Settings.AUTO_LOGIN_AFTER_RESET;
import static dev.gatehouse.config.Settings.CHANGEABLE;
import static dev.gatehouse.config.Settings.CONFIRMABLE;
import static dev.gatehouse.config.Settings.LOCKOUT_MAX_ATTEMPTS;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static dev.gatehouse.config.Settings.RESET_PASSWORD_WITHIN;
import static dev.gatehouse.config.Settings.RETURN_GENERIC_RESPONSES;
import static dev.gatehouse.lifecycle.Fixture.CLIENT;
import static dev.gatehouse.lifecycle.Fixture.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.auth.SignInResult;
import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.mail.MailTemplates;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.session.IssuedSession;
import dev.gatehouse.testing.Mailbox;
import dev.gatehouse.testing.Races;
import dev.gatehouse.user.NewUser;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserPatch;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class RecoveryFlowTest {

    private static final String NEW_PASSWORD = "a brand new passphrase";

    private final Fixture f = new Fixture(c -> c.set(RECOVERABLE, true).set(CHANGEABLE, true));

    private String resetLink(String email) {
        f.gatehouse.recovery().requestReset(email, CLIENT);
        return f.mail.only().token("reset_link");
    }

    private ResetResult.Done reset(String token, String password) {
        return f.gatehouse.recovery().resetPassword(token, password, Optional.empty(), CLIENT);
    }

    private static void refused(ThrowingCallable call, String field, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidInputException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.code()).isEqualTo(code);
        });
    }

    @Test
    void a_request_mails_a_link_valid_for_an_hour() {
        User alice = f.user("alice@example.com");

        SendResult result = f.gatehouse.recovery().requestReset(" Alice@Example.com ", CLIENT);

        assertThat(result).isEqualTo(new SendResult.Sent("Alice@Example.com"));
        Mailbox.Delivered mail = f.mail.only();
        assertThat(mail.template()).isEqualTo(MailTemplates.RESET_INSTRUCTIONS);
        assertThat(mail.to()).isEqualTo("alice@example.com");
        assertThat(mail.get("reset_link")).startsWith(Fixture.SITE + "/reset/");
        assertThat(mail.get("within")).as("a machine value").isEqualTo("PT1H");
        assertThat(mail.message().text()).as("worded by the composer").contains("within 1 hour");
        assertThat(mail.message().subject()).isEqualTo("Password reset instructions");
        assertThat(mail.message().text()).contains(mail.get("reset_link"));
        assertThat(f.eventTypes()).containsExactly("reset_password_instructions_sent");
        assertThat(f.gatehouse.recovery().checkToken(mail.token("reset_link"))).isEqualTo(alice);
    }

    @Test
    void following_the_link_sets_the_new_password_ends_every_session_and_sends_a_notice() {
        User alice = f.user("alice@example.com");
        IssuedSession session = f.gatehouse.sessions().start(alice, true, Optional.empty(), CLIENT);
        String apiToken = f.gatehouse.authTokens().issue(alice, f.clock.instant(), session.record().familyId());
        String token = resetLink("alice@example.com");
        f.events.clear();

        ResetResult.Done done = reset(token, NEW_PASSWORD);

        assertThat(done.signIn()).as("auto-login-after-reset is off").isFalse();
        assertThat(done.requiresSecondFactor()).isFalse();
        assertThat(done.user().securityStamp()).isNotEqualTo(alice.securityStamp());
        assertThat(f.gatehouse.signIn().signIn("alice@example.com", NEW_PASSWORD).isSuccess()).isTrue();
        assertThat(f.gatehouse.signIn().signIn("alice@example.com", PASSWORD).isSuccess()).isFalse();
        assertThat(f.gatehouse.sessions().resume(session.secret())).isEmpty();
        assertThat(f.gatehouse.sessions().restore(session.rememberSecret().orElseThrow(), CLIENT)).isEmpty();
        assertThat(f.gatehouse.authTokens().authenticate(apiToken)).isEmpty();
        assertThat(f.gatehouse.sessions().store().listForUser(alice.id())).isEmpty();
        Mailbox.Delivered notice = f.mail.only();
        assertThat(notice.template()).isEqualTo(MailTemplates.RESET_NOTICE);
        assertThat(notice.message().subject()).isEqualTo("Your password has been reset");
        assertThat(f.eventTypes()).contains("password_reset");
    }

    @Test
    void a_reset_deletes_every_session_record_at_once_before_any_is_used_again() {
        User alice = f.user("alice@example.com");
        User bob = f.user("bob@example.com");
        f.gatehouse.sessions().start(alice, true, Optional.empty(), CLIENT);
        f.gatehouse.sessions().start(alice, false, Optional.empty(), CLIENT);
        IssuedSession bobs = f.gatehouse.sessions().start(bob, false, Optional.empty(), CLIENT);
        assertThat(f.gatehouse.sessions().store().listForUser(alice.id())).hasSize(3);

        reset(resetLink("alice@example.com"), NEW_PASSWORD);

        assertThat(f.gatehouse.sessions().list(alice.id())).isEmpty();
        assertThat(f.gatehouse.sessions().store().listForUser(alice.id())).isEmpty();
        assertThat(f.gatehouse.sessions().resume(bobs.secret())).as("other users keep theirs").isPresent();
    }

    @Test
    void a_link_works_once() {
        f.user("alice@example.com");
        String token = resetLink("alice@example.com");
        reset(token, NEW_PASSWORD);

        refused(() -> reset(token, "yet another passphrase"), "token", "INVALID_RESET_PASSWORD_TOKEN");
        refused(() -> f.gatehouse.recovery().checkToken(token), "token", "INVALID_RESET_PASSWORD_TOKEN");
        assertThat(f.gatehouse.signIn().signIn("alice@example.com", NEW_PASSWORD).isSuccess()).isTrue();
    }

    @Test
    void concurrent_uses_of_one_link_reset_once() throws Exception {
        f.user("alice@example.com");
        String token = resetLink("alice@example.com");

        List<Races.Outcome<ResetResult.Done>> outcomes = Races.race(4, i -> reset(token, NEW_PASSWORD + i));

        assertThat(outcomes).filteredOn(Races.Outcome::succeeded).hasSize(1);
        int winner = outcomes.indexOf(outcomes.stream().filter(Races.Outcome::succeeded).findFirst().orElseThrow());
        assertThat(f.gatehouse.signIn().signIn("alice@example.com", NEW_PASSWORD + winner).isSuccess()).isTrue();
    }

    @Test
    void a_link_dies_with_any_password_change_sign_out_everywhere_or_email_change() {
        User alice = f.user("alice@example.com");
        String beforeChange = resetLink("alice@example.com");
        f.gatehouse.passwordChange().change(alice, PASSWORD, NEW_PASSWORD, Optional.empty(), CLIENT);
        f.mail.deliver();
        refused(() -> reset(beforeChange, "another passphrase"), "token", "INVALID_RESET_PASSWORD_TOKEN");

        String beforeRotation = resetLink("alice@example.com");
        f.gatehouse.users().rotateSecurityStamp(alice.id());
        refused(() -> reset(beforeRotation, "another passphrase"), "token", "INVALID_RESET_PASSWORD_TOKEN");

        String beforeNewEmail = resetLink("alice@example.com");
        f.gatehouse.users().patchUser(alice.id(), UserPatch.builder().email("alice@example.org").build());
        refused(() -> reset(beforeNewEmail, "another passphrase"), "token", "INVALID_RESET_PASSWORD_TOKEN");

        assertThat(f.gatehouse.signIn().signIn("alice@example.org", NEW_PASSWORD).isSuccess()).isTrue();
    }

    @Test
    void an_expired_link_is_refused_and_a_new_one_sent() {
        f.user("alice@example.com");
        String token = resetLink("alice@example.com");
        f.clock.advance(Duration.ofHours(1).plusSeconds(1));

        refused(() -> f.gatehouse.recovery().checkToken(token), "token", "PASSWORD_RESET_EXPIRED");
        assertThat(f.mail.deliver()).as("checking the link sends nothing").isEmpty();
        refused(() -> reset(token, NEW_PASSWORD), "token", "PASSWORD_RESET_EXPIRED");

        String fresh = f.mail.only().token("reset_link");
        assertThat(reset(fresh, NEW_PASSWORD).user().email()).isEqualTo("alice@example.com");
    }

    @Test
    void the_validity_is_a_setting_of_at_most_an_hour() {
        Fixture quick = new Fixture(c -> c.set(RECOVERABLE, true).set(RESET_PASSWORD_WITHIN, Duration.ofMinutes(10)));
        quick.user("alice@example.com");
        quick.gatehouse.recovery().requestReset("alice@example.com", CLIENT);
        String token = quick.mail.only().token("reset_link");
        quick.clock.advance(Duration.ofMinutes(10).plusSeconds(1));

        assertThatThrownBy(() -> quick.gatehouse.recovery().checkToken(token)).isInstanceOfSatisfying(
                InvalidInputException.class, e -> assertThat(e.code()).isEqualTo("PASSWORD_RESET_EXPIRED"));
        assertThatThrownBy(() -> dev.gatehouse.config.GatehouseConfig.builder().set(RESET_PASSWORD_WITHIN, Duration.ofHours(2)))
                .isInstanceOf(dev.gatehouse.config.InvalidConfigurationException.class);
    }

    @Test
    void tampered_forged_and_foreign_tokens_are_invalid() {
        f.user("alice@example.com");
        String token = resetLink("alice@example.com");

        refused(() -> reset(Tokens.tampered(token), NEW_PASSWORD), "token", "INVALID_RESET_PASSWORD_TOKEN");
        refused(() -> reset(Tokens.badSignature(token), NEW_PASSWORD), "token", "INVALID_RESET_PASSWORD_TOKEN");
        refused(() -> reset("", NEW_PASSWORD), "token", "INVALID_RESET_PASSWORD_TOKEN");
        refused(() -> reset("x".repeat(100_000), NEW_PASSWORD), "token", "INVALID_RESET_PASSWORD_TOKEN");
        assertThat(f.gatehouse.signIn().signIn("alice@example.com", PASSWORD).isSuccess()).isTrue();
    }

    @Test
    void the_new_password_must_pass_the_policy_and_a_refused_one_does_not_use_up_the_link() {
        f.user("alice@example.com");
        String token = resetLink("alice@example.com");

        refused(() -> reset(token, "short"), "password", "PASSWORD_INVALID_LENGTH");
        refused(() -> reset(token, ""), "password", "PASSWORD_NOT_PROVIDED");
        refused(() -> f.gatehouse.recovery().resetPassword(token, NEW_PASSWORD, Optional.of("typo"), CLIENT),
                "password_confirm", "RETYPE_PASSWORD_MISMATCH");
        assertThat(f.gatehouse.signIn().signIn("alice@example.com", PASSWORD).isSuccess()).isTrue();

        assertThat(f.gatehouse.recovery().resetPassword(token, NEW_PASSWORD, Optional.of(NEW_PASSWORD), CLIENT).user())
                .isNotNull();
    }

    @Test
    void with_generic_responses_an_unknown_address_gets_the_same_answer_and_does_the_same_work() {
        f.user("alice@example.com");
        f.work.reset();

        SendResult known = f.gatehouse.recovery().requestReset("alice@example.com", CLIENT);
        SendResult unknown = f.gatehouse.recovery().requestReset("nobody@example.com", CLIENT);

        assertThat(known).isInstanceOf(SendResult.Sent.class);
        assertThat(unknown).isInstanceOf(SendResult.Sent.class);
        assertThat(f.work.computations()).as("neither hashes").isZero();
        List<Mailbox.Delivered> mails = f.mail.deliver();
        assertThat(mails).extracting(Mailbox.Delivered::template)
                .containsExactly(MailTemplates.RESET_INSTRUCTIONS, MailTemplates.UNKNOWN_ACCOUNT);
        assertThat(mails.get(1).get("action")).isEqualTo("reset_password");
        assertThat(mails.get(1).to()).isEqualTo("nobody@example.com");
    }

    @Test
    void without_generic_responses_an_unknown_address_is_named() {
        Fixture plain = new Fixture(c -> c.set(RECOVERABLE, true).set(RETURN_GENERIC_RESPONSES, false));

        assertThatThrownBy(() -> plain.gatehouse.recovery().requestReset("nobody@example.com", CLIENT))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("email");
                    assertThat(e.code()).isEqualTo("USER_DOES_NOT_EXIST");
                });
    }

    @Test
    void requests_are_limited_per_address_and_per_client() {
        f.user("alice@example.com");
        for (int i = 0; i < 5; i++) {
            assertThat(f.gatehouse.recovery().requestReset("alice@example.com", ClientInfo.of("192.0.2." + i, "x")))
                    .isInstanceOf(SendResult.Sent.class);
        }
        assertThat(f.gatehouse.recovery().requestReset("ALICE@example.com", ClientInfo.of("192.0.2.99", "x")))
                .as("five per minute per address").isInstanceOf(RateLimited.class);
        for (int i = 0; i < 19; i++) {
            f.gatehouse.recovery().requestReset("n" + i + "@example.com", CLIENT);
        }
        assertThat(f.gatehouse.recovery().requestReset("n99@example.com", CLIENT)).isInstanceOf(SendResult.Sent.class);
        assertThat(f.gatehouse.recovery().requestReset("n100@example.com", CLIENT))
                .as("twenty per minute per client address").isEqualTo(new RateLimited(Duration.ofMinutes(1)));
        assertThat(f.mail.deliver()).hasSize(5 + 20);
    }

    @Test
    void auto_login_after_reset_and_a_second_factor_are_reported_to_the_web_layer() {
        Fixture auto = new Fixture(c -> c.set(RECOVERABLE, true).set(AUTO_LOGIN_AFTER_RESET, true),
                b -> b.secondFactors(user -> user.email().startsWith("2fa")));
        auto.user("plain@example.com");
        auto.user("2fa@example.com");

        auto.gatehouse.recovery().requestReset("plain@example.com", CLIENT);
        auto.gatehouse.recovery().requestReset("2fa@example.com", CLIENT);
        List<Mailbox.Delivered> mails = auto.mail.deliver();
        ResetResult.Done plain = auto.gatehouse.recovery().resetPassword(mails.get(0).token("reset_link"), NEW_PASSWORD,
                Optional.empty(), CLIENT);
        ResetResult.Done secured = auto.gatehouse.recovery().resetPassword(mails.get(1).token("reset_link"), NEW_PASSWORD,
                Optional.empty(), CLIENT);

        assertThat(plain.signIn()).isTrue();
        assertThat(plain.requiresSecondFactor()).isFalse();
        assertThat(secured.signIn()).isTrue();
        assertThat(secured.requiresSecondFactor()).as("a reset never bypasses a second factor").isTrue();
    }

    @Test
    void a_reset_confirms_an_unconfirmed_address_and_lifts_a_lockout() {
        Fixture locking = new Fixture(c -> c.set(RECOVERABLE, true).set(CONFIRMABLE, true).set(LOCKOUT_MAX_ATTEMPTS, 2));
        User bob = locking.gatehouse.users().createUser(NewUser.builder("bob@example.com")
                .passwordHash(locking.gatehouse.passwords().hash(PASSWORD)).build());
        locking.gatehouse.signIn().signIn("bob@example.com", "wrong one", CLIENT);
        assertThat(locking.gatehouse.signIn().signIn("bob@example.com", "wrong two", CLIENT))
                .isInstanceOf(SignInResult.LockedOut.class);
        locking.mail.deliver();
        locking.gatehouse.recovery().requestReset("bob@example.com", CLIENT);
        String token = locking.mail.only().token("reset_link");
        locking.events.clear();

        locking.gatehouse.recovery().resetPassword(token, NEW_PASSWORD, Optional.empty(), CLIENT);

        assertThat(locking.reload(bob).confirmedAt()).isPresent();
        assertThat(locking.gatehouse.lockout().status(bob.id())).isEmpty();
        assertThat(locking.eventTypes()).containsExactly("user_unlocked", "user_confirmed", "password_reset");
        assertThat(locking.gatehouse.signIn().signIn("bob@example.com", NEW_PASSWORD, CLIENT).isSuccess()).isTrue();
    }
}
