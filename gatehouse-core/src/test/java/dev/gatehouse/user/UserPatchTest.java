package dev.gatehouse.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.error.InvalidInputException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UserPatchTest {

    @Test
    void an_empty_patch_changes_nothing() {
        UserPatch patch = UserPatch.builder().build();
        assertThat(patch.isEmpty()).isTrue();
        assertThat(patch.changesUsername()).isFalse();
        assertThat(patch.changesConfirmedAt()).isFalse();
        assertThat(patch).hasToString("UserPatch[]");
    }

    @Test
    void values_are_validated_like_a_new_user() {
        assertThatThrownBy(() -> UserPatch.builder().email("not an address").build())
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("email"));
        assertThatThrownBy(() -> UserPatch.builder().username("has space").build())
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("username"));
        assertThatThrownBy(() -> UserPatch.builder().passwordHash("plaintext password").build())
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.code()).isEqualTo("PLAINTEXT_PASSWORD_REFUSED"));
        assertThatThrownBy(() -> UserPatch.builder().securityStamp("short").build())
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("security_stamp"));
        assertThatThrownBy(() -> UserPatch.builder().confirmedAt(Instant.parse("1969-12-31T23:59:59Z")).build())
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo("INVALID_TIMESTAMP"));
    }

    @Test
    void names_the_changed_fields_but_never_their_values() {
        UserPatch patch = UserPatch.builder().email("secret.person@example.com").rotateSecurityStamp()
                .passwordHash("$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW").build();

        assertThat(patch.toString()).isEqualTo("UserPatch[email, passwordHash, securityStamp]")
                .doesNotContain("secret.person").doesNotContain(patch.securityStamp().orElseThrow());
        assertThat(patch.securityStamp().orElseThrow()).hasSize(43);
    }

    @Test
    void rotating_twice_gives_different_stamps() {
        assertThat(UserPatch.builder().rotateSecurityStamp().build().securityStamp())
                .isNotEqualTo(UserPatch.builder().rotateSecurityStamp().build().securityStamp());
    }
}
