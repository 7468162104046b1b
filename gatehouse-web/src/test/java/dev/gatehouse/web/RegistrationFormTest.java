package dev.gatehouse.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.web.RegistrationField.InputType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegistrationFormTest {

    private static final RegistrationField NAME = RegistrationField.of("display_name", "Display name", InputType.TEXT, true,
            value -> value.equalsIgnoreCase("admin") ? Optional.of("NAME_RESERVED") : Optional.empty()).withMaxLength(20);
    private static final RegistrationField PHONE = RegistrationField.of("phone", "LABEL_PHONE", InputType.TEL, false,
            FieldValidator.none()).withAutocomplete("tel");
    private static final RegistrationField SITE = RegistrationField.of("website", "Website", InputType.URL, false,
            FieldValidator.none());
    private static final RegistrationField BORN = RegistrationField.of("born", "Born", InputType.DATE, false,
            FieldValidator.none());
    private static final RegistrationField AGE = RegistrationField.of("age", "Age", InputType.NUMBER, false,
            FieldValidator.none());
    private static final RegistrationField BACKUP = RegistrationField.of("backup_email", "Backup", InputType.EMAIL, false,
            FieldValidator.none());
    private static final List<RegistrationField> FIELDS = List.of(NAME, PHONE, SITE, BORN, AGE, BACKUP);

    private static RegistrationForm.Result validate(Map<String, String> input) {
        return RegistrationForm.validate(FIELDS, name -> Optional.ofNullable(input.get(name)));
    }

    @Test
    void valid_values_are_trimmed_and_empty_optional_fields_left_out() {
        RegistrationForm.Result result = validate(Map.of("display_name", "  Ann  ", "phone", "+41 (0)44 123-45.67",
                "website", "https://ann.example", "born", "1990-02-28", "age", "34", "backup_email", "", "ignored", "x"));

        assertThat(result.isValid()).isTrue();
        assertThat(result.values()).containsExactly(Map.entry("display_name", "Ann"), Map.entry("phone", "+41 (0)44 123-45.67"),
                Map.entry("website", "https://ann.example"), Map.entry("born", "1990-02-28"), Map.entry("age", "34"));
    }

    @Test
    void each_field_reports_its_own_problem() {
        RegistrationForm.Result result = validate(Map.of("display_name", "x".repeat(21), "phone", "call me",
                "website", "javascript:alert(1)", "born", "1990-02-30", "age", "12abc", "backup_email", "nope"));

        assertThat(result.values()).isEmpty();
        assertThat(result.fieldErrors()).containsExactly(
                Map.entry("display_name", new RegistrationForm.Problem("FIELD_TOO_LONG", Map.of("max", 20))),
                Map.entry("phone", new RegistrationForm.Problem("FIELD_INVALID", Map.of())),
                Map.entry("website", new RegistrationForm.Problem("FIELD_INVALID", Map.of())),
                Map.entry("born", new RegistrationForm.Problem("FIELD_INVALID", Map.of())),
                Map.entry("age", new RegistrationForm.Problem("FIELD_INVALID", Map.of())),
                Map.entry("backup_email", new RegistrationForm.Problem("FIELD_INVALID", Map.of())));
    }

    @Test
    void a_required_field_must_be_given_and_the_application_validator_runs_last() {
        assertThat(validate(Map.of()).fieldErrors()).containsOnlyKeys("display_name")
                .containsEntry("display_name", new RegistrationForm.Problem("FIELD_REQUIRED", Map.of()));
        assertThat(validate(Map.of("display_name", "   ")).fieldErrors()).containsKey("display_name");
        assertThat(validate(Map.of("display_name", "Admin")).fieldErrors())
                .containsEntry("display_name", new RegistrationForm.Problem("NAME_RESERVED", Map.of()));
    }

    @Test
    void control_characters_and_broken_surrogates_are_refused() {
        assertThat(validate(Map.of("display_name", "a\u0000b")).fieldErrors()).containsKey("display_name");
        assertThat(validate(Map.of("display_name", "a\uD800b")).fieldErrors()).containsKey("display_name");
        assertThat(validate(Map.of("display_name", "Zoë 👩‍💻")).isValid()).isTrue();
    }

    @Test
    void field_definitions_are_checked_when_made() {
        assertThatThrownBy(() -> RegistrationField.of("Display-Name", "x", InputType.TEXT, false, FieldValidator.none()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("profile attribute");
        assertThatThrownBy(() -> RegistrationField.of("password", "x", InputType.TEXT, false, FieldValidator.none()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already has a field");
        assertThatThrownBy(() -> NAME.withAutocomplete("\"><script>"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebOptions.builder().registrationField(NAME).registrationField(NAME))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two registration fields");
        assertThat(WebOptions.builder().registrationField(NAME).registrationField(PHONE).build().registrationFields())
                .containsExactly(NAME, PHONE);
    }
}
