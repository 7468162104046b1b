package dev.gatehouse.lifecycle;

import static dev.gatehouse.config.Settings.CHANGEABLE;
import static dev.gatehouse.config.Settings.LOCKOUT_MAX_ATTEMPTS;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static dev.gatehouse.lifecycle.Fixture.CLIENT;
import static dev.gatehouse.lifecycle.Fixture.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.mail.MailTemplates;
import dev.gatehouse.session.IssuedSession;
import dev.gatehouse.testing.Mailbox;
import dev.gatehouse.user.NewUser;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class PasswordChangeFlowTest {

    private static final String NEW_PASSWORD = "a brand new passphrase";

    private final Fixture f = new Fixture(c -> c.set(CHANGEABLE, true).set(RECOVERABLE, true));

    private PasswordChangeResult change(User user, String current, String next) {
        return f.gatehouse.passwordChange().change(user, current, next, Optional.empty(), CLIENT);
    }

    private static void refused(ThrowingCallable call, String field, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidInputException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.code()).isEqualTo(code);
        });
    }

    @Test
    void a_change_ends_every_session_and_token_and_hands_back_the_user_for_a_new_session() {
        User alice = f.user("alice@example.com");
        IssuedSession current = f.gatehouse.sessions().start(alice, true, Optional.empty(), CLIENT);
        IssuedSession other = f.gatehouse.sessions().start(alice, false, Optional.empty(), CLIENT);
        String apiToken = f.gatehouse.authTokens().issue(alice, f.clock.instant(), other.record().familyId());
        f.events.clear();

        PasswordChangeResult result = change(alice, PASSWORD, NEW_PASSWORD);

        User changed = ((PasswordChangeResult.Changed) result).user();
        assertThat(changed.securityStamp()).isNotEqualTo(alice.securityStamp());
        assertThat(f.reload(alice)).isEqualTo(changed);
        assertThat(f.gatehouse.sessions().resume(current.secret())).isEmpty();
        assertThat(f.gatehouse.sessions().resume(other.secret())).isEmpty();
        assertThat(f.gatehouse.authTokens().authenticate(apiToken)).isEmpty();
        IssuedSession fresh = f.gatehouse.sessions().start(changed, false, Optional.empty(), CLIENT);
        assertThat(f.gatehouse.sessions().resume(fresh.secret())).as("the web layer's new session works").isPresent();
        assertThat(f.gatehouse.authTokens().authenticate(f.gatehouse.authTokens().issue(changed, f.clock.instant(),
                fresh.record().familyId())))
                .isPresent();
        assertThat(f.gatehouse.signIn().signIn("alice@example.com", NEW_PASSWORD).isSuccess()).isTrue();
        Mailbox.Delivered notice = f.mail.only();
        assertThat(notice.template()).isEqualTo(MailTemplates.CHANGE_NOTICE);
        assertThat(notice.get("reset_page_link")).isEqualTo(Fixture.SITE + "/reset");
        assertThat(notice.message().subject()).isEqualTo("Your password has been changed");
        assertThat(f.eventTypes()).containsExactly("password_changed");
    }

    @Test
    void the_current_password_must_be_right_and_the_new_one_different_and_good() {
        // Six refusals in a row would reach the per-user limit of five a minute: not what this tests.
        Fixture f = new Fixture(c -> c.set(CHANGEABLE, true).set("rate-limit-change-password", ""));
        User alice = f.user("alice@example.com");

        PasswordChangeFlow flow = f.gatehouse.passwordChange();
        refused(() -> flow.change(alice, "", NEW_PASSWORD, Optional.empty(), CLIENT), "password", "PASSWORD_NOT_PROVIDED");
        refused(() -> flow.change(alice, "wrong password", NEW_PASSWORD, Optional.empty(), CLIENT), "password",
                "INVALID_PASSWORD");
        refused(() -> flow.change(alice, PASSWORD, PASSWORD, Optional.empty(), CLIENT), "new_password",
                "PASSWORD_IS_THE_SAME");
        refused(() -> flow.change(alice, PASSWORD, "", Optional.empty(), CLIENT), "new_password", "PASSWORD_NOT_PROVIDED");
        refused(() -> flow.change(alice, PASSWORD, "short", Optional.empty(), CLIENT), "new_password",
                "PASSWORD_INVALID_LENGTH");
        refused(() -> flow.change(alice, PASSWORD, NEW_PASSWORD, Optional.of("typo"), CLIENT),
                "new_password_confirm", "RETYPE_PASSWORD_MISMATCH");

        assertThat(f.reload(alice)).as("nothing changed").isEqualTo(alice);
        assertThat(f.mail.deliver()).isEmpty();
        assertThat(f.eventTypes()).as("the wrong current password is a failed authentication").containsExactly("authentication_failed");
    }

    @Test
    void a_user_without_a_password_sets_one_without_a_current_one() {
        User passwordless = f.gatehouse.users().createUser(NewUser.builder("nopass@example.com").build());

        assertThat(change(passwordless, "", NEW_PASSWORD)).isInstanceOf(PasswordChangeResult.Changed.class);
        assertThat(f.gatehouse.signIn().signIn("nopass@example.com", NEW_PASSWORD).isSuccess()).isTrue();
    }

    @Test
    void changes_are_limited_per_user_so_the_current_password_cannot_be_guessed() {
        User alice = f.user("alice@example.com");
        for (int i = 0; i < 5; i++) {
            refused(() -> change(alice, "guess", NEW_PASSWORD), "password", "INVALID_PASSWORD");
        }

        assertThat(change(alice, PASSWORD, NEW_PASSWORD)).isEqualTo(new RateLimited(Duration.ofMinutes(1)));
        f.clock.advance(Duration.ofMinutes(1));
        assertThat(change(alice, PASSWORD, NEW_PASSWORD)).as("the five wrong passwords count as failed sign-ins too")
                .isEqualTo(new RateLimited(Duration.ofMinutes(4)));
        f.clock.advance(Duration.ofMinutes(4));
        assertThat(change(alice, PASSWORD, NEW_PASSWORD)).isInstanceOf(PasswordChangeResult.Changed.class);
    }

    @Test
    void wrong_current_passwords_count_towards_the_lockout_of_sign_in() {
        Fixture f = new Fixture(c -> c.set(CHANGEABLE, true).set(LOCKOUT_MAX_ATTEMPTS, 3).set("rate-limit-change-password", "")
                .set("rate-limit-login-failed", ""));
        User alice = f.user("alice@example.com");
        PasswordChangeFlow flow = f.gatehouse.passwordChange();
        refused(() -> flow.change(alice, "guess 1", NEW_PASSWORD, Optional.empty(), CLIENT), "password", "INVALID_PASSWORD");
        refused(() -> flow.change(alice, "guess 2", NEW_PASSWORD, Optional.empty(), CLIENT), "password", "INVALID_PASSWORD");

        assertThat(flow.change(alice, "guess 3", NEW_PASSWORD, Optional.empty(), CLIENT))
                .isInstanceOf(PasswordChangeResult.LockedOut.class);
        assertThat(flow.change(alice, PASSWORD, NEW_PASSWORD, Optional.empty(), CLIENT))
                .isInstanceOf(PasswordChangeResult.LockedOut.class);
        assertThat(f.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT))
                .isInstanceOf(dev.gatehouse.auth.SignInResult.LockedOut.class);
        assertThat(f.reload(alice).passwordHash()).isEqualTo(alice.passwordHash());
    }

    @Test
    void changeable_off_refuses() {
        Fixture off = new Fixture(c -> { });
        User alice = off.user("alice@example.com");
        assertThatThrownBy(() -> off.gatehouse.passwordChange().change(alice, PASSWORD, NEW_PASSWORD, Optional.empty(),
                CLIENT)).isInstanceOf(FeatureDisabledException.class);
    }
}
