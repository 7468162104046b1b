package dev.gatehouse.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.identifier.Identifiers;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExternalIdentityTest {

    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
    private static final String ISSUER = "https://idp.example.com";

    private static ExternalIdentity identity(String provider, String issuer, String subject, Optional<String> email) {
        return ExternalIdentity.linked(1, provider, issuer, subject, email, AT);
    }

    @Test
    void keeps_values_as_given_and_cuts_instants_to_microseconds() {
        ExternalIdentity identity = new ExternalIdentity(7, "entra-id2", ISSUER, "Sub/With+Case=", Optional.of("A@B.example"),
                AT.plusNanos(1_999), Optional.of(AT.plusNanos(5_500)));

        assertThat(identity.subject()).isEqualTo("Sub/With+Case=");
        assertThat(identity.email()).contains("A@B.example");
        assertThat(identity.linkedAt()).isEqualTo(AT.plusNanos(1_000));
        assertThat(identity.lastSignInAt()).contains(AT.plusNanos(5_000));
        assertThat(identity.signedInAt(AT.plusSeconds(1)).lastSignInAt()).contains(AT.plusSeconds(1));
    }

    @Test
    void refuses_malformed_provider_ids_with_field_provider() {
        for (String provider : new String[] {"", "Keycloak", "1st", "-x", "key_cloak", "k".repeat(33), "kéy"}) {
            assertThatThrownBy(() -> identity(provider, ISSUER, "s", Optional.empty())).as(provider)
                    .isInstanceOf(InvalidInputException.class).hasFieldOrPropertyWithValue("field", "provider");
        }
    }

    @Test
    void refuses_issuers_and_subjects_a_store_could_not_keep_or_compare_exactly() {
        for (String bad : new String[] {"", " s", "s ", "s\t", "s\0", "s\nt", "x".repeat(256), "\uD800"}) {
            assertThatThrownBy(() -> identity("p", ISSUER, bad, Optional.empty())).as("subject %s", bad)
                    .isInstanceOf(InvalidInputException.class).hasFieldOrPropertyWithValue("field", "subject");
            assertThatThrownBy(() -> identity("p", bad, "s", Optional.empty())).as("issuer %s", bad)
                    .isInstanceOf(InvalidInputException.class).hasFieldOrPropertyWithValue("field", "issuer");
            assertThat(ExternalIdentity.isWellFormedKey(ISSUER, bad)).isFalse();
        }
        assertThat(identity("p", ISSUER, "a b", Optional.empty()).subject()).as("inner spaces are kept").isEqualTo("a b");
        assertThat(ExternalIdentity.isWellFormedKey(ISSUER, "x".repeat(255))).isTrue();
    }

    @Test
    void refuses_asserted_emails_a_store_could_not_keep() {
        for (String bad : new String[] {"", "a@b\n", "x".repeat(Identifiers.MAX_EMAIL_LENGTH + 1)}) {
            assertThatThrownBy(() -> identity("p", ISSUER, "s", Optional.of(bad)))
                    .isInstanceOf(InvalidInputException.class).hasFieldOrPropertyWithValue("field", "email");
        }
    }

    @Test
    void refuses_instants_outside_the_store_limits() {
        assertThatThrownBy(() -> ExternalIdentity.linked(1, "p", ISSUER, "s", Optional.empty(), Instant.MAX))
                .isInstanceOf(InvalidInputException.class).hasFieldOrPropertyWithValue("field", "linked_at");
        assertThatThrownBy(() -> new ExternalIdentity(1, "p", ISSUER, "s", Optional.empty(), AT,
                Optional.of(Instant.EPOCH.minusSeconds(1))))
                .isInstanceOf(InvalidInputException.class).hasFieldOrPropertyWithValue("field", "last_sign_in_at");
    }
}
