package dev.gatehouse.web;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.identifier.Identifiers;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The application's extra registration fields ({@link RegistrationField}) applied to submitted
 * values: the valid values, ready to become profile attributes, and an error per invalid field.
 */
final class RegistrationForm {

    private static final Pattern TELEPHONE = Pattern.compile("[0-9 +().\\-]{3,32}");

    /**
     * @param values      field name to trimmed value, for the fields given (empty optional ones left out)
     * @param fieldErrors field name to a message key or text; {@link Problem#parameters()} fill it in
     */
    record Result(Map<String, String> values, Map<String, Problem> fieldErrors) {
        boolean isValid() {
            return fieldErrors.isEmpty();
        }
    }

    /** A message key or text and its parameters. */
    record Problem(String message, Map<String, Object> parameters) {
    }

    private RegistrationForm() {
    }

    /**
     * Validates the extra fields.
     *
     * @param input the submitted value of a field, if it was submitted
     */
    static Result validate(List<RegistrationField> fields, Function<String, Optional<String>> input) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Problem> errors = new LinkedHashMap<>();
        for (RegistrationField field : fields) {
            String value = input.apply(field.name()).map(String::strip).orElse("");
            if (value.isEmpty()) {
                if (field.required()) {
                    errors.put(field.name(), new Problem("FIELD_REQUIRED", Map.of()));
                }
                continue;
            }
            Optional<Problem> problem = check(field, value);
            if (problem.isPresent()) {
                errors.put(field.name(), problem.get());
            } else {
                values.put(field.name(), value);
            }
        }
        return new Result(values, errors);
    }

    private static Optional<Problem> check(RegistrationField field, String value) {
        if (value.codePointCount(0, value.length()) > field.maxLength()) {
            return Optional.of(new Problem("FIELD_TOO_LONG", Map.of("max", field.maxLength())));
        }
        if (value.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.SURROGATE)) {
            return invalid();
        }
        boolean wellFormed = switch (field.type()) {
            case TEXT -> true;
            case EMAIL -> isEmail(value);
            case TEL -> TELEPHONE.matcher(value).matches();
            case URL -> isWebUrl(value);
            case NUMBER -> isNumber(value);
            case DATE -> isDate(value);
        };
        if (!wellFormed) {
            return invalid();
        }
        return field.validator().check(value).map(message -> new Problem(message, Map.of()));
    }

    private static Optional<Problem> invalid() {
        return Optional.of(new Problem("FIELD_INVALID", Map.of()));
    }

    private static boolean isEmail(String value) {
        try {
            Identifiers.checkEmail(value);
            return true;
        } catch (InvalidInputException e) {
            return false;
        }
    }

    private static boolean isWebUrl(String value) {
        try {
            URI uri = new URI(value);
            return uri.getScheme() != null && (uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))
                    && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean isNumber(String value) {
        try {
            new BigDecimal(value);
            return value.length() <= 64;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isDate(String value) {
        try {
            LocalDate.parse(value);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
