package dev.gatehouse.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InvalidInputExceptionTest {

    @Test
    void arguments_are_kept_typed_and_in_order_beside_an_english_message() {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("min", 3);
        arguments.put("max", 30);
        arguments.put("within", Duration.ofHours(1));
        arguments.put("username", "ann");

        InvalidInputException e = new InvalidInputException("username", "SOME_CODE", "Username is no good", arguments);
        arguments.clear();

        assertThat(e.arguments()).containsExactly(Map.entry("min", 3), Map.entry("max", 30),
                Map.entry("within", Duration.ofHours(1)), Map.entry("username", "ann"));
        assertThat(e.getMessage()).isEqualTo("Username is no good");
        assertThat(new InvalidInputException("email", "INVALID_EMAIL_ADDRESS", "invalid").arguments()).isEmpty();
        assertThatThrownBy(() -> e.arguments().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void an_argument_is_a_string_number_or_duration_under_a_plain_name() {
        // A char[] (how passwords travel) or any other object is refused, so no secret slips in by accident.
        assertThatThrownBy(() -> new InvalidInputException("password", "C", "m", Map.of("password", "x".toCharArray())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("x]");
        assertThatThrownBy(() -> new InvalidInputException("f", "C", "m", Map.of("Bad-Name", 1)))
                .isInstanceOf(IllegalArgumentException.class);
        Map<String, Object> withNull = new LinkedHashMap<>();
        withNull.put("email", null);
        assertThatThrownBy(() -> new InvalidInputException("f", "C", "m", withNull))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
