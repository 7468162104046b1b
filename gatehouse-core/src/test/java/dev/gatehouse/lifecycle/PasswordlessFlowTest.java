package dev.gatehouse.lifecycle;

import static dev.gatehouse.config.Settings.LOCKOUT_MAX_ATTEMPTS;
import static dev.gatehouse.config.Settings.RETURN_GENERIC_RESPONSES;
import static dev.gatehouse.config.Settings.UNIFIED_SIGNIN;
import static dev.gatehouse.lifecycle.Fixture.CLIENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.auth.SignInResult.Reason;
import dev.gatehouse.auth.SignInResult;
import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.mail.MailTemplates;
import dev.gatehouse.testing.Mailbox;
import dev.gatehouse.user.NewUser;
import dev.gatehouse.user.User;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PasswordlessFlowTest {

    private static final SignInResult INVALID_CODE = new SignInResult.InvalidCredentials(Reason.INVALID_CODE);

    private final Fixture f = new Fixture(c -> c.set(UNIFIED_SIGNIN, true));

    /** A code request: its challenge and the mail it sent. */
    private record Request(String challenge, Mailbox.Delivered mail) {
        String code() {
            return mail.get("code");
        }

        String link() {
            return mail.token("login_link");
        }
    }

    private Request request(String email) {
        LoginCodeResult result = f.gatehouse.passwordless().sendCode(email, CLIENT);
        return new Request(((LoginCodeResult.CodeSent) result).challenge(), f.mail.only());
    }

    private SignInResult verify(String challenge, String code) {
        return f.gatehouse.passwordless().verifyCode(challenge, code, CLIENT);
    }

    private static String wrong(String code) {
        return String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
    }

    @Test
    void the_emailed_six_digit_code_signs_in_with_its_challenge() {
        User alice = f.user("alice@example.com");

        Request request = request("Alice@Example.com");

        assertThat(request.mail().template()).isEqualTo(MailTemplates.LOGIN_INSTRUCTIONS);
        assertThat(request.code()).matches("\\d{6}");
        assertThat(request.mail().get("within")).as("a machine value").isEqualTo("PT5M");
        assertThat(request.mail().message().text()).as("worded by the composer").contains("within 5 minutes");
        assertThat(request.mail().message().text()).contains(request.code(), request.mail().get("login_link"));
        assertThat(request.mail().message().subject()).isEqualTo("Your sign-in code");
        assertThat(payloadOf(request.challenge())).as("the challenge does not carry the code in the clear")
                .doesNotContain(request.code());
        assertThat(f.eventTypes()).containsExactly("login_instructions_sent");

        assertThat(verify(request.challenge(), request.code())).isEqualTo(new SignInResult.SignedIn(f.reload(alice)));
    }

    @Test
    void a_code_allows_three_attempts() {
        f.user("alice@example.com");
        Request lucky = request("alice@example.com");
        assertThat(verify(lucky.challenge(), wrong(lucky.code()))).isEqualTo(INVALID_CODE);
        assertThat(verify(lucky.challenge(), "not a code")).isEqualTo(INVALID_CODE);
        assertThat(verify(lucky.challenge(), lucky.code()).isSuccess()).as("third attempt").isTrue();

        f.clock.advance(Duration.ofMinutes(5));
        Request unlucky = request("alice@example.com");
        for (int i = 0; i < 3; i++) {
            assertThat(verify(unlucky.challenge(), wrong(unlucky.code()))).isEqualTo(INVALID_CODE);
        }
        assertThat(verify(unlucky.challenge(), unlucky.code())).as("the right code after three wrong ones")
                .isEqualTo(INVALID_CODE);
    }

    @Test
    void a_code_works_once_and_only_with_the_challenge_of_its_own_request() {
        f.user("alice@example.com");
        f.user("bob@example.com");
        Request first = request("alice@example.com");
        Request second = request("alice@example.com");
        Request bobs = request("bob@example.com");

        assertThat(verify(second.challenge(), first.code())).isEqualTo(INVALID_CODE);
        assertThat(verify(bobs.challenge(), first.code())).isEqualTo(INVALID_CODE);
        assertThat(verify(Tokens.tampered(first.challenge()), first.code())).isEqualTo(INVALID_CODE);
        assertThat(verify(Tokens.badSignature(first.challenge()), first.code())).isEqualTo(INVALID_CODE);
        assertThat(verify(null, first.code())).isEqualTo(INVALID_CODE);
        assertThat(verify(first.challenge(), first.code()).isSuccess()).isTrue();
        assertThat(verify(first.challenge(), first.code())).as("used").isEqualTo(INVALID_CODE);
    }

    @Test
    void a_code_expires_after_login_code_within() {
        f.user("alice@example.com");
        Request request = request("alice@example.com");
        f.clock.advance(Duration.ofMinutes(5).plusSeconds(1));

        assertThat(verify(request.challenge(), request.code())).isEqualTo(INVALID_CODE);
    }

    @Test
    void the_emailed_link_signs_in_once_and_uses_up_the_code_too() {
        User alice = f.user("alice@example.com");
        Request request = request("alice@example.com");

        assertThat(f.gatehouse.passwordless().verifyLink(request.link(), CLIENT))
                .isEqualTo(new SignInResult.SignedIn(f.reload(alice)));
        assertThat(f.gatehouse.passwordless().verifyLink(request.link(), CLIENT))
                .isEqualTo(new SignInResult.InvalidCredentials(Reason.INVALID_LOGIN_TOKEN));
        assertThat(verify(request.challenge(), request.code())).isEqualTo(INVALID_CODE);

        Request other = request("alice@example.com");
        assertThat(verify(other.challenge(), other.code()).isSuccess()).isTrue();
        assertThat(f.gatehouse.passwordless().verifyLink(other.link(), CLIENT))
                .as("the code used up the link").isEqualTo(new SignInResult.InvalidCredentials(Reason.INVALID_LOGIN_TOKEN));
    }

    @Test
    void links_expire_and_forged_links_fail() {
        f.user("alice@example.com");
        Request request = request("alice@example.com");

        assertThat(f.gatehouse.passwordless().verifyLink(Tokens.tampered(request.link()), CLIENT))
                .isEqualTo(new SignInResult.InvalidCredentials(Reason.INVALID_LOGIN_TOKEN));
        f.clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        assertThat(f.gatehouse.passwordless().verifyLink(request.link(), CLIENT))
                .isEqualTo(new SignInResult.InvalidCredentials(Reason.LOGIN_EXPIRED));
    }

    @Test
    void signing_in_by_code_confirms_an_unconfirmed_address() {
        User unconfirmed = f.gatehouse.users().createUser(NewUser.builder("new@example.com").build());
        Request request = request("new@example.com");
        f.events.clear();

        assertThat(verify(request.challenge(), request.code()).isSuccess()).isTrue();

        assertThat(f.reload(unconfirmed).confirmedAt()).contains(f.clock.instant());
        assertThat(f.eventTypes()).containsExactly("user_confirmed");
    }

    @Test
    void deactivated_and_locked_accounts_are_refused() {
        User inactive = f.user("inactive@example.com");
        f.gatehouse.users().deactivate(inactive.id());
        Request request = request("inactive@example.com");
        assertThat(verify(request.challenge(), request.code())).isInstanceOf(SignInResult.Disabled.class);

        Fixture locking = new Fixture(c -> c.set(UNIFIED_SIGNIN, true).set(LOCKOUT_MAX_ATTEMPTS, 1));
        locking.user("locked@example.com");
        locking.gatehouse.signIn().signIn("locked@example.com", "wrong password", CLIENT);
        locking.mail.deliver();
        LoginCodeResult.CodeSent sent = (LoginCodeResult.CodeSent) locking.gatehouse.passwordless()
                .sendCode("locked@example.com", CLIENT);
        assertThat(locking.gatehouse.passwordless().verifyCode(sent.challenge(), locking.mail.only().get("code"), CLIENT))
                .isInstanceOf(SignInResult.LockedOut.class);
    }

    @Test
    void with_generic_responses_an_unknown_address_gets_a_challenge_that_never_succeeds() {
        f.user("alice@example.com");
        Request known = request("alice@example.com");
        LoginCodeResult unknown = f.gatehouse.passwordless().sendCode("nobody@example.com", CLIENT);

        assertThat(unknown).isInstanceOf(LoginCodeResult.CodeSent.class);
        String challenge = ((LoginCodeResult.CodeSent) unknown).challenge();
        assertThat(challenge.length()).isCloseTo(known.challenge().length(), org.assertj.core.data.Offset.offset(4));
        Mailbox.Delivered mail = f.mail.only();
        assertThat(mail.template()).isEqualTo(MailTemplates.UNKNOWN_ACCOUNT);
        assertThat(mail.get("action")).isEqualTo("login");
        assertThat(mail.notification().model()).doesNotContainKey("code");
        assertThat(verify(challenge, "000000")).isEqualTo(INVALID_CODE);
    }

    @Test
    void without_generic_responses_an_unknown_address_is_named() {
        Fixture plain = new Fixture(c -> c.set(UNIFIED_SIGNIN, true).set(RETURN_GENERIC_RESPONSES, false));

        assertThatThrownBy(() -> plain.gatehouse.passwordless().sendCode("nobody@example.com", CLIENT))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo("USER_DOES_NOT_EXIST"));
    }

    @Test
    void code_requests_are_limited_per_address_and_wrong_codes_count_as_failed_sign_ins() {
        f.user("alice@example.com");
        Request first = request("alice@example.com");
        Request second = request("alice@example.com");
        request("alice@example.com");
        assertThat(f.gatehouse.passwordless().sendCode("alice@example.com", CLIENT))
                .as("three requests a minute per address").isInstanceOf(RateLimited.class);

        for (int i = 0; i < 3; i++) {
            verify(first.challenge(), wrong(first.code()));
        }
        verify(second.challenge(), wrong(second.code()));
        verify(second.challenge(), wrong(second.code()));

        assertThat(verify(second.challenge(), second.code())).as("five failed sign-ins in five minutes")
                .isInstanceOf(SignInResult.RateLimited.class);
    }

    @Test
    void unified_signin_off_refuses() {
        Fixture off = new Fixture(c -> { });
        assertThatThrownBy(() -> off.gatehouse.passwordless().sendCode("a@example.com", CLIENT))
                .isInstanceOf(FeatureDisabledException.class);
    }

    private static String payloadOf(String token) {
        String[] parts = token.split("\\.");
        return new String(Base64.getUrlDecoder().decode(parts[3]), StandardCharsets.UTF_8);
    }
}
