package dev.gatehouse.identifier;

import dev.gatehouse.error.InvalidInputException;
import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validation and normalization of the values that identify a user: email address, username and
 * profile attribute names. Stores use the normalized forms as their case-insensitive unique keys,
 * so every store agrees on what "the same email" means.
 */
public final class Identifiers {

    /** RFC 5321 limits a forward path to 256 octets including the angle brackets. */
    public static final int MAX_EMAIL_LENGTH = 254;
    public static final int MAX_USERNAME_LENGTH = 64;
    public static final int MAX_ATTRIBUTE_VALUE_LENGTH = 4096;

    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private Identifiers() {
    }

    /**
     * Checks that {@code email} is a plausible address: one {@code @}, non-empty local part and
     * domain, no whitespace, control characters or unpaired surrogates, at most
     * {@value #MAX_EMAIL_LENGTH} characters.
     * Surrounding whitespace is removed. Deliverability is not checked.
     *
     * @return the trimmed address, with its case preserved
     * @throws InvalidInputException with field {@code email}
     */
    public static String checkEmail(String email) {
        if (email == null || email.isBlank()) {
            throw new InvalidInputException("email", "EMAIL_NOT_PROVIDED", "an email address is required");
        }
        String trimmed = Normalizer.normalize(email.strip(), Normalizer.Form.NFKC);
        int at = trimmed.lastIndexOf('@');
        boolean valid = trimmed.length() <= MAX_EMAIL_LENGTH
                && isWellFormed(trimmed)
                && at > 0 && at < trimmed.length() - 1
                && trimmed.indexOf('@') == at
                && trimmed.codePoints().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)
                        || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' || c == '\\')
                && !trimmed.substring(at + 1).startsWith(".") && !trimmed.endsWith(".")
                && !trimmed.substring(at + 1).contains("..");
        if (!valid) {
            throw new InvalidInputException("email", "INVALID_EMAIL_ADDRESS", "invalid email address");
        }
        return trimmed;
    }

    /** The case-insensitive key of a (checked) email address: lower case, locale-independent. */
    public static String emailKey(String email) {
        return Normalizer.normalize(email.strip(), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }

    /**
     * Checks a username: 1–{@value #MAX_USERNAME_LENGTH} characters after NFKC normalization and
     * trimming, no whitespace, control characters or {@code @} (so it can never be mistaken for an
     * email address). The registration flow applies its own, stricter policy on top.
     *
     * @return the normalized username, with its case preserved
     * @throws InvalidInputException with field {@code username}
     */
    public static String checkUsername(String username) {
        if (username == null || username.isBlank()) {
            throw new InvalidInputException("username", "USERNAME_NOT_PROVIDED", "a username is required");
        }
        String normalized = Normalizer.normalize(username.strip(), Normalizer.Form.NFKC);
        if (normalized.length() > MAX_USERNAME_LENGTH
                || !isWellFormed(normalized)
                || normalized.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c) || c == '@')) {
            throw new InvalidInputException("username", "USERNAME_INVALID_CHARACTERS",
                    "a username has at most " + MAX_USERNAME_LENGTH + " characters and no spaces, control characters or @");
        }
        return normalized;
    }

    /** The case-insensitive key of a (checked) username. */
    public static String usernameKey(String username) {
        return Normalizer.normalize(username.strip(), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }

    /**
     * Checks profile attributes: names match {@code [a-z][a-z0-9_]{0,63}}, values are non-null, at
     * most {@value #MAX_ATTRIBUTE_VALUE_LENGTH} characters, and free of NUL characters and unpaired
     * surrogates (which no database stores faithfully).
     *
     * @return an unmodifiable copy in the given order
     */
    public static Map<String, String> checkAttributes(Map<String, String> attributes) {
        Map<String, String> copy = new LinkedHashMap<>();
        attributes.forEach((name, value) -> {
            if (name == null || !ATTRIBUTE_NAME.matcher(name).matches()) {
                throw new InvalidInputException("attributes", "INVALID_ATTRIBUTE",
                        "attribute names are lower case letters, digits and _ (at most 64), not: " + name);
            }
            if (value == null || value.length() > MAX_ATTRIBUTE_VALUE_LENGTH || !isWellFormed(value)) {
                throw new InvalidInputException(name, "INVALID_ATTRIBUTE",
                        "attribute " + name + " needs a value of at most " + MAX_ATTRIBUTE_VALUE_LENGTH
                                + " characters, without NUL characters or broken surrogate pairs");
            }
            copy.put(name, value);
        });
        return java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * Whether {@code text} survives storage unchanged: no NUL character (PostgreSQL refuses it in
     * text) and no unpaired surrogate (UTF-8 cannot encode one, so drivers replace it with {@code ?}).
     * Every value that is stored or queued (identifiers, profile attributes, email models) is held to it.
     */
    public static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0' || Character.isLowSurrogate(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }
}
