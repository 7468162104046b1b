package dev.gatehouse.web;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An extra field of the registration form, whose value becomes a profile attribute of the new
 * user: Flask-Security's {@code ExtendedRegisterForm}. Add with
 * {@link WebOptions.Builder#registrationField(RegistrationField)}:
 *
 * <pre>{@code
 * WebOptions.builder()
 *     .registrationField("display_name", "Display name", InputType.TEXT, true, FieldValidator.none())
 *     .registrationField(RegistrationField.of("website", "LABEL_WEBSITE", InputType.URL, false, FieldValidator.none())
 *             .withAutocomplete("url"))
 * }</pre>
 *
 * The default register page shows each field with its label, type and {@code required} flag; the
 * JSON API accepts it under its name. Values are trimmed; an empty optional field is left out.
 * Immutable and thread-safe (if the validator is).
 *
 * @param name         the form field and attribute name: lower-case letters, digits and
 *                     {@code _}, starting with a letter, at most 64 characters; not one of the
 *                     form's own fields ({@code email}, {@code password}, ...)
 * @param label        a message key ({@code LABEL_WEBSITE}) or the label text itself
 * @param type         the input's type, which also adds a format check
 * @param required     whether an empty value is refused ({@code FIELD_REQUIRED})
 * @param maxLength    most characters accepted ({@code FIELD_TOO_LONG}), 1 to 4096
 * @param autocomplete the {@code autocomplete} attribute for browsers and password managers
 *                     ({@code name}, {@code tel}, {@code organization}, ...), if any
 * @param validator    further checks of a non-empty value
 */
public record RegistrationField(String name, String label, InputType type, boolean required, int maxLength,
        Optional<String> autocomplete, FieldValidator validator) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    /** Fields of the registration form itself, and those of the forms around it. */
    static final Set<String> RESERVED = Set.of("email", "username", "password", "password_confirm", "csrf_token",
            "next", "remember", "submit", "include_auth_token", "include_refresh_token", "auth_token");
    private static final Pattern AUTOCOMPLETE = Pattern.compile("[a-z0-9 -]{1,64}");

    /** The type of an input, as HTML names it. */
    public enum InputType {
        /** Any text. */
        TEXT,
        /** An email address. */
        EMAIL,
        /** A telephone number: digits, spaces and {@code + ( ) - .}. */
        TEL,
        /** An {@code http} or {@code https} URL. */
        URL,
        /** A decimal number. */
        NUMBER,
        /** A date, {@code yyyy-mm-dd}. */
        DATE;

        /** The value of the HTML {@code type} attribute. */
        public String html() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public RegistrationField {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a registration field name is lower-case letters, digits and _,"
                    + " starting with a letter (it becomes a profile attribute), not: " + name);
        }
        if (RESERVED.contains(name)) {
            throw new IllegalArgumentException("the registration form already has a field named " + name);
        }
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(type, "type");
        if (maxLength < 1 || maxLength > 4096) {
            throw new IllegalArgumentException("maxLength must be between 1 and 4096, not " + maxLength);
        }
        Objects.requireNonNull(autocomplete, "autocomplete");
        autocomplete.ifPresent(a -> {
            if (!AUTOCOMPLETE.matcher(a).matches()) {
                throw new IllegalArgumentException("not an autocomplete token: " + a);
            }
        });
        Objects.requireNonNull(validator, "validator");
    }

    /** A field of at most 255 characters without an autocomplete hint. */
    public static RegistrationField of(String name, String label, InputType type, boolean required, FieldValidator validator) {
        return new RegistrationField(name, label, type, required, 255, Optional.empty(), validator);
    }

    /** This field with an {@code autocomplete} hint. */
    public RegistrationField withAutocomplete(String autocomplete) {
        return new RegistrationField(name, label, type, required, maxLength, Optional.of(autocomplete), validator);
    }

    /** This field accepting at most {@code maxLength} characters. */
    public RegistrationField withMaxLength(int maxLength) {
        return new RegistrationField(name, label, type, required, maxLength, autocomplete, validator);
    }
}
