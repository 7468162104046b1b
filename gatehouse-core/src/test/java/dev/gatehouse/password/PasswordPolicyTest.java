package dev.gatehouse.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordPolicyTest {

    private final PasswordPolicy defaults = PasswordPolicy.builder().build();

    @Test
    void a_long_uncommon_password_passes_without_composition_rules() {
        assertThat(defaults.check("correct horse battery staple")).isEmpty();
        assertThat(defaults.check("alllowercaseletters")).isEmpty();
        defaults.requireValid("correct horse battery staple");
    }

    @Test
    void fewer_than_8_characters_is_too_short() {
        assertThat(defaults.check("x7#kQ2!")).extracting(PolicyViolation::code).containsExactly("PASSWORD_INVALID_LENGTH");
        assertThat(defaults.check("x7#kQ2!m")).isEmpty();
        assertThat(defaults.check("")).extracting(PolicyViolation::code).containsExactly("PASSWORD_INVALID_LENGTH");
    }

    @Test
    void more_than_128_characters_is_too_long() {
        assertThat(defaults.check("q".repeat(128))).isEmpty();
        assertThat(defaults.check("q".repeat(129))).extracting(PolicyViolation::code).containsExactly("PASSWORD_TOO_LONG");
        assertThat(defaults.check("q".repeat(100_000))).extracting(PolicyViolation::code).containsExactly("PASSWORD_TOO_LONG");
    }

    @Test
    void length_counts_code_points_after_nfkd() {
        // Seven emoji: 14 UTF-16 chars, but 7 code points.
        String emoji = "\ud83d\udd11".repeat(7);
        // Four "é" typed precomposed: 4 code points as typed, 8 after NFKD (e + combining acute).
        String accents = "\u00e9\u00e9\u00e9\u00e9";

        assertThat(defaults.check(emoji)).extracting(PolicyViolation::code).containsExactly("PASSWORD_INVALID_LENGTH");
        assertThat(defaults.check(accents)).isEmpty();
        assertThat(PasswordPolicy.builder().minLength(4).maxLength(7).build().check(accents))
                .extracting(PolicyViolation::code).containsExactly("PASSWORD_TOO_LONG");
    }

    @ParameterizedTest
    @ValueSource(strings = {"password", "PASSWORD", "Password1", "12345678", "iloveyou", "qwertyuiop", "\uff50\uff41\uff53\uff53\uff57\uff4f\uff52\uff44"})
    void common_passwords_are_too_simple_ignoring_case_and_width(String password) {
        // The last one is "password" in full-width letters, which NFKD folds to ASCII.
        assertThat(defaults.check(password)).extracting(PolicyViolation::code).containsExactly("PASSWORD_TOO_SIMPLE");
    }

    @Test
    void the_common_password_list_is_the_john_the_ripper_list() {
        assertThat(CommonPasswords.size()).isGreaterThan(25_000);
        assertThat(CommonPasswords.contains("trustno1")).isTrue();
        assertThat(CommonPasswords.contains("correct horse battery staple")).isFalse();
        assertThat(CommonPasswords.contains("#!comment: derived by tools/common-passwords/make_common_passwords.py.")).isFalse();
    }

    @Test
    void the_common_list_can_be_turned_off() {
        assertThat(PasswordPolicy.builder().rejectCommonPasswords(false).build().check("password")).isEmpty();
    }

    @Test
    void a_short_common_password_reports_both_problems() {
        assertThat(defaults.check("123456")).extracting(PolicyViolation::code)
                .containsExactly("PASSWORD_INVALID_LENGTH", "PASSWORD_TOO_SIMPLE");
    }

    @Test
    void require_valid_throws_the_first_violation_as_a_password_field_error() {
        assertThatThrownBy(() -> defaults.requireValid("123456"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("password");
                    assertThat(e.code()).isEqualTo("PASSWORD_INVALID_LENGTH");
                    assertThat(e.getMessage()).isEqualTo("Password must be at least 8 characters").doesNotContain("123456");
                });
    }

    @Test
    void the_breach_check_gets_the_normalized_password_and_can_refuse_it() {
        List<String> asked = new ArrayList<>();
        PasswordPolicy policy = PasswordPolicy.builder().breachedPasswordCheck(p -> {
            asked.add(p);
            return true;
        }).build();

        List<PolicyViolation> violations = policy.check("\u00e9t\u00e9 \u00e0 la plage");

        assertThat(violations).extracting(PolicyViolation::code).containsExactly("PASSWORD_BREACHED");
        assertThat(asked).containsExactly("e\u0301te\u0301 a\u0300 la plage");
    }

    @Test
    void the_breach_check_is_not_asked_about_a_password_refused_locally() {
        List<String> asked = new ArrayList<>();
        PasswordPolicy policy = PasswordPolicy.builder().breachedPasswordCheck(p -> asked.add(p)).build();

        policy.check("short");
        policy.check("password1");

        assertThat(asked).isEmpty();
        assertThat(policy.check("correct horse battery staple")).extracting(PolicyViolation::code).containsExactly("PASSWORD_BREACHED");
        assertThat(asked).hasSize(1);
    }

    @Test
    void an_unavailable_breach_check_that_fails_closed_is_a_violation() {
        PasswordPolicy policy = PasswordPolicy.builder().breachedPasswordCheck(p -> {
            throw new BreachCheckUnavailableException("down", null);
        }).build();

        assertThat(policy.check("correct horse battery staple")).extracting(PolicyViolation::code)
                .containsExactly("PASSWORD_BREACHED_SITE_ERROR");
    }

    @Test
    void lengths_are_configurable_and_checked() {
        PasswordPolicy policy = PasswordPolicy.builder().minLength(12).maxLength(64).build();

        assertThat(policy.check("elevenchars")).extracting(PolicyViolation::code).containsExactly("PASSWORD_INVALID_LENGTH");
        assertThat(policy.check("twelve chars")).isEmpty();
        assertThatThrownBy(() -> PasswordPolicy.builder().minLength(20).maxLength(10).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLength");
        assertThatThrownBy(() -> PasswordPolicy.builder().minLength(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
