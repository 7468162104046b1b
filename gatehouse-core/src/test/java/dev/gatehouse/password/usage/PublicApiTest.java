package dev.gatehouse.password.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.password.HashScheme;
import dev.gatehouse.password.PasswordHashFormat;
import dev.gatehouse.password.PasswordHasher;
import dev.gatehouse.password.PasswordPolicy;
import dev.gatehouse.password.PolicyViolation;
import dev.gatehouse.password.Verification;
import dev.gatehouse.user.NewUser;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Uses password hashing the way an application does, from outside the package: everything a
 * sign-up and sign-in flow needs is reachable through the public API.
 */
class PublicApiTest {

    private final PasswordHasher hasher = PasswordHasher.builder().scheme(HashScheme.argon2id(64, 1, 1)).build();
    private final PasswordPolicy policy = PasswordPolicy.builder().build();

    @Test
    void sign_up_then_sign_in() {
        String password = "velvet orbit pancake lantern";
        List<PolicyViolation> problems = policy.check(password);
        NewUser user = NewUser.builder("ada@example.org").passwordHash(hasher.hash(password)).build();

        assertThat(problems).isEmpty();
        assertThat(user.passwordHash()).hasValueSatisfying(PasswordHashFormat::isRecognized);
        assertThat(hasher.verifyAndUpdate(password, user.passwordHash().orElseThrow()).matches()).isTrue();
    }

    @Test
    void a_plaintext_password_cannot_be_stored_by_mistake() {
        assertThatThrownBy(() -> NewUser.builder("ada@example.org").passwordHash("correct horse battery staple").build())
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.code()).isEqualTo("PLAINTEXT_PASSWORD_REFUSED"));
        assertThatThrownBy(() -> NewUser.builder("ada@example.org").passwordHash("{noop}correct horse battery staple").build())
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void an_outdated_hash_is_upgraded_on_sign_in() {
        String legacy = PasswordHasher.builder().scheme(HashScheme.pbkdf2Sha256(1000)).build().hash("correct horse battery staple");

        Verification v = hasher.verifyAndUpdate("correct horse battery staple", legacy);

        assertThat(v.matches()).isTrue();
        Optional<String> replacement = v.updatedHash();
        assertThat(replacement).hasValueSatisfying(h -> assertThat(h).startsWith("$argon2id$"));
    }

    @Test
    void an_unknown_account_costs_a_verification_and_fails() {
        Verification v = hasher.verifyDummy("correct horse battery staple");

        assertThat(v.matches()).isFalse();
        assertThat(v.updatedHash()).isEmpty();
    }
}
