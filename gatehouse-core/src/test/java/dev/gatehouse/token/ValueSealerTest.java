package dev.gatehouse.token;

import static dev.gatehouse.config.Settings.SECRET_PREVIOUS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.Secret;
import dev.gatehouse.config.Settings;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueSealerTest {

    private static final String SECRET = "first-secret-first-secret-first-secret-0123";
    private static final String NEXT = "second-secret-second-secret-second-secret-99";

    private static ValueSealer sealer(String secret, String... previous) {
        return ValueSealer.create(GatehouseConfig.builder().set(Settings.SECRET, Secret.of(secret)).set(SECRET_PREVIOUS, List.of(previous).stream().map(Secret::of).toList()).build());
    }

    @Test
    void sealed_values_open_only_with_their_context_and_hide_the_plaintext() {
        ValueSealer sealer = sealer(SECRET);

        String sealed = sealer.seal("https://app.example.com/reset/TOKEN", "outbox/reset_link");

        assertThat(sealed).startsWith("s1.").doesNotContain("TOKEN").matches("[A-Za-z0-9._\\-]+");
        assertThat(ValueSealer.isSealed(sealed)).isTrue();
        assertThat(sealer.open(sealed, "outbox/reset_link")).contains("https://app.example.com/reset/TOKEN");
        assertThat(sealer.open(sealed, "outbox/other_link")).isEmpty();
        assertThat(sealer.seal("same", "c")).as("random nonce").isNotEqualTo(sealer.seal("same", "c"));
    }

    @Test
    void altered_or_foreign_values_do_not_open_and_never_throw() {
        ValueSealer sealer = sealer(SECRET);
        String sealed = sealer.seal("value", "c");
        char last = sealed.charAt(sealed.length() - 1);
        String altered = sealed.substring(0, sealed.length() - 1) + (last == 'A' ? 'B' : 'A');

        assertThat(sealer.open(altered, "c")).isEmpty();
        assertThat(sealer(NEXT).open(sealed, "c")).isEmpty();
        assertThat(sealer.open("s1.", "c")).isEmpty();
        assertThat(sealer.open("s1.abcdefgh.%%%", "c")).isEmpty();
        assertThat(sealer.open(null, "c")).isEmpty();
        assertThat(sealer.open("plain text", "c")).isEmpty();
    }

    @Test
    void a_rotated_secret_still_opens_what_it_sealed() {
        String sealed = sealer(SECRET).seal("queued before the rotation", "c");

        assertThat(sealer(NEXT, SECRET).open(sealed, "c")).contains("queued before the rotation");
        assertThat(sealer(NEXT).toString()).doesNotContain(NEXT);
    }

    @Test
    void an_empty_value_seals_and_opens_and_only_sealed_looking_values_count_as_sealed() {
        ValueSealer sealer = sealer(SECRET);

        assertThat(sealer.open(sealer.seal("", "c"), "c")).contains("");
        assertThat(ValueSealer.isSealed("plain")).isFalse();
        assertThat(ValueSealer.isSealed(null)).isFalse();
        assertThat(ValueSealer.isSealed("s1.x")).isTrue();
        assertThat(sealer(NEXT, SECRET).toString()).startsWith("ValueSealer[key=").endsWith(", opening keys=2]");
    }
}
