package dev.gatehouse.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.account.RegisterResult.Problem;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.user.User;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegisterFlowTest {

    private final TestGatehouse t = new TestGatehouse(c -> c.usernameEnable(true));
    private final RegisterFlow flow = t.gatehouse.register();

    private static Registration registration(String email, String password) {
        return new Registration(email, Optional.empty(), password, Map.of(), Set.of());
    }

    @Test
    void creates_an_active_unconfirmed_user_whose_password_signs_in_and_is_stored_only_as_a_hash() {
        t.gatehouse.users().findOrCreateRole("Writer");

        RegisterResult result = flow.register(new Registration(" ann@example.com ", Optional.of("ann"),
                "a long enough passphrase", Map.of("display_name", "Ann"), Set.of("Writer")));

        User user = ((RegisterResult.Registered) result).user();
        assertThat(user.email()).isEqualTo("ann@example.com");
        assertThat(user.username()).contains("ann");
        assertThat(user.isActive()).isTrue();
        assertThat(user.confirmedAt()).isEmpty();
        assertThat(user.attributes()).containsEntry("display_name", "Ann");
        assertThat(user.hasRole("Writer")).isTrue();
        assertThat(user.passwordHash().orElseThrow()).doesNotContain("a long enough passphrase");
        assertThat(t.gatehouse.signIn().signIn("ann@example.com", "a long enough passphrase").isSuccess()).isTrue();
    }

    @Test
    void reports_every_problem_at_once() {
        RegisterResult result = flow.register(new Registration("not-an-address", Optional.of("has space"), "short",
                Map.of(), Set.of()));

        assertThat(((RegisterResult.Refused) result).problems()).containsExactly(
                new Problem("email", "INVALID_EMAIL_ADDRESS"),
                new Problem("username", "USERNAME_INVALID_CHARACTERS"),
                new Problem("password", "PASSWORD_INVALID_LENGTH"));
    }

    @Test
    void refuses_an_address_or_username_already_taken_whatever_its_case() {
        flow.register(new Registration("bob@example.com", Optional.of("bob"), "a long enough passphrase", Map.of(), Set.of()));

        RegisterResult again = flow.register(new Registration("BOB@example.com", Optional.of("BOB"),
                "another long passphrase", Map.of(), Set.of()));

        assertThat(((RegisterResult.Refused) again).problems()).containsExactly(
                new Problem("email", "EMAIL_ALREADY_ASSOCIATED"), new Problem("username", "USERNAME_ALREADY_ASSOCIATED"));
    }

    @Test
    void refuses_common_passwords_and_missing_ones() {
        assertThat(((RegisterResult.Refused) flow.register(registration("c@example.com", "password1"))).problems())
                .containsExactly(new Problem("password", "PASSWORD_TOO_SIMPLE"));
        assertThat(((RegisterResult.Refused) flow.register(registration("c@example.com", ""))).problems())
                .containsExactly(new Problem("password", "PASSWORD_NOT_PROVIDED"));
        assertThat(t.gatehouse.users().findUserByEmail("c@example.com")).isEmpty();
    }

    @Test
    void ignores_a_username_when_usernames_are_disabled() {
        RegisterFlow withoutUsernames = new TestGatehouse().gatehouse.register();

        RegisterResult result = withoutUsernames.register(new Registration("d@example.com", Optional.of("dee"),
                "a long enough passphrase", Map.of(), Set.of()));

        assertThat(((RegisterResult.Registered) result).user().username()).isEmpty();
    }

    @Test
    void a_bad_attribute_name_is_a_problem_of_that_field_not_an_exception() {
        RegisterResult result = flow.register(new Registration("e@example.com", Optional.empty(), "a long enough passphrase",
                Map.of("Bad-Name", "x"), Set.of()));

        assertThat(((RegisterResult.Refused) result).problems()).extracting(Problem::code).containsExactly("INVALID_ATTRIBUTE");
    }

    @Test
    void check_reports_the_same_problems_and_creates_nothing() {
        Registration fine = registration("g@example.com", "a long enough passphrase");

        assertThat(flow.check(fine)).isEmpty();
        assertThat(flow.check(registration("bad", "x"))).extracting(Problem::field).containsExactly("email", "password");
        assertThat(t.gatehouse.users().findUserByEmail("g@example.com")).isEmpty();
    }

    @Test
    void the_registration_never_shows_the_password() {
        assertThat(registration("f@example.com", "secret passphrase").toString()).doesNotContain("secret passphrase");
    }
}
