package dev.gatehouse.auth;

import static dev.gatehouse.config.Settings.CONFIRMABLE;
import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.LOGIN_WITHOUT_CONFIRMATION;
import static dev.gatehouse.config.Settings.TRACKABLE;
import static dev.gatehouse.config.Settings.USERNAME_ENABLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.auth.SignInResult.Reason;
import dev.gatehouse.password.HashScheme;
import dev.gatehouse.password.PasswordHasher;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.user.NewUser;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SignInFlowTest {

    private final TestGatehouse t = new TestGatehouse(c -> c.set(TRACKABLE, true).set(USERNAME_ENABLE, true));
    private final SignInFlow flow = t.gatehouse.signIn();

    @Test
    void the_right_password_signs_in_with_the_email_in_any_case() {
        User alice = t.user("Alice@Example.com", "correct horse battery");
        assertThat(flow.signIn("alice@example.COM", "correct horse battery"))
                .isInstanceOfSatisfying(SignInResult.SignedIn.class, s -> assertThat(s.user().id()).isEqualTo(alice.id()));
        assertThat(flow.signIn("  alice@example.com ", "correct horse battery").isSuccess()).isTrue();
    }

    @Test
    void a_username_signs_in_when_usernames_are_enabled() {
        User bob = t.gatehouse.users().createUser(NewUser.builder("bob@example.com").username("Bobby")
                .passwordHash(t.gatehouse.passwords().hash("another password")).build());
        assertThat(flow.signIn("bobby", "another password"))
                .isInstanceOfSatisfying(SignInResult.SignedIn.class, s -> assertThat(s.user().id()).isEqualTo(bob.id()));
    }

    @Test
    void failures_name_what_was_wrong() {
        t.user("alice@example.com", "correct horse battery");
        t.gatehouse.users().createUser(NewUser.builder("nopass@example.com").build());

        assertThat(flow.signIn("alice@example.com", "wrong password"))
                .isEqualTo(new SignInResult.InvalidCredentials(Reason.INVALID_PASSWORD));
        assertThat(flow.signIn("nobody@example.com", "whatever pw"))
                .isEqualTo(new SignInResult.InvalidCredentials(Reason.USER_DOES_NOT_EXIST));
        assertThat(flow.signIn("nopass@example.com", "whatever pw"))
                .isEqualTo(new SignInResult.InvalidCredentials(Reason.PASSWORD_NOT_SET));
        assertThat(flow.signIn("", "whatever pw"))
                .isEqualTo(new SignInResult.InvalidCredentials(Reason.USER_DOES_NOT_EXIST));
        assertThat(flow.signIn("x".repeat(1000) + "@example.com", "whatever pw"))
                .isEqualTo(new SignInResult.InvalidCredentials(Reason.USER_DOES_NOT_EXIST));
    }

    @Test
    void a_deactivated_account_is_reported_only_with_the_right_password() {
        User alice = t.user("alice@example.com", "correct horse battery");
        t.gatehouse.users().deactivate(alice.id());
        assertThat(flow.signIn("alice@example.com", "wrong password"))
                .isEqualTo(new SignInResult.InvalidCredentials(Reason.INVALID_PASSWORD));
        assertThat(flow.signIn("alice@example.com", "correct horse battery")).isInstanceOf(SignInResult.Disabled.class);
    }

    @Test
    void unconfirmed_users_need_confirmation_when_confirmable() {
        TestGatehouse confirmable = new TestGatehouse(c -> c.set(CONFIRMABLE, true).set(EXTERNAL_URL, "https://app.example.com"));
        confirmable.user("alice@example.com", "correct horse battery");
        assertThat(confirmable.gatehouse.signIn().signIn("alice@example.com", "correct horse battery"))
                .isInstanceOf(SignInResult.ConfirmationRequired.class);

        TestGatehouse lenient = new TestGatehouse(c -> c.set(CONFIRMABLE, true).set(LOGIN_WITHOUT_CONFIRMATION, true)
                .set(EXTERNAL_URL, "https://app.example.com"));
        lenient.user("alice@example.com", "correct horse battery");
        assertThat(lenient.gatehouse.signIn().signIn("alice@example.com", "correct horse battery").isSuccess()).isTrue();
    }

    @Test
    void an_outdated_hash_is_upgraded_on_a_successful_sign_in() {
        String bcrypt = PasswordHasher.builder().scheme(HashScheme.bcrypt(12)).build().hash("correct horse battery");
        User alice = t.gatehouse.users().createUser(NewUser.builder("alice@example.com").passwordHash(bcrypt).build());

        assertThat(flow.signIn("alice@example.com", "correct horse battery").isSuccess()).isTrue();

        String stored = t.gatehouse.users().findUserById(alice.id()).orElseThrow().passwordHash().orElseThrow();
        assertThat(stored).startsWith("$argon2id$").isNotEqualTo(bcrypt);
        assertThat(flow.signIn("alice@example.com", "correct horse battery").isSuccess()).isTrue();
    }

    @Test
    void tracking_shifts_current_to_last_and_counts() {
        User alice = t.user("alice@example.com", "correct horse battery");
        User first = flow.recordSignIn(alice, ClientInfo.of("192.0.2.1", "a"));
        t.clock.advance(Duration.ofHours(1));
        User second = flow.recordSignIn(first, ClientInfo.of("192.0.2.2", "b"));

        assertThat(second.loginCount()).isEqualTo(2);
        assertThat(second.currentLoginIp()).contains("192.0.2.2");
        assertThat(second.lastLoginIp()).contains("192.0.2.1");
        assertThat(second.currentLoginAt()).contains(t.clock.instant());
        assertThat(second.lastLoginAt()).contains(TestGatehouse.START);
    }

    @Test
    void tracking_is_off_unless_trackable() {
        TestGatehouse plain = new TestGatehouse();
        User alice = plain.user("alice@example.com", "correct horse battery");
        assertThat(plain.gatehouse.signIn().recordSignIn(alice, ClientInfo.of("192.0.2.1", null)).loginCount()).isZero();
        assertThat(plain.gatehouse.users().findUserById(alice.id()).orElseThrow().currentLoginIp()).isEqualTo(Optional.empty());
    }

    @Test
    void re_authentication_checks_the_password_of_a_known_user_and_says_what_was_wrong() {
        User alice = t.user("alice@example.com", "correct horse battery");
        User nopass = t.gatehouse.users().createUser(NewUser.builder("nopass@example.com").build());

        assertThat(flow.checkPassword(alice, "correct horse battery", ClientInfo.UNKNOWN))
                .isEqualTo(new SignInResult.SignedIn(alice));
        assertThat(flow.checkPassword(alice, "wrong", ClientInfo.UNKNOWN))
                .isEqualTo(new SignInResult.InvalidCredentials(SignInResult.Reason.INVALID_PASSWORD));
        assertThat(flow.checkPassword(nopass, "anything", ClientInfo.UNKNOWN))
                .isEqualTo(new SignInResult.InvalidCredentials(SignInResult.Reason.PASSWORD_NOT_SET));
    }
}
